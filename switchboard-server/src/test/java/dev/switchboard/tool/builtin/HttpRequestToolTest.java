package dev.switchboard.tool.builtin;

import static dev.switchboard.tool.builtin.ToolCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.config.ServerConfig;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpRequestToolTest {

    @TempDir
    Path workspace;

    HttpServer server;
    String base;
    final AtomicInteger requests = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        handle("/hello", ex -> respond(ex, 200, "text/plain; charset=utf-8", "hello from the test server"));
        handle("/echo", ex -> respond(ex, 200, "text/plain", ex.getRequestMethod() + " "
                + ex.getRequestHeaders().getFirst("Content-Type") + " " + ex.getRequestHeaders().getFirst("X-Token")
                + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        handle("/redirect", ex -> {
            String to = URLDecoder.decode(ex.getRequestURI().getRawQuery().substring(3), StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Location", to);
            ex.sendResponseHeaders(ex.getRequestMethod().equals("POST") ? 303 : 302, -1);
            ex.close();
        });
        handle("/loop", ex -> {
            ex.getResponseHeaders().add("Location", "/loop");
            ex.sendResponseHeaders(307, -1);
            ex.close();
        });
        handle("/big", ex -> respond(ex, 200, "text/plain", "x".repeat(5000)));
        handle("/image", ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/png");
            ex.sendResponseHeaders(200, 300);
            ex.getResponseBody().write(new byte[300]);
            ex.close();
        });
        handle("/slow", ex -> {
            await();
            respond(ex, 200, "text/plain", "too late");
        });
        handle("/slow-body", ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, 0);
            OutputStream body = ex.getResponseBody();
            body.write("the start".getBytes(StandardCharsets.UTF_8));
            body.flush();
            await();
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    @Test
    void loopbackIsRefusedByDefaultWithoutAnyRequest() {
        ToolOutcome outcome = call(tool(List.of()), context(), "url", base + "/hello", "method", "GET");

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).isEqualTo("refused " + base + "/hello: '127.0.0.1' is a loopback address, "
                + "which is refused unless the server's tools.httpRequest.allowPrivate allows it");
        assertThat(requests).hasValue(0);
    }

    @Test
    void allowPrivateLetsTheRequestThroughAndReturnsStatusHeadersAndBody() {
        ToolOutcome outcome = call(tool(List.of("127.0.0.1")), context(), "url", base + "/hello", "method", "GET");

        assertThat(outcome.success()).as(outcome.error()).isTrue();
        assertThat(outcome.output()).isEqualTo("HTTP 200 (GET " + base + "/hello)\n"
                + "content-type: text/plain; charset=utf-8\ncontent-length: 26\n\nhello from the test server");
    }

    @Test
    void aJsonBodyAndHeadersAreSent() {
        ToolOutcome outcome = call(tool(List.of("127.0.0.1/32")), context(), "url", base + "/echo", "method", "POST",
                "headers", Map.of("X-Token", "t1"), "body", "{\"a\":1}");

        assertThat(outcome.output()).endsWith("\n\nPOST application/json t1 {\"a\":1}");
    }

    @Test
    void aRedirectToTheMetadataAddressIsRefused() {
        ToolOutcome outcome = call(tool(List.of("127.0.0.1")), context(), "url",
                base + "/redirect?to=http://169.254.169.254/latest/meta-data/", "method", "GET");

        assertThat(outcome.success()).isFalse();
        assertThat(outcome.error()).startsWith("refused http://169.254.169.254/latest/meta-data/: '169.254.169.254' "
                + "is a cloud metadata address");
        assertThat(requests).hasValue(1);
    }

    @Test
    void aRedirectToALoopbackAddressThatIsNotAllowedIsRefused() {
        int port = server.getAddress().getPort();
        ToolOutcome outcome = call(tool(List.of("127.0.0.1")), context(), "url",
                base + "/redirect?to=http://[::1]:" + port + "/hello", "method", "GET");

        assertThat(outcome.error()).contains("'::1' is a loopback address");
        assertThat(requests).hasValue(1);
    }

    @Test
    void aRedirectToAnAllowedAddressIsFollowedAndAPostBecomesAGet() {
        ToolOutcome outcome = call(tool(List.of("127.0.0.1")), context(), "url", base + "/redirect?to=/echo",
                "method", "POST", "body", "payload");

        assertThat(outcome.success()).as(outcome.error()).isTrue();
        assertThat(outcome.output()).startsWith("HTTP 200 (GET " + base + "/echo)\nredirected: 303 → " + base
                + "/echo\n").endsWith("\n\nGET null null ");
        assertThat(requests).hasValue(2);
    }

    @Test
    void redirectsStopAfterFive() {
        ToolOutcome outcome = call(tool(List.of("127.0.0.1")), context(), "url", base + "/loop", "method", "GET");

        assertThat(outcome.error()).isEqualTo("stopped after 5 redirects; the last one pointed to /loop");
        assertThat(requests).hasValue(6);
    }

    @Test
    void aBodyOverTheCapIsTruncatedAndSaysSo() {
        HttpRequestTool tool = new HttpRequestTool(new ServerConfig.HttpTool(null, List.of("127.0.0.1"), 1000, null,
                null));
        ToolOutcome outcome = call(tool, context(), "url", base + "/big", "method", "GET");

        assertThat(outcome.output()).contains("\n\n" + "x".repeat(1000) + "\n[body truncated: showing the first 1000 "
                + "bytes; the response is longer]").doesNotContain("x".repeat(1001));
    }

    @Test
    void aBinaryBodyIsSummarized() {
        ToolOutcome outcome = call(tool(List.of("127.0.0.1")), context(), "url", base + "/image", "method", "GET");

        assertThat(outcome.output()).endsWith("\n\n[binary body: 300 bytes of image/png, not shown]\n");
    }

    @Test
    void aSlowResponseHitsTheTimeLimit() {
        long start = System.nanoTime();
        ToolOutcome outcome = call(tool(List.of("127.0.0.1")), context(), "url", base + "/slow", "method", "GET",
                "timeoutSeconds", 1);

        assertThat(outcome.error()).isEqualTo("timed out after 1 s while waiting for 127.0.0.1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aBodyThatStallsHitsTheTimeLimitToo() {
        long start = System.nanoTime();
        ToolOutcome outcome = call(tool(List.of("127.0.0.1")), context(), "url", base + "/slow-body", "method",
                "GET", "timeoutSeconds", 1);

        assertThat(outcome.error()).isEqualTo("timed out after 1 s while reading the body");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void cancellingTheRunAbortsTheRequest() throws Exception {
        Cancellation cancellation = new Cancellation();
        ToolContext context = ToolCalls.context(workspace, null, cancellation);
        CompletableFuture<ToolOutcome> outcome = CompletableFuture.supplyAsync(() -> call(tool(List.of("127.0.0.1")),
                context, "url", base + "/slow", "method", "GET"));
        while (requests.get() == 0) {
            Thread.sleep(10);
        }
        cancellation.cancel();

        assertThat(outcome.get(5, TimeUnit.SECONDS).error()).isEqualTo("cancelled while waiting for 127.0.0.1");
    }

    @Test
    void onlyAllowedHostsOnlyHttpAndBoundedBodies() {
        HttpRequestTool onlyExample = new HttpRequestTool(new ServerConfig.HttpTool(List.of("*.example.com"),
                List.of("127.0.0.1"), null, 10, null));
        assertThat(call(onlyExample, context(), "url", base + "/hello", "method", "GET").error())
                .isEqualTo("refused " + base + "/hello: host '127.0.0.1' is not in the server's allowed hosts "
                        + "(tools.httpRequest.allowedHosts)");
        assertThat(call(onlyExample, context(), "url", "file:///etc/passwd", "method", "GET").error())
                .isEqualTo("'file:///etc/passwd': only http:// and https:// URLs are allowed");
        assertThat(call(onlyExample, context(), "url", "http://a.example.com/", "method", "PUT", "body",
                "more than ten bytes").error()).isEqualTo("the body is 19 bytes; requests may send at most 10");
        assertThat(call(onlyExample, context(), "url", "http://metadata.google.internal/", "method", "GET").error())
                .contains("not in the server's allowed hosts");
        assertThat(requests).hasValue(0);
    }

    @Test
    void theSchemaCapsTheTimeoutAtTheConfiguredOne() {
        HttpRequestTool tool = new HttpRequestTool(new ServerConfig.HttpTool(null, null, null, null, 5));
        assertThat(ToolCalls.schemaProblems(tool, "url", "http://example.com", "method", "GET", "timeoutSeconds", 6))
                .singleElement().asString().contains("timeoutSeconds");
        assertThat(ToolCalls.schemaProblems(tool, "url", "http://example.com", "method", "TRACE")).isNotEmpty();
        assertThat(tool.execute(ToolCalls.json("url", "http://example.com", "method", "GET", "timeoutSeconds", 60),
                context()).error()).isEqualTo("'timeoutSeconds' must be between 1 and 5");
    }

    private HttpRequestTool tool(List<String> allowPrivate) {
        return new HttpRequestTool(new ServerConfig.HttpTool(null, allowPrivate, null, null, null));
    }

    private ToolContext context() {
        return ToolCalls.context(workspace);
    }

    private void handle(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                handler.handle(exchange);
            }
        });
    }

    private void await() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}

package dev.switchboard.server;

import static dev.switchboard.server.TestServer.SseReader.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a model must not be able to make the server do, asked for in a real run: reach the cloud metadata
 * address, a service on loopback, or a file outside the workspace through an absolute path or a symbolic link.
 * Each call comes back to the model as an error result, nothing is reached, and the run completes.
 */
class RefusalsEndToEndTest {

    @TempDir
    Path home;

    FakeLlmServer fake;
    HttpServer internal;
    final AtomicInteger internalHits = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        fake = FakeLlmServer.start();
        internal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        internal.createContext("/", exchange -> {
            internalHits.incrementAndGet();
            byte[] body = "internal admin page".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        internal.start();
    }

    @AfterEach
    void stop() {
        fake.close();
        internal.stop(0);
    }

    @Test
    void ssrfTargetsAndWorkspaceEscapesComeBackAsErrorsAndTheRunCompletes() throws Exception {
        String loopback = "http://127.0.0.1:" + internal.getAddress().getPort() + "/admin";
        List<String> calls = List.of(
                "{\"url\":\"http://169.254.169.254/latest/meta-data/iam/security-credentials/\",\"method\":\"GET\"}",
                "{\"url\":\"" + loopback + "\",\"method\":\"GET\"}",
                "{\"url\":\"http://[::ffff:127.0.0.1]:" + internal.getAddress().getPort() + "/\",\"method\":\"GET\"}");
        fake.on(Match.lastMessageIsToolResult(), Reply.toolCall("http_request", calls.get(1)).times(1));
        fake.on(Match.lastMessageIsToolResult(), Reply.toolCall("http_request", calls.get(2)).times(1));
        fake.on(Match.lastMessageIsToolResult(), Reply.toolCall("read_file", "{\"path\":\"/etc/hostname\"}").times(1));
        fake.on(Match.lastMessageIsToolResult(), Reply.toolCall("read_file", "{\"path\":\"link/secret.txt\"}")
                .times(1));
        fake.on(Match.lastMessageIsToolResult(), Reply.text("I could not reach any of that."));
        fake.on(Match.lastUserMessageContains("probe"), Reply.toolCall("http_request", calls.get(0)));
        TestServer.writeAgent(home, "default", """
                llm:
                  provider: openai-compatible
                  model: test-model
                  apiKey: test-llm-key
                  baseURL: %s
                  maxIterations: 8
                  maxRetries: 0
                tools: [http_request, read_file]
                permissions: {mode: auto-approve}
                """.formatted(fake.openAiBaseUrl()));
        Path outside = Files.createDirectories(home.resolve("private"));
        Files.writeString(outside.resolve("secret.txt"), "the operator's secret");
        Files.createDirectories(home.resolve("workspaces/default"));
        Files.createSymbolicLink(home.resolve("workspaces/default/link"), outside);

        List<JsonNode> events;
        try (TestServer server = TestServer.start(home);
                TestServer.SseReader sse = server.streamMessage("probe", "probe the network please")) {
            events = sse.readUntil(named("run:complete"));
        }

        List<JsonNode> results = events.stream().filter(e -> e.path("name").asText().equals("llm:tool-result"))
                .toList();
        assertThat(results).hasSize(5).allSatisfy(r -> assertThat(r.path("success").asBoolean()).isFalse());
        assertThat(results.get(0).path("error").asText()).contains("169.254.169.254").containsIgnoringCase("metadata");
        assertThat(results.get(1).path("error").asText()).containsIgnoringCase("loopback");
        assertThat(results.get(2).path("error").asText()).containsIgnoringCase("loopback");
        assertThat(results.get(3).path("error").asText()).containsIgnoringCase("absolute");
        assertThat(results.get(4).path("error").asText()).contains("outside the workspace");
        assertThat(internalHits).hasValue(0);
        assertThat(events.toString()).doesNotContain("the operator's secret").doesNotContain("internal admin page");
        assertThat(events.getLast().path("finishReason").asText()).isEqualTo("stop");
        assertThat(fake.requests()).hasSize(6);
    }
}

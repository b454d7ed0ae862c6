package dev.switchboard.face.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpAccessTest {

    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",\
            "capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

    FakeLlmServer fake;
    McpTestServer server;

    @BeforeAll
    void start(@TempDir Path home) {
        fake = FakeLlmServer.start();
        McpTestServer.home(home, fake.openAiBaseUrl());
        McpTestServer.write(home.resolve("switchboard.yml"), """
                mcpServer:
                  allowedHosts: [switchboard.test]
                  allowedOrigins: [https://app.example.com]
                """);
        server = McpTestServer.start(home);
    }

    @AfterAll
    void stop() {
        server.close();
        fake.close();
    }

    @Test
    void withoutTheKeyEveryMcpRouteAnswers401() {
        for (String path : new String[] {"/mcp", "/mcp/tools/list", "/mcp/tools/call", "/mcp/some-token",
                "/mcp/some-token/tools/list", "/mcp/some-token/tools/call"}) {
            for (String auth : new String[] {null, "Bearer wrong-key"}) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path)))
                        .header("Content-Type", "application/json")
                        .header("Accept", "application/json, text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE));
                if (auth != null) {
                    request.header("Authorization", auth);
                }
                McpTestServer.Response response = server.send(request);
                assertThat(response.status()).as(path + " with " + auth).isEqualTo(401);
                assertThat(response.json().path("error").path("code").asText()).isEqualTo("unauthorized");
            }
        }
        McpTestServer.Response withXApiKey = server.send(HttpRequest.newBuilder(URI.create(server.url("/mcp")))
                .header("X-API-Key", McpTestServer.KEY)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)));
        assertThat(withXApiKey.status()).isEqualTo(200);
    }

    @Test
    void aForeignHostIsRefusedAndLoopbackNamesAreAccepted() {
        assertThat(initialize("/mcp", "evil.example.com", null).status()).isEqualTo(403);
        McpTestServer.RawResponse refused = initialize("/mcp", "evil.example.com:" + server.port(), null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text()).contains("\"forbidden\"").contains("allowedHosts");
        assertThat(initialize("/mcp/tools/list", "evil.example.com", null).status()).isEqualTo(403);
        assertThat(initialize("/mcp/some-token", "evil.example.com", null).status()).isEqualTo(403);

        assertThat(initialize("/mcp", "127.0.0.1:" + server.port(), null).status()).isEqualTo(200);
        assertThat(initialize("/mcp", "localhost:" + server.port(), null).status()).isEqualTo(200);
        assertThat(initialize("/mcp", "[::1]:" + server.port(), null).status()).isEqualTo(200);
        assertThat(initialize("/mcp", "LOCALHOST", null).status()).isEqualTo(200);
    }

    @Test
    void aForeignOriginIsRefusedAndLoopbackOrSameHostOriginsAreAccepted() {
        String host = "127.0.0.1:" + server.port();
        McpTestServer.RawResponse refused = initialize("/mcp", host, "http://evil.example.com");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text()).contains("allowedOrigins");
        assertThat(initialize("/mcp", host, "null").status()).isEqualTo(403);
        assertThat(initialize("/mcp/tools/call", host, "http://evil.example.com").status()).isEqualTo(403);

        assertThat(initialize("/mcp", host, "http://localhost:5173").status()).isEqualTo(200);
        assertThat(initialize("/mcp", host, "http://" + host).status()).isEqualTo(200);
    }

    @Test
    void configuredHostsAndOriginsAreAccepted() {
        assertThat(initialize("/mcp", "switchboard.test", null).status()).isEqualTo(200);
        assertThat(initialize("/mcp", "switchboard.test:443", "https://app.example.com").status()).isEqualTo(200);
        assertThat(initialize("/mcp", "switchboard.test", "https://switchboard.test").status()).isEqualTo(200);
        assertThat(initialize("/mcp", "switchboard.test", "https://other.example.com").status()).isEqualTo(403);
    }

    @Test
    void requestsNeedASessionThisRouteKnows() {
        McpTestServer.Client mcp = server.client("/mcp");
        McpTestServer.Response noSession = mcp.call("tools/list", Map.of());
        assertThat(noSession.status()).isEqualTo(400);
        assertThat(noSession.json().path("error").path("message").asText()).contains("Mcp-Session-Id");

        mcp.sessionId = "no-such-session";
        assertThat(mcp.call("tools/list", Map.of()).status()).isEqualTo(404);
        assertThat(server.send(mcp.base().DELETE()).status()).isEqualTo(404);
        assertThat(server.send(mcp.base().GET()).status()).isEqualTo(404);

        McpTestServer.Client other = server.client("/mcp");
        other.initialize();
        String created = server.post("/api/sessions", Map.of("sessionId", "access-token", "agentId", "helper"))
                .json().path("session").path("id").asText();
        McpTestServer.Client scoped = server.client("/mcp/" + created);
        scoped.sessionId = other.sessionId;
        assertThat(scoped.call("tools/list", Map.of()).status()).as("a session of /mcp used on a token route")
                .isEqualTo(404);
    }

    @Test
    void anUnsupportedProtocolVersionHeaderIsABadRequest() {
        McpTestServer.Client mcp = server.client("/mcp");
        mcp.initialize();
        McpTestServer.Response response = server.send(mcp.base().header("MCP-Protocol-Version", "1999-01-01")
                .POST(McpTestServer.publisher(mcp.message("ping", null))));
        assertThat(response.status()).isEqualTo(400);
        McpTestServer.Response supported = server.send(mcp.base().header("MCP-Protocol-Version", "2025-03-26")
                .POST(McpTestServer.publisher(mcp.message("ping", null))));
        assertThat(supported.status()).isEqualTo(200);
    }

    @Test
    void deleteEndsTheSessionAndItsStream() throws Exception {
        McpTestServer.Client mcp = server.client("/mcp");
        mcp.initialize();
        HttpResponse<InputStream> stream = server.http.send(mcp.base().header("Accept", "text/event-stream").GET()
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).isEqualTo(": stream open");
        CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> {
            try {
                while (lines.readLine() != null) {
                    // drain until the server ends the stream
                }
            } catch (java.io.IOException e) {
                // ended as well
            }
        });
        McpTestServer.Response second = server.send(mcp.base().header("Accept", "text/event-stream").GET());
        assertThat(second.status()).as("a second GET stream").isEqualTo(409);

        assertThat(server.send(mcp.base().DELETE()).status()).isEqualTo(204);
        ended.get(10, TimeUnit.SECONDS);
        assertThat(mcp.call("ping", null).status()).isEqualTo(404);
    }

    @Test
    void malformedMessagesAreBadRequests() {
        McpTestServer.Client mcp = server.client("/mcp");
        assertThat(server.send(mcp.base().POST(McpTestServer.publisher("{not json"))).json()
                .path("error").path("code").asInt()).isEqualTo(-32700);
        McpTestServer.Response batch = server.send(mcp.base().POST(McpTestServer.publisher("[" + INITIALIZE + "]")));
        assertThat(batch.status()).isEqualTo(400);
        assertThat(batch.json().path("error").path("message").asText()).contains("batches");
        McpTestServer.Response plainText = server.send(server.request("/mcp").setHeader("Content-Type", "text/plain")
                .POST(McpTestServer.publisher(INITIALIZE)));
        assertThat(plainText.status()).isEqualTo(415);
        JsonNode badInit = server.client("/mcp").call("initialize", "not an object").answer();
        assertThat(badInit.path("error").path("code").asInt()).isEqualTo(-32602);
    }

    private McpTestServer.RawResponse initialize(String path, String host, String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", host);
        if (origin != null) {
            headers.put("Origin", origin);
        }
        headers.put("Authorization", "Bearer " + McpTestServer.KEY);
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json, text/event-stream");
        return server.raw("POST", path, headers, path.endsWith("/call") ? "{\"name\":\"helper__current_time\"}"
                : path.endsWith("/list") ? "{}" : INITIALIZE);
    }
}

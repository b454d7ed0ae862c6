package dev.switchboard.face.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Reply;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class McpShutdownTest {

    @TempDir
    Path home;

    @Test
    void stoppingTheServerEndsWaitingCallsAndOpenStreamsAtOnce() throws Exception {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.otherwise(Reply.text("never").hang());
            McpTestServer server = McpTestServer.start(McpTestServer.home(home, fake.openAiBaseUrl()));
            McpTestServer.Client mcp = server.client("/mcp");
            mcp.initialize();
            HttpResponse<InputStream> stream = server.http.send(mcp.base().header("Accept", "text/event-stream")
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(stream.statusCode()).isEqualTo(200);
            CompletableFuture<byte[]> streamed = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = stream.body()) {
                    return in.readAllBytes();
                } catch (java.io.IOException e) {
                    return new byte[0];
                }
            });
            CompletableFuture<McpTestServer.Response> call = CompletableFuture.supplyAsync(() -> mcp.call(
                    "tools/call", Map.of("name", "agent_helper", "arguments", Map.of("message", "wait"))));
            fake.awaitRequests(1, Duration.ofSeconds(10));

            long started = System.nanoTime();
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            streamed.get(5, TimeUnit.SECONDS);
            McpTestServer.Response answered = call.get(5, TimeUnit.SECONDS);
            assertThat(answered.answer().path("result").path("isError").asBoolean()).as(answered.body()).isTrue();
            assertThat(answered.answer().path("result").path("content").get(0).path("text").asText())
                    .contains("stopped");
        }
    }
}

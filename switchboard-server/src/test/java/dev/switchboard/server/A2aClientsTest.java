package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code @a2a-js/sdk} client from npm, unmodified, against a real server whose agent talks to the fake
 * model: with its defaults (A2A v1.0, over JSON-RPC and HTTP+JSON) and with its v0.3 compatibility layer.
 */
class A2aClientsTest {

    @TempDir
    Path home;

    FakeLlmServer fake;
    TestServer server;

    @BeforeEach
    void start() {
        fake = FakeLlmServer.start();
        fake.on(Match.lastUserMessageContains("slow"), Reply.text("Never finished").hang());
        fake.otherwise(Reply.text("Hello from the agent.").withUsage(12, 5));
        TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
        server = TestServer.start(home);
    }

    @AfterEach
    void stop() {
        server.close();
        fake.close();
    }

    @Test
    void theNpmClientWithDefaultsSpeaksV1OverJsonRpcAndRest() throws Exception {
        JsonNode result = node("v1");

        assertThat(result.path("card").path("interfaces").toString())
                .contains("JSONRPC 1.0", "HTTP+JSON 1.0", "JSONRPC 0.3");
        assertThat(result.path("card").path("skills").toString()).contains("default");
        assertThat(result.path("card").path("streaming").asBoolean()).isTrue();
        assertThat(result.path("card").path("pushNotifications").asBoolean()).isTrue();
        for (String binding : new String[] {"jsonrpc", "rest"}) {
            JsonNode run = result.path(binding);
            assertThat(run.path("protocolVersion").asText()).as(binding).isEqualTo("1.0");
            assertCalls(run, 3);
        }
    }

    @Test
    void theNpmClientInLegacyCompatibilitySpeaksV03() throws Exception {
        JsonNode result = node("legacy");

        assertThat(result.path("card").path("protocolVersion").asText()).isEqualTo("0.3.0");
        assertThat(result.path("card").path("url").asText()).isEqualTo(server.url("/jsonrpc"));
        assertThat(result.path("card").path("skills").toString()).contains("default");
        JsonNode run = result.path("jsonrpc");
        assertThat(run.path("protocolVersion").asText()).isEqualTo("0.3");
        assertCalls(run, 3);
    }

    /** TaskState numbers of a2a.proto: 2 working, 3 completed, 5 canceled. */
    private static void assertCalls(JsonNode run, int completed) {
        assertThat(run.path("send").path("state").asInt()).as(run.toString()).isEqualTo(completed);
        assertThat(run.path("send").path("answer").asText()).isEqualTo("Hello from the agent.");
        assertThat(run.path("stream").path("events").toString())
                .contains("task", "artifactUpdate", "state:2", "state:3");
        assertThat(run.path("stream").path("text").asText()).isEqualTo("Hello from the agent.");
        assertThat(run.path("get").path("id").asText()).isEqualTo(run.path("send").path("id").asText());
        assertThat(run.path("get").path("state").asInt()).isEqualTo(completed);
        assertThat(run.path("get").path("history").asInt()).isEqualTo(1);
        if (run.path("list").has("error")) {
            // v0.3 JSON-RPC has no tasks/list in the SDK's compatibility layer
            assertThat(run.path("list").path("error").asText()).isNotEmpty();
        } else {
            // the send and the stream share a context
            assertThat(run.path("list").path("count").asInt()).isEqualTo(2);
            assertThat(run.path("list").path("ids").toString()).contains(run.path("send").path("id").asText());
        }
        assertThat(run.path("cancel").path("state").asInt()).isEqualTo(5);
        assertThat(run.path("unknown").path("name").asText()).isEqualTo("TaskNotFoundError");
    }

    private JsonNode node(String mode) throws Exception {
        Path peers = McpPeers.dir();
        assertThat(peers.resolve("node_modules/@a2a-js/sdk")).as("@a2a-js/sdk from test-peers/package.json")
                .isDirectory();
        ProcessBuilder builder = new ProcessBuilder("node", peers.resolve("a2a-client.mjs").toString(),
                server.url(""), mode);
        builder.environment().put("A2A_API_KEY", TestServer.KEY);
        Process node = builder.start();
        byte[] out = node.getInputStream().readAllBytes();
        String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(err).isZero();
        return TestServer.JSON.readTree(out);
    }
}

package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Socket.IO face driven by the real {@code socket.io-client} 4 from npm, over both transports. */
class SocketIoTest {

    @TempDir
    Path home;

    private FakeLlmServer fake;
    private TestServer server;

    @BeforeEach
    void start() {
        fake = FakeLlmServer.start();
        fake.on(Match.lastMessageIsToolResult(), Reply.text("It is noon."));
        fake.otherwise(Reply.toolCall("current_time", "{\"timezone\":\"Europe/Paris\"}"));
        server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl()));
    }

    @AfterEach
    void stop() {
        server.close();
        fake.close();
    }

    @Test
    void joinMessageStreamAndDoneOverLongPolling() throws Exception {
        chatsOver("polling");
    }

    @Test
    void joinMessageStreamAndDoneOverWebSocket() throws Exception {
        chatsOver("websocket");
    }

    private void chatsOver(String transport) throws Exception {
        JsonNode seen = client(TestServer.KEY, transport);
        assertThat(seen.path("error").isNull()).as(seen.toString()).isTrue();
        assertThat(seen.path("connected").asBoolean()).isTrue();
        assertThat(seen.path("transport").asText()).isEqualTo(transport);

        JsonNode joined = seen.path("joined");
        assertThat(joined.path("agentId").asText()).isEqualTo("default");
        assertThat(joined.path("sessionId").asText()).isEqualTo("sio-" + transport);
        assertThat(seen.path("acks").get(0).path("sessionId").asText()).isEqualTo("sio-" + transport);
        // an unknown agent is refused on the acknowledgement, naming the field
        assertThat(seen.path("acks").get(1).path("error").path("details").path("field").asText()).isEqualTo("agentId");
        assertThat(seen.path("acks").get(2).path("accepted").asBoolean()).isTrue();

        List<String> kinds = seen.path("stream").findValuesAsText("kind");
        assertThat(kinds).containsSubsequence("error", "tool_start", "tool_end", "token");
        JsonNode toolStart = find(seen.path("stream"), "tool_start");
        assertThat(toolStart.path("toolName").asText()).isEqualTo("current_time");
        assertThat(toolStart.path("args").path("timezone").asText()).isEqualTo("Europe/Paris");
        assertThat(find(seen.path("stream"), "tool_end").path("success").asBoolean()).isTrue();
        String text = "";
        for (JsonNode chunk : seen.path("stream")) {
            if (chunk.path("kind").asText().equals("token")) {
                assertThat(chunk.path("agentId").asText()).isEqualTo("default");
                text += chunk.path("content").asText();
            }
        }
        assertThat(text).isEqualTo("It is noon.");

        JsonNode done = seen.path("done");
        assertThat(done.path("content").asText()).isEqualTo("It is noon.");
        assertThat(done.path("finishReason").asText()).isEqualTo("stop");
        assertThat(done.path("sessionId").asText()).isEqualTo("sio-" + transport);
        assertThat(seen.path("statuses").findValuesAsText("status")).containsSubsequence("running", "idle");
        // the conversation is stored like any other
        assertThat(server.get("/api/sessions/sio-" + transport + "/history").body()).contains("It is noon.");
    }

    @Test
    void aWrongOrMissingTokenEndsInConnectError() throws Exception {
        for (String token : new String[] {"wrong-key", ""}) {
            JsonNode seen = client(token, "polling");
            assertThat(seen.path("connected").asBoolean()).isFalse();
            assertThat(seen.path("error").path("data").path("code").asText()).isEqualTo("unauthorized");
            assertThat(seen.path("joined").isNull()).isTrue();
        }
        JsonNode overWebSocket = client("wrong-key", "websocket");
        assertThat(overWebSocket.path("error").path("data").path("code").asText()).isEqualTo("unauthorized");
    }

    private static JsonNode find(JsonNode stream, String kind) {
        for (JsonNode chunk : stream) {
            if (chunk.path("kind").asText().equals(kind)) {
                return chunk;
            }
        }
        throw new AssertionError("no chunk of kind " + kind + " in " + stream);
    }

    private JsonNode client(String token, String transport) throws Exception {
        Path peers = McpPeers.dir();
        assertThat(peers.resolve("node_modules/socket.io-client")).as("socket.io-client from test-peers/package.json")
                .isDirectory();
        Process node = new ProcessBuilder("node", peers.resolve("socketio-client.mjs").toString(), server.url(""),
                token, transport).start();
        byte[] out = node.getInputStream().readAllBytes();
        String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(err).isZero();
        return TestServer.JSON.readTree(out);
    }
}

package dev.switchboard.face.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpTokenRoutesTest {

    FakeLlmServer fake;
    McpTestServer server;

    @BeforeAll
    void start(@TempDir Path home) {
        fake = FakeLlmServer.start();
        server = McpTestServer.start(McpTestServer.home(home, fake.openAiBaseUrl()));
    }

    @AfterAll
    void stop() {
        server.close();
        fake.close();
    }

    @BeforeEach
    void resetTheModel() {
        fake.reset();
    }

    @Test
    void plainToolsListAnswersTheSameToolsAsTheMcpEndpoint() {
        McpTestServer.Response plain = server.post("/mcp/tools/list", Map.of());
        assertThat(plain.status()).isEqualTo(200);
        McpTestServer.Client mcp = server.client("/mcp");
        mcp.initialize();
        JsonNode viaMcp = mcp.call("tools/list", Map.of()).answer().path("result").path("tools");
        assertThat(plain.json().path("tools")).isEqualTo(viaMcp);
        assertThat(names(plain.json().path("tools"))).containsExactly("agent_helper", "helper__current_time");
        assertThat(server.post("/mcp/tools/list", "").status()).as("an empty body counts as {}").isEqualTo(200);
    }

    @Test
    void plainToolsCallAnswersACallToolResult() {
        fake.otherwise(Reply.text("Plainly answered."));
        JsonNode own = server.post("/mcp/tools/call", Map.of("name", "helper__current_time",
                "arguments", Map.of("timezone", "UTC"))).json();
        assertThat(own.path("isError").asBoolean()).isFalse();
        assertThat(own.path("content").get(0).path("type").asText()).isEqualTo("text");
        assertThat(own.path("content").get(0).path("text").asText()).contains("UTC");

        JsonNode agent = server.post("/mcp/tools/call", Map.of("name", "agent_helper",
                "arguments", Map.of("message", "hello"))).json();
        assertThat(agent.path("content").get(0).path("text").asText()).isEqualTo("Plainly answered.");
        assertThat(agent.path("structuredContent").path("sessionId").asText()).isNotBlank();
    }

    @Test
    void plainToolsCallRejectsUnknownToolsAndMalformedBodies() {
        McpTestServer.Response unknown = server.post("/mcp/tools/call", Map.of("name", "nope"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").path("message").asText()).contains("nope");

        McpTestServer.Response noName = server.post("/mcp/tools/call", Map.of("arguments", Map.of()));
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().path("error").path("details").path("field").asText()).isEqualTo("name");

        McpTestServer.Response badArguments = server.post("/mcp/tools/call", Map.of("name", "agent_helper",
                "arguments", 5));
        assertThat(badArguments.status()).isEqualTo(400);
        assertThat(badArguments.json().path("error").path("details").path("field").asText()).isEqualTo("arguments");

        JsonNode invalid = server.post("/mcp/tools/call", Map.of("name", "agent_helper",
                "arguments", Map.of("message", ""))).json();
        assertThat(invalid.path("isError").asBoolean()).isTrue();
        assertThat(invalid.path("content").get(0).path("text").asText()).contains("message");
    }

    @Test
    void aTokenNamesASessionThatToolCallsContinue() {
        fake.on(Match.lastUserMessageContains("remember 42"), Reply.text("I will remember 42."));
        fake.on(Match.lastUserMessageContains("which number"), Reply.text("42."));
        server.post("/api/sessions", Map.of("sessionId", "acp-1", "agentId", "helper"));

        JsonNode first = server.post("/mcp/acp-1/tools/call", Map.of("name", "agent_helper",
                "arguments", Map.of("message", "Please remember 42"))).json();
        assertThat(first.path("structuredContent").path("sessionId").asText()).isEqualTo("acp-1");

        McpTestServer.Client mcp = server.client("/mcp/acp-1");
        mcp.initialize();
        assertThat(names(mcp.call("tools/list", Map.of()).answer().path("result").path("tools")))
                .contains("agent_helper");
        JsonNode second = mcp.callTool("agent_helper", Map.of("message", "which number was it?"));
        assertThat(second.path("content").get(0).path("text").asText()).isEqualTo("42.");
        assertThat(second.path("structuredContent").path("sessionId").asText()).isEqualTo("acp-1");
        assertThat(fake.requests().getLast().rawBody()).contains("Please remember 42").contains("I will remember 42.");

        JsonNode own = mcp.callTool("helper__current_time", Map.of());
        assertThat(own.path("_meta").path(ExposedTools.SESSION_META).asText()).isEqualTo("acp-1");

        JsonNode history = server.send(server.request("/api/sessions/acp-1/history").GET()).json();
        assertThat(history.path("history")).hasSize(4);

        McpTestServer.Response listed = server.post("/mcp/acp-1/tools/list", Map.of());
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().path("tools").size()).isEqualTo(2);
        assertThat(server.send(mcp.base().DELETE()).status()).isEqualTo(204);
    }

    @Test
    void anUnknownTokenIsNotFoundOnEveryTokenRoute() {
        for (String path : new String[] {"/mcp/no-such-session", "/mcp/no-such-session/tools/list",
                "/mcp/no-such-session/tools/call"}) {
            McpTestServer.Response response = server.send(server.request(path)
                    .header("Accept", "application/json, text/event-stream")
                    .POST(McpTestServer.publisher(Map.of("name", "agent_helper"))));
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.json().path("error").path("code").asText()).isEqualTo("not_found");
        }
        assertThat(server.send(server.request("/mcp/no-such-session").header("Accept", "text/event-stream").GET())
                .status()).isEqualTo(404);
        assertThat(server.send(server.request("/mcp/no-such-session").DELETE()).status()).isEqualTo(404);
    }

    private static List<String> names(JsonNode tools) {
        List<String> names = new ArrayList<>();
        tools.forEach(t -> names.add(t.path("name").asText()));
        return names;
    }
}

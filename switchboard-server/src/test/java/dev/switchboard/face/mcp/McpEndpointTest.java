package dev.switchboard.face.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.nio.file.Path;
import java.time.Duration;
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
class McpEndpointTest {

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
    void initializeNegotiatesTheVersionAndAdvertisesTools() {
        JsonNode result = server.client("/mcp").initialize();
        assertThat(result.path("protocolVersion").asText()).isEqualTo("2025-06-18");
        assertThat(result.path("serverInfo").path("name").asText()).isEqualTo("switchboard");
        assertThat(result.path("capabilities").has("tools")).isTrue();
        assertThat(result.path("instructions").asText()).contains("agent_<id>");
    }

    @Test
    void toolsListShowsExposedAgentsAndTheirExposedTools() {
        McpTestServer.Client mcp = server.client("/mcp");
        mcp.initialize();
        JsonNode tools = mcp.call("tools/list", Map.of()).answer().path("result").path("tools");
        List<String> names = new ArrayList<>();
        tools.forEach(t -> names.add(t.path("name").asText()));
        assertThat(names).containsExactly("agent_helper", "helper__current_time");

        JsonNode agent = tools.get(0);
        assertThat(agent.path("description").asText()).contains("Answers test questions").contains("sessionId");
        assertThat(agent.path("inputSchema").path("required").toString()).isEqualTo("[\"message\"]");
        assertThat(agent.path("inputSchema").path("properties").has("sessionId")).isTrue();
        JsonNode own = tools.get(1);
        assertThat(own.path("inputSchema").path("properties").has("timezone")).isTrue();
        assertThat(own.path("annotations").path("readOnlyHint").asBoolean()).isTrue();
    }

    @Test
    void callingTheAgentToolReturnsItsAnswerAndASessionToContinue() {
        fake.on(Match.lastUserMessageContains("My name is Ada"), Reply.text("Nice to meet you, Ada."));
        fake.on(Match.lastUserMessageContains("What is my name"), Reply.text("Your name is Ada."));
        McpTestServer.Client mcp = server.client("/mcp");
        mcp.initialize();

        JsonNode first = mcp.callTool("agent_helper", Map.of("message", "My name is Ada"));
        assertThat(first.path("isError").asBoolean()).isFalse();
        assertThat(first.path("content").get(0).path("text").asText()).isEqualTo("Nice to meet you, Ada.");
        String sessionId = first.path("structuredContent").path("sessionId").asText();
        assertThat(sessionId).isNotBlank();
        assertThat(first.path("structuredContent").path("response").asText()).isEqualTo("Nice to meet you, Ada.");
        assertThat(first.path("_meta").path(ExposedTools.SESSION_META).asText()).isEqualTo(sessionId);

        JsonNode second = mcp.callTool("agent_helper", Map.of("message", "What is my name?", "sessionId", sessionId));
        assertThat(second.path("content").get(0).path("text").asText()).isEqualTo("Your name is Ada.");
        assertThat(second.path("structuredContent").path("sessionId").asText()).isEqualTo(sessionId);
        // the model heard the earlier turn of the conversation
        String continued = fake.requests().getLast().rawBody();
        assertThat(continued).contains("My name is Ada").contains("Nice to meet you, Ada.").contains("What is my name");

        JsonNode third = mcp.callTool("agent_helper", Map.of("message", "What is my name?"));
        assertThat(third.path("structuredContent").path("sessionId").asText()).isNotEqualTo(sessionId);
        assertThat(fake.requests().getLast().rawBody()).doesNotContain("My name is Ada");

        // the conversation is an ordinary Switchboard session
        McpTestServer.Response history = server.send(server.request("/api/sessions/" + sessionId + "/history").GET());
        assertThat(history.json().path("history")).hasSize(4);
    }

    @Test
    void progressNotificationsStreamWhileTheRunGoesWhenTheClientAsks() {
        fake.on(Match.lastMessageIsToolResult(), Reply.text("It is noon."));
        fake.on(Match.lastUserMessageContains("time"), Reply.toolCall("current_time", "{\"timezone\":\"UTC\"}"));
        McpTestServer.Client mcp = server.client("/mcp");
        mcp.initialize();

        McpTestServer.Response response = mcp.call("tools/call", Map.of("name", "agent_helper",
                "arguments", Map.of("message", "What time is it?"), "_meta", Map.of("progressToken", "p1")));
        assertThat(response.contentType()).startsWith("text/event-stream");
        List<JsonNode> messages = response.messages();
        List<JsonNode> progress = messages.stream()
                .filter(m -> "notifications/progress".equals(m.path("method").asText())).toList();
        assertThat(progress).isNotEmpty();
        assertThat(progress).allSatisfy(p -> assertThat(p.path("params").path("progressToken").asText())
                .isEqualTo("p1"));
        List<String> said = progress.stream().map(p -> p.path("params").path("message").asText()).toList();
        assertThat(said).contains("Thinking (step 1)", "Running tool current_time", "Tool current_time finished");
        double previous = 0;
        for (JsonNode p : progress) {
            assertThat(p.path("params").path("progress").asDouble()).isGreaterThan(previous);
            previous = p.path("params").path("progress").asDouble();
        }
        JsonNode answer = messages.getLast();
        assertThat(answer.path("result").path("content").get(0).path("text").asText()).isEqualTo("It is noon.");
    }

    @Test
    void withoutAProgressTokenTheAnswerIsPlainJson() {
        fake.otherwise(Reply.text("Plain."));
        McpTestServer.Client mcp = server.client("/mcp");
        mcp.initialize();
        McpTestServer.Response response = mcp.call("tools/call", Map.of("name", "agent_helper",
                "arguments", Map.of("message", "hi")));
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.answer().path("result").path("content").get(0).path("text").asText()).isEqualTo("Plain.");
    }

    @Test
    void theAnswerTakesAFormTheClientAccepts() {
        fake.on(Match.lastMessageIsToolResult(), Reply.text("It is noon."));
        fake.on(Match.lastUserMessageContains("time"), Reply.toolCall("current_time", "{}"));
        McpTestServer.Client mcp = server.client("/mcp");
        mcp.initialize();
        McpTestServer.Response streamOnly = server.send(mcp.base().setHeader("Accept", "text/event-stream")
                .POST(McpTestServer.publisher(mcp.message("ping", null))));
        assertThat(streamOnly.contentType()).startsWith("text/event-stream");
        assertThat(streamOnly.answer().path("result").isEmpty()).isTrue();

        McpTestServer.Response jsonOnly = server.send(mcp.base().setHeader("Accept", "application/json")
                .POST(McpTestServer.publisher(mcp.message("tools/call", Map.of("name", "agent_helper",
                        "arguments", Map.of("message", "What time is it?"), "_meta", Map.of("progressToken", 7))))));
        assertThat(jsonOnly.contentType()).startsWith("application/json");
        assertThat(jsonOnly.messages()).singleElement().satisfies(answer -> assertThat(answer.path("result")
                .path("content").get(0).path("text").asText()).isEqualTo("It is noon."));

        McpTestServer.Response neither = server.send(mcp.base().setHeader("Accept", "text/html")
                .POST(McpTestServer.publisher(mcp.message("ping", null))));
        assertThat(neither.status()).isEqualTo(406);
    }

    @Test
    void aFailedRunIsAToolErrorWithTheMessage() {
        fake.otherwise(Reply.error(401, "{\"error\":{\"message\":\"Incorrect API key provided\"}}"));
        McpTestServer.Client mcp = server.client("/mcp");
        mcp.initialize();
        JsonNode result = mcp.callTool("agent_helper", Map.of("message", "hi"));
        assertThat(result.path("isError").asBoolean()).isTrue();
        assertThat(result.path("content").get(0).path("text").asText()).contains("run failed").contains("401");
        assertThat(result.path("_meta").path(ExposedTools.SESSION_META).asText()).isNotBlank();
    }

    @Test
    void anUnknownToolIsAJsonRpcErrorNotAServerFailure() {
        McpTestServer.Client mcp = server.client("/mcp");
        mcp.initialize();
        McpTestServer.Response response = mcp.call("tools/call", Map.of("name", "agent_hidden",
                "arguments", Map.of("message", "hi")));
        assertThat(response.status()).isEqualTo(200);
        JsonNode error = response.answer().path("error");
        assertThat(error.path("code").asInt()).isEqualTo(-32602);
        assertThat(error.path("message").asText()).startsWith("Unknown tool");
        assertThat(error.path("data").asText()).contains("agent_hidden");
    }

    @Test
    void invalidArgumentsAreAToolErrorNamingTheField() {
        McpTestServer.Client mcp = server.client("/mcp");
        mcp.initialize();
        JsonNode missing = mcp.callTool("agent_helper", Map.of("sessionId", "x"));
        assertThat(missing.path("isError").asBoolean()).isTrue();
        assertThat(missing.path("content").get(0).path("text").asText()).contains("message");

        JsonNode wrongType = mcp.callTool("helper__current_time", Map.of("timezone", 5));
        assertThat(wrongType.path("isError").asBoolean()).isTrue();
        assertThat(wrongType.path("content").get(0).path("text").asText()).contains("timezone");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void anExposedToolOfTheAgentRunsDirectly() {
        McpTestServer.Client mcp = server.client("/mcp");
        mcp.initialize();
        JsonNode result = mcp.callTool("helper__current_time", Map.of("timezone", "Asia/Tokyo"));
        assertThat(result.path("isError").asBoolean()).isFalse();
        assertThat(result.path("content").get(0).path("text").asText()).contains("Asia/Tokyo");
    }

    @Test
    void aSessionOfAnotherAgentIsNotContinued() {
        String other = server.post("/api/sessions", Map.of("sessionId", "of-default", "agentId", "default")).json()
                .path("session").path("id").asText();
        assertThat(other).isEqualTo("of-default");
        McpTestServer.Client mcp = server.client("/mcp");
        mcp.initialize();
        JsonNode result = mcp.callTool("agent_helper", Map.of("message", "hi", "sessionId", "of-default"));
        assertThat(result.path("isError").asBoolean()).isTrue();
        assertThat(result.path("content").get(0).path("text").asText()).contains("agent_default");
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void pingAndLoggingLevelAnswerEmptyResults() {
        McpTestServer.Client mcp = server.client("/mcp");
        mcp.initialize();
        assertThat(mcp.call("ping", null).answer().path("result").isEmpty()).isTrue();
        assertThat(mcp.call("logging/setLevel", Map.of("level", "info")).answer().path("result").isEmpty()).isTrue();
        assertThat(mcp.call("prompts/list", Map.of()).answer().path("error").path("code").asInt()).isEqualTo(-32601);
    }

    @Test
    void aLongCallTurnsIntoAStreamWithKeepAlives(@TempDir Path otherHome) {
        fake.otherwise(Reply.text("Finally.").delayFirstByte(Duration.ofMillis(2500)));
        McpTestServer.home(otherHome, fake.openAiBaseUrl());
        McpTestServer.write(otherHome.resolve("switchboard.yml"), "limits:\n  keepAliveSeconds: 1\n");
        try (McpTestServer quick = McpTestServer.start(otherHome)) {
            McpTestServer.Client mcp = quick.client("/mcp");
            mcp.initialize();
            McpTestServer.Response response = mcp.call("tools/call", Map.of("name", "agent_helper",
                    "arguments", Map.of("message", "slow")));
            assertThat(response.contentType()).startsWith("text/event-stream");
            assertThat(response.body()).contains(": keep-alive");
            assertThat(response.answer().path("result").path("content").get(0).path("text").asText())
                    .isEqualTo("Finally.");
        }
    }
}

package dev.switchboard.server;

import static dev.switchboard.server.TestServer.SseReader.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.RecordedRequest;
import dev.switchboard.testkit.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentRunTest {

    @TempDir
    Path home;

    FakeLlmServer fake;

    @BeforeEach
    void scriptTheModel() {
        fake = FakeLlmServer.start();
        fake.on(Match.lastMessageIsToolResult(), Reply.text("It is noon in Paris.").withUsage(40, 8));
        fake.on(Match.lastUserMessageContains("time"),
                Reply.toolCall("current_time", "{\"timezone\":\"Europe/Paris\"}")
                        .withReasoning("The user wants the time; I will ask the clock.")
                        .withUsage(30, 12));
    }

    @AfterEach
    void stopTheModel() {
        fake.close();
    }

    @Test
    void toolCallRoundTripStreamsEventsInOrderOverTheOpenAiWire() {
        TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
        try (TestServer server = TestServer.start(home)) {
            assertToolRoundTrip(server);
        }
    }

    @Test
    void toolCallRoundTripStreamsEventsInOrderOverTheAnthropicWire() {
        TestServer.homeWithAgent(home, "anthropic", fake.anthropicBaseUrl());
        try (TestServer server = TestServer.start(home)) {
            assertToolRoundTrip(server);
        }
    }

    private void assertToolRoundTrip(TestServer server) {
        List<JsonNode> events;
        try (TestServer.SseReader sse = server.streamMessage("trip", "What time is it?")) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.response.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            events = sse.readUntil(named("run:complete"));
        }

        assertThat(collapsed(events)).containsExactly(
                "run:started", "llm:thinking", "llm:chunk", "llm:response", "llm:tool-call", "tool:running",
                "llm:tool-result", "llm:thinking", "llm:chunk", "llm:response", "run:complete");
        String runId = events.getFirst().path("runId").asText();
        long previous = -1;
        for (JsonNode event : events) {
            assertThat(event.path("sessionId").asText()).isEqualTo("trip");
            assertThat(event.path("runId").asText()).isEqualTo(runId);
            assertThat(event.path("seq").asLong()).isGreaterThan(previous);
            assertThat(event.path("_id").asText()).isEqualTo(event.path("seq").asText());
            assertThat(event.path("timestamp").asLong()).isPositive();
            previous = event.path("seq").asLong();
        }
        JsonNode reasoning = first(events, "llm:chunk");
        assertThat(reasoning.path("chunkType").asText()).isEqualTo("reasoning");
        JsonNode call = first(events, "llm:tool-call");
        assertThat(call.path("toolName").asText()).isEqualTo("current_time");
        assertThat(call.path("args").asText()).contains("Europe/Paris");
        JsonNode result = first(events, "llm:tool-result");
        assertThat(result.path("callId").asText()).isEqualTo(call.path("callId").asText());
        assertThat(result.path("success").asBoolean()).isTrue();
        assertThat(result.path("result").asText()).contains("Europe/Paris");
        JsonNode complete = events.getLast();
        assertThat(complete.path("finishReason").asText()).isEqualTo("stop");
        assertThat(complete.path("stepCount").asInt()).isEqualTo(2);
        assertThat(complete.path("tokenUsage").path("inputTokens").asLong()).isEqualTo(70);
        String text = events.stream().filter(e -> e.path("name").asText().equals("llm:chunk")
                && e.path("chunkType").asText().equals("text")).map(e -> e.path("content").asText())
                .reduce("", String::concat);
        assertThat(text).isEqualTo("It is noon in Paris.");

        // the model's second call carried the tool's result for its call id
        RecordedRequest second = fake.requests().get(1);
        assertThat(second.rawBody()).contains(call.path("callId").asText()).contains("Europe/Paris");
        assertThat(fake.requests().getFirst().toolNames()).containsExactly("current_time");

        JsonNode history = server.get("/api/sessions/trip/history").json();
        List<String> roles = new ArrayList<>();
        history.path("history").forEach(m -> roles.add(m.path("role").asText()));
        assertThat(roles).containsExactly("user", "assistant", "tool", "assistant");
        assertThat(history.path("history").get(1).path("toolCalls").get(0).path("function").path("name").asText())
                .isEqualTo("current_time");
        assertThat(history.path("history").get(3).path("content").asText()).isEqualTo("It is noon in Paris.");
        assertThat(history.path("isBusy").asBoolean()).isFalse();

        JsonNode session = server.get("/api/sessions/trip").json().path("session");
        assertThat(session.path("messageCount").asInt()).isEqualTo(4);
        assertThat(session.path("tokenUsage").path("outputTokens").asLong()).isEqualTo(20);
    }

    @Test
    void messageSyncAnswersWithTheReplyAndUsage() {
        TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
        fake.otherwise(Reply.text("Hello there").withUsage(11, 3));
        try (TestServer server = TestServer.start(home)) {
            TestServer.Reply reply = server.post("/api/message-sync", java.util.Map.of("sessionId", "s", "content", "hi"));
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().path("response").asText()).isEqualTo("Hello there");
            assertThat(reply.json().path("sessionId").asText()).isEqualTo("s");
            assertThat(reply.json().path("tokenUsage").path("totalTokens").asLong()).isEqualTo(14);
            assertThat(reply.json().path("model").asText()).isNotBlank();
        }
    }

    @Test
    void aProviderFailureBecomesAnErrorEventAndA502() {
        TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl());
        fake.reset();
        fake.otherwise(Reply.error(401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\"}}"));
        try (TestServer server = TestServer.start(home)) {
            List<JsonNode> events;
            try (TestServer.SseReader sse = server.streamMessage("e", "hi")) {
                events = sse.readUntil(named("run:complete"));
            }
            JsonNode error = first(events, "llm:error");
            assertThat(error.path("recoverable").asBoolean()).isFalse();
            assertThat(error.path("error").asText()).contains("401");
            assertThat(events.getLast().path("finishReason").asText()).isEqualTo("error");

            TestServer.Reply sync = server.post("/api/message-sync", java.util.Map.of("sessionId", "e", "content", "again"));
            assertThat(sync.status()).isEqualTo(502);
            assertThat(sync.json().path("error").path("details").path("recoverable").asBoolean()).isFalse();
        }
    }

    static JsonNode first(List<JsonNode> events, String name) {
        return events.stream().filter(e -> e.path("name").asText().equals(name)).findFirst().orElseThrow();
    }

    /** Event names with runs of the same name collapsed, so chunk counts do not matter. */
    static List<String> collapsed(List<JsonNode> events) {
        List<String> names = new ArrayList<>();
        for (String name : TestServer.names(events)) {
            if (names.isEmpty() || !names.getLast().equals(name)) {
                names.add(name);
            }
        }
        return names;
    }

    static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

package dev.switchboard.server;

import static dev.switchboard.server.AgentRunTest.first;
import static dev.switchboard.server.TestServer.SseReader.named;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person approving, denying and answering tool calls over HTTP while watching the run over SSE. The tool is a
 * real MCP server's ({@code echo} of server-everything), which acts and therefore asks in manual mode.
 */
class ApprovalsEndToEndTest {

    @TempDir
    Path home;

    FakeLlmServer fake;

    @BeforeEach
    void scriptTheModel() {
        fake = FakeLlmServer.start();
        fake.on(Match.lastMessageIsToolResult(), Reply.text("Done with the tool."));
        fake.on(Match.lastUserMessageContains("echo"),
                Reply.toolCall("mcp__everything__echo", "{\"message\":\"approved words\"}"));
        // the sampling request server-everything sends on its own behalf, answered by the same model
        fake.on(Match.systemPromptContains("helpful test server"), Reply.text("a haiku about switches"));
        fake.on(Match.lastUserMessageContains("sample"), Reply.toolCall("mcp__everything__trigger-sampling-request",
                "{\"prompt\":\"write a haiku\",\"maxTokens\":50}"));
        fake.on(Match.lastUserMessageContains("form"),
                Reply.toolCall("mcp__everything__trigger-elicitation-request", "{}"));
    }

    @AfterEach
    void stopTheModel() {
        fake.close();
    }

    private void manualAgent(int timeoutMs) {
        TestServer.writeAgent(home, "default", """
                llm:
                  provider: openai-compatible
                  model: test-model
                  apiKey: test-llm-key
                  baseURL: %s
                  maxIterations: 6
                  maxRetries: 0
                %s
                permissions:
                  mode: manual
                  timeout: %d
                """.formatted(fake.openAiBaseUrl(), McpPeers.everythingOverStdio("strict"), timeoutMs));
    }

    private static TestServer.Reply answer(TestServer server, String approvalId, Map<String, Object> body,
            String idempotencyKey) {
        HttpRequest.Builder request = server.request("/api/approvals/" + approvalId)
                .POST(TestServer.publisher(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return server.send(request);
    }

    @Test
    void anApprovedCallRunsAndTheRunFinishes() {
        manualAgent(60_000);
        try (TestServer server = TestServer.start(home);
                TestServer.SseReader sse = server.streamMessage("ok", "please echo")) {
            JsonNode asked = sse.readUntil(named("approval:request")).getLast();
            assertThat(asked.path("type").asText()).isEqualTo("tool_confirmation");
            assertThat(asked.path("toolName").asText()).isEqualTo("mcp__everything__echo");
            String approvalId = asked.path("approvalId").asText();

            JsonNode pending = server.get("/api/approvals?sessionId=ok").json();
            assertThat(pending.path("approvals")).hasSize(1);
            JsonNode listed = pending.path("approvals").get(0);
            assertThat(listed.path("approvalId").asText()).isEqualTo(approvalId);
            assertThat(listed.path("metadata").path("args").path("message").asText()).isEqualTo("approved words");
            assertThat(listed.path("timeout").asLong()).isEqualTo(60_000);

            TestServer.Reply answered = answer(server, approvalId, Map.of("status", "approved"), null);
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.json().path("status").asText()).isEqualTo("approved");

            List<JsonNode> rest = sse.readUntil(named("run:complete"));
            assertThat(AgentRunTest.collapsed(rest)).containsSubsequence("approval:response", "tool:running",
                    "llm:tool-result", "run:complete");
            assertThat(first(rest, "approval:response").path("status").asText()).isEqualTo("approved");
            assertThat(first(rest, "llm:tool-result").path("result").asText()).contains("approved words");
            assertThat(server.get("/api/approvals?sessionId=ok").json().path("approvals")).isEmpty();
        }
    }

    @Test
    void aDeniedCallReachesTheModelWithTheReasonAndTheRunGoesOn() {
        manualAgent(60_000);
        try (TestServer server = TestServer.start(home);
                TestServer.SseReader sse = server.streamMessage("no", "please echo")) {
            String approvalId = sse.readUntil(named("approval:request")).getLast().path("approvalId").asText();

            answer(server, approvalId, Map.of("status", "denied", "reason", "not today"), null);

            List<JsonNode> rest = sse.readUntil(named("run:complete"));
            JsonNode result = first(rest, "llm:tool-result");
            assertThat(result.path("success").asBoolean()).isFalse();
            assertThat(result.path("error").asText()).isEqualTo("Not approved: not today");
            assertThat(TestServer.names(rest)).doesNotContain("tool:running");
            assertThat(rest.getLast().path("finishReason").asText()).isEqualTo("stop");
            assertThat(fake.requests().getLast().rawBody()).contains("not today");
        }
    }

    @Test
    void aRememberedApprovalLetsLaterCallsRunWithoutAsking() {
        manualAgent(60_000);
        try (TestServer server = TestServer.start(home)) {
            try (TestServer.SseReader sse = server.streamMessage("keep", "please echo")) {
                String approvalId = sse.readUntil(named("approval:request")).getLast().path("approvalId").asText();
                answer(server, approvalId, Map.of("status", "approved", "rememberChoice", true), null);
                assertThat(first(sse.readUntil(named("run:complete")), "approval:response")
                        .path("rememberChoice").asBoolean()).isTrue();
            }
            List<JsonNode> second;
            try (TestServer.SseReader sse = server.streamMessage("keep", "echo again")) {
                second = sse.readUntil(named("run:complete"));
            }
            assertThat(TestServer.names(second)).doesNotContain("approval:request");
            assertThat(first(second, "llm:tool-result").path("success").asBoolean()).isTrue();
        }
    }

    @Test
    void noAnswerInTimeIsADenialThatSaysItTimedOut() {
        manualAgent(1_000);
        try (TestServer server = TestServer.start(home);
                TestServer.SseReader sse = server.streamMessage("late", "please echo")) {
            List<JsonNode> events = sse.readUntil(named("run:complete"));

            JsonNode response = first(events, "approval:response");
            assertThat(response.path("status").asText()).isEqualTo("denied");
            assertThat(response.path("reason").asText()).contains("timed out");
            assertThat(first(events, "llm:tool-result").path("error").asText()).contains("timed out");
            assertThat(events.getLast().path("finishReason").asText()).isEqualTo("stop");
        }
    }

    @Test
    void aReplayedIdempotencyKeyGetsTheSameAnswerAndOtherAnswersConflict() {
        manualAgent(60_000);
        try (TestServer server = TestServer.start(home);
                TestServer.SseReader sse = server.streamMessage("once", "please echo")) {
            String approvalId = sse.readUntil(named("approval:request")).getLast().path("approvalId").asText();

            TestServer.Reply first = answer(server, approvalId, Map.of("status", "denied"), "answer-1");
            TestServer.Reply replay = answer(server, approvalId, Map.of("status", "denied"), "answer-1");
            TestServer.Reply other = answer(server, approvalId, Map.of("status", "approved"), "answer-2");
            TestServer.Reply keyless = answer(server, approvalId, Map.of("status", "approved"), null);

            assertThat(first.status()).isEqualTo(200);
            assertThat(replay.status()).isEqualTo(200);
            assertThat(replay.body()).isEqualTo(first.body());
            assertThat(other.status()).isEqualTo(409);
            assertThat(keyless.status()).isEqualTo(409);
            List<JsonNode> rest = sse.readUntil(named("run:complete"));
            assertThat(TestServer.names(rest).stream().filter("approval:response"::equals)).hasSize(1);
        }
    }

    @Test
    void badAnswersAreRefusedAndLeaveTheQuestionPending() {
        manualAgent(60_000);
        try (TestServer server = TestServer.start(home);
                TestServer.SseReader sse = server.streamMessage("bad", "please echo")) {
            String approvalId = sse.readUntil(named("approval:request")).getLast().path("approvalId").asText();

            assertThat(answer(server, approvalId, Map.of("status", "maybe"), null).errorField()).isEqualTo("status");
            assertThat(answer(server, approvalId, Map.of(), null).errorField()).isEqualTo("status");
            assertThat(answer(server, approvalId, Map.of("status", "approved", "formData", "x"), null).errorField())
                    .isEqualTo("formData");
            assertThat(answer(server, approvalId, Map.of("status", "approved", "extra", 1), null).errorField())
                    .isEqualTo("extra");
            assertThat(answer(server, "apr_unknown", Map.of("status", "approved"), null).status()).isEqualTo(404);
            assertThat(server.get("/api/approvals?sessionId=").status()).isEqualTo(400);
            assertThat(server.get("/api/approvals?sessionId=bad").json().path("approvals")).hasSize(1);

            answer(server, approvalId, Map.of("status", "cancelled"), null);
            JsonNode result = first(sse.readUntil(named("run:complete")), "llm:tool-result");
            assertThat(result.path("error").asText()).startsWith("Cancelled:");
        }
    }

    @Test
    void aPendingApprovalSurvivesARestartAndItsAnswerResumesTheConversation() {
        manualAgent(120_000);
        try (TestServer server = TestServer.start(home)) {
            String approvalId;
            try (TestServer.SseReader sse = server.streamMessage("later", "please echo")) {
                approvalId = sse.readUntil(named("approval:request")).getLast().path("approvalId").asText();
            }

            server.restart();

            JsonNode pending = server.get("/api/approvals?sessionId=later").json().path("approvals");
            assertThat(pending).hasSize(1);
            assertThat(pending.get(0).path("approvalId").asText()).isEqualTo(approvalId);
            List<JsonNode> events = new ArrayList<>();
            try (TestServer.SseReader sse = server.stream(server.request("/api/sessions/later/events").GET())) {
                assertThat(answer(server, approvalId, Map.of("status", "approved"), null).status()).isEqualTo(200);
                events.addAll(sse.readUntil(named("run:complete")));
            }
            assertThat(first(events, "llm:tool-result").path("result").asText()).contains("approved words");
            JsonNode history = server.get("/api/sessions/later/history").json().path("history");
            assertThat(history.get(history.size() - 1).path("content").asText()).isEqualTo("Done with the tool.");
            JsonNode runs = server.get("/api/sessions/later/runs").json().path("runs");
            assertThat(runs.findValuesAsText("status")).containsExactly("interrupted", "completed");
        }
    }

    @Test
    void anMcpServersElicitationBecomesAnApprovalAnsweredWithFormData() {
        TestServer.writeAgent(home, "default", """
                llm: {provider: openai-compatible, model: test-model, apiKey: k, baseURL: %s, maxRetries: 0}
                %s
                permissions: {mode: manual, alwaysAllow: ['mcp__everything__*']}
                """.formatted(fake.openAiBaseUrl(), McpPeers.everythingOverStdio("strict")));
        try (TestServer server = TestServer.start(home);
                TestServer.SseReader sse = server.streamMessage("form", "fill in the form")) {
            JsonNode asked = sse.readUntil(named("approval:request")).getLast();
            assertThat(asked.path("type").asText()).isEqualTo("elicitation");
            assertThat(asked.path("metadata").path("requestedSchema").path("required").get(0).asText())
                    .isEqualTo("name");

            TestServer.Reply answered = answer(server, asked.path("approvalId").asText(), Map.of("status", "approved",
                    "formData", Map.of("name", "Ada Lovelace", "check", true, "integer", 7)), null);
            assertThat(answered.status()).isEqualTo(200);

            JsonNode result = first(sse.readUntil(named("run:complete")), "llm:tool-result");
            assertThat(result.path("success").asBoolean()).as(result.toString()).isTrue();
            assertThat(result.path("result").asText()).contains("Name: Ada Lovelace").contains("Favorite Integer: 7");
        }
    }

    @Test
    void anMcpServersSamplingRequestWaitsForApprovalThenUsesTheAgentsModel() {
        TestServer.writeAgent(home, "default", """
                llm: {provider: openai-compatible, model: test-model, apiKey: k, baseURL: %s, maxRetries: 0}
                %s
                permissions: {mode: manual, alwaysAllow: ['mcp__everything__trigger-sampling-request']}
                """.formatted(fake.openAiBaseUrl(), McpPeers.everythingOverStdio("strict")));
        try (TestServer server = TestServer.start(home);
                TestServer.SseReader sse = server.streamMessage("sampling", "please sample the model")) {
            JsonNode asked = sse.readUntil(named("approval:request")).getLast();
            assertThat(asked.path("type").asText()).isEqualTo("sampling");
            assertThat(asked.path("metadata").path("server").asText()).isEqualTo("everything");
            assertThat(asked.path("metadata").path("lastMessage").asText()).contains("write a haiku");

            answer(server, asked.path("approvalId").asText(), Map.of("status", "approved"), null);

            JsonNode result = first(sse.readUntil(named("run:complete")), "llm:tool-result");
            assertThat(result.path("success").asBoolean()).as(result.toString()).isTrue();
            assertThat(result.path("result").asText()).contains("a haiku about switches");
            assertThat(fake.requests()).anySatisfy(r -> {
                assertThat(r.systemPrompt()).contains("helpful test server");
                assertThat(r.body().path("max_tokens").asInt(r.body().path("max_completion_tokens").asInt())).isEqualTo(50);
            });
        }
    }
}

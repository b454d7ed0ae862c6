package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tool in manual mode asks over {@code /ws}, the person answers over the same socket, and the run completes. */
class WebSocketApprovalTest {

    @TempDir
    Path home;

    @Test
    void anApprovalAnsweredOverTheSocketLetsTheToolRunAndTheRunComplete() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.on(Match.lastMessageIsToolResult(), Reply.text("The file is written."));
            fake.on(Match.lastUserMessageContains("write"),
                    Reply.toolCall("write_file", "{\"path\":\"notes.txt\",\"content\":\"asked over ws\"}"));
            TestServer.writeAgent(home, "default", """
                    llm:
                      provider: openai-compatible
                      model: test-model
                      apiKey: test-llm-key
                      baseURL: %s
                      maxRetries: 0
                    tools: [write_file]
                    permissions:
                      mode: manual
                      timeout: 60000
                    """.formatted(fake.openAiBaseUrl()));
            try (TestServer server = TestServer.start(home);
                    WsClient ws = WsClient.open(server, "?token=" + TestServer.KEY)) {
                ws.next("connected");
                ws.send(Map.of("type", "subscribe", "channels", List.of("approvals", "agent.tool_call",
                        "agent.status")));
                ws.next("subscribed");
                ws.send(Map.of("type", "message", "sessionId", "asks", "content", "write a note"));
                ws.next("message.accepted");

                JsonNode asked = ws.next(f -> f.path("type").asText().equals("event") && List.of("approval:request",
                        "run:complete", "error").contains(f.path("name").asText()));
                assertThat(asked.path("name").asText()).as(asked.toString()).isEqualTo("approval:request");
                assertThat(asked.path("channel").asText()).isEqualTo("approvals");
                // the frame's type stays "event"; the question's own type is carried beside it
                assertThat(asked.path("approvalType").asText()).isEqualTo("tool_confirmation");
                assertThat(asked.path("toolName").asText()).isEqualTo("write_file");
                String approvalId = asked.path("approvalId").asText();
                assertThat(server.get("/api/approvals?sessionId=asks").json().path("approvals")).hasSize(1);

                ws.send(Map.of("type", "approval", "id", "a1", "approvalId", approvalId, "status", "approved"));
                // the answer's event may come before or after the reply to the answer: collect both
                List<JsonNode> rest = new ArrayList<>();
                JsonNode answered = null;
                while (rest.isEmpty() || !rest.getLast().path("name").asText().equals("run:complete")) {
                    JsonNode frame = ws.next(f -> List.of("event", "approval.answered")
                            .contains(f.path("type").asText()));
                    if (frame.path("type").asText().equals("approval.answered")) {
                        answered = frame;
                    } else {
                        rest.add(frame);
                    }
                }
                assertThat(answered).isNotNull();
                assertThat(answered.path("id").asText()).isEqualTo("a1");
                assertThat(answered.path("status").asText()).isEqualTo("approved");
                assertThat(rest).extracting(e -> e.path("name").asText())
                        .containsSubsequence("approval:response", "tool:running", "llm:tool-result", "run:complete");
                assertThat(rest.getFirst().path("status").asText()).isEqualTo("approved");
                JsonNode result = rest.stream().filter(e -> e.path("name").asText().equals("llm:tool-result"))
                        .findFirst().orElseThrow();
                assertThat(result.path("success").asBoolean()).isTrue();
                assertThat(rest.getLast().path("finishReason").asText()).isEqualTo("stop");
                assertThat(server.get("/api/approvals?sessionId=asks").json().path("approvals")).isEmpty();
                assertThat(server.get("/api/sessions/asks/history").body()).contains("The file is written.");

                // the same approval cannot be answered twice
                ws.send(Map.of("type", "approval", "id", "a2", "approvalId", approvalId, "status", "denied"));
                JsonNode again = ws.next("error");
                assertThat(again.path("id").asText()).isEqualTo("a2");
            }
        }
    }
}

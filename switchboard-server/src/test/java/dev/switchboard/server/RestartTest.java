package dev.switchboard.server;

import static dev.switchboard.server.AgentRunTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.FakeLlmServer;
import dev.switchboard.testkit.Match;
import dev.switchboard.testkit.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartTest {

    @TempDir
    Path home;

    @Test
    void aRestartMarksTheInterruptedRunAndProcessesTheQueuedMessage() {
        try (FakeLlmServer fake = FakeLlmServer.start()) {
            fake.on(Match.lastUserMessageContains("hang"), Reply.text("never").hang());
            fake.otherwise(Reply.text("answer after restart"));
            try (TestServer server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible",
                    fake.openAiBaseUrl()))) {
                assertThat(server.post("/api/message", Map.of("sessionId", "r", "content", "hang please")).status())
                        .isEqualTo(202);
                fake.awaitRequests(1, Duration.ofSeconds(10));
                JsonNode queued = server.post("/api/message", Map.of("sessionId", "r", "content", "still here?")).json();
                assertThat(queued.path("queued").asBoolean()).isTrue();

                server.restart();

                await(() -> server.get("/api/sessions/r/runs").json().path("runs").size() == 2
                        && server.get("/api/sessions/r/runs").json().path("runs").get(1).path("status").asText()
                                .equals("completed"));
                JsonNode runs = server.get("/api/sessions/r/runs").json().path("runs");
                assertThat(runs.get(0).path("status").asText()).isEqualTo("interrupted");
                assertThat(runs.get(0).path("finishReason").asText()).isEqualTo("interrupted");
                assertThat(QueueAndCancelTest.contents(server.get("/api/sessions/r/history").json()))
                        .containsExactly("hang please", "still here?", "answer after restart");
                assertThat(server.get("/api/queue/r").json().path("count").asInt()).isZero();
            }
        }
    }
}

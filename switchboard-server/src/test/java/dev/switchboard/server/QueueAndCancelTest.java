package dev.switchboard.server;

import static dev.switchboard.server.AgentRunTest.await;
import static dev.switchboard.server.TestServer.SseReader.named;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueAndCancelTest {

    @TempDir
    Path home;

    FakeLlmServer fake;
    TestServer server;

    @BeforeEach
    void start() {
        fake = FakeLlmServer.start();
        fake.on(Match.lastUserMessageContains("hang"), Reply.text("never finished").hang());
        fake.on(Match.lastUserMessageContains("slow"), Reply.text("slow answer").delayFirstByte(Duration.ofMillis(700)));
        fake.otherwise(Reply.text("quick answer"));
        server = TestServer.start(TestServer.homeWithAgent(home, "openai-compatible", fake.openAiBaseUrl()));
    }

    @AfterEach
    void stop() {
        server.close();
        fake.close();
    }

    @Test
    void aBusySessionAnswers202AndItsQueuedMessageRunsNext() {
        try (TestServer.SseReader first = server.streamMessage("q", "slow please")) {
            assertThat(first.status()).isEqualTo(200);

            TestServer.Reply busy = server.send(server.request("/api/message-stream")
                    .POST(TestServer.publisher(Map.of("sessionId", "q", "content", "and then this"))));
            assertThat(busy.status()).isEqualTo(202);
            assertThat(busy.json().path("busy").asBoolean()).isTrue();
            assertThat(busy.json().path("queueLength").asInt()).isEqualTo(1);
            assertThat(busy.json().path("hint").asText()).isNotBlank();

            TestServer.Reply queue = server.get("/api/queue/q");
            assertThat(queue.json().path("count").asInt()).isEqualTo(1);
            assertThat(queue.json().path("messages").get(0).path("content").get(0).path("text").asText())
                    .isEqualTo("and then this");

            List<JsonNode> events = first.readUntil(named("run:complete"));
            assertThat(events.getLast().path("finishReason").asText()).isEqualTo("stop");
        }
        await(() -> contents(server.get("/api/sessions/q/history").json()).size() == 4);
        assertThat(contents(server.get("/api/sessions/q/history").json()))
                .containsExactly("slow please", "slow answer", "and then this", "quick answer");

        // the session's stream told watchers about the queueing
        try (TestServer.SseReader replay = server.stream(server.request("/api/sessions/q/events?after=0").GET())) {
            List<String> names = TestServer.names(replay.readUntil(
                    e -> isSecondRun(e) && e.path("name").asText().equals("run:complete")));
            // the first run's run:started and the second message's message:queued come from two threads at
            // nearly the same moment, in either order
            assertThat(names).containsSubsequence("run:started", "run:complete", "message:dequeued", "run:started",
                    "run:complete");
            assertThat(names).containsSubsequence("message:queued", "run:complete", "message:dequeued");
        }
    }

    private String secondRun;

    private boolean isSecondRun(JsonNode event) {
        if (event.path("name").asText().equals("message:dequeued")) {
            secondRun = event.path("runId").asText();
        }
        return secondRun != null && secondRun.equals(event.path("runId").asText());
    }

    @Test
    void softCancelClosesTheProviderCallAndLetsTheQueueRun() throws Exception {
        try (TestServer.SseReader hanging = server.streamMessage("soft", "hang please")) {
            fake.awaitRequests(1, Duration.ofSeconds(10));
            TestServer.Reply queued = server.post("/api/message", Map.of("sessionId", "soft", "content", "next one"));
            assertThat(queued.status()).isEqualTo(202);
            assertThat(queued.json().path("queued").asBoolean()).isTrue();

            TestServer.Reply cancel = server.post("/api/sessions/soft/cancel", Map.of());
            assertThat(cancel.json().path("cancelled").asBoolean()).isTrue();
            assertThat(cancel.json().path("queueCleared").asBoolean()).isFalse();

            assertThat(fake.requests().getFirst().awaitClientClosed(Duration.ofSeconds(5))).isTrue();
            List<JsonNode> events = hanging.readUntil(named("run:complete"));
            assertThat(events.getLast().path("finishReason").asText()).isEqualTo("cancelled");
        }
        await(() -> contents(server.get("/api/sessions/soft/history").json()).contains("quick answer"));
        JsonNode runs = server.get("/api/sessions/soft/runs").json().path("runs");
        assertThat(runs.get(0).path("status").asText()).isEqualTo("cancelled");
        await(() -> server.get("/api/sessions/soft/runs").json().path("runs").path(1).path("status").asText()
                .equals("completed"));
    }

    @Test
    void hardCancelClosesTheProviderCallAndDropsTheQueue() throws Exception {
        try (TestServer.SseReader hanging = server.streamMessage("hard", "hang please")) {
            fake.awaitRequests(1, Duration.ofSeconds(10));
            server.post("/api/message", Map.of("sessionId", "hard", "content", "dropped one"));
            server.post("/api/message", Map.of("sessionId", "hard", "content", "dropped two"));

            TestServer.Reply cancel = server.post("/api/sessions/hard/cancel", Map.of("clearQueue", true));
            assertThat(cancel.json().path("cancelled").asBoolean()).isTrue();
            assertThat(cancel.json().path("queueCleared").asBoolean()).isTrue();
            assertThat(cancel.json().path("clearedCount").asInt()).isEqualTo(2);

            assertThat(fake.requests().getFirst().awaitClientClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(hanging.readUntil(named("run:complete")).getLast().path("finishReason").asText())
                    .isEqualTo("cancelled");
        }
        await(() -> !server.get("/api/sessions/hard/history").json().path("isBusy").asBoolean());
        assertThat(server.get("/api/queue/hard").json().path("count").asInt()).isZero();
        assertThat(server.get("/api/sessions/hard/runs").json().path("runs")).hasSize(1);
        assertThat(fake.requests()).hasSize(1);
        assertThat(contents(server.get("/api/sessions/hard/history").json())).doesNotContain("dropped one");
    }

    @Test
    void aClientThatDisconnectsDoesNotCancelTheRun() {
        fake.on(Match.lastUserMessageContains("story"),
                Reply.text("once upon a time there was a server").chunkDelay(Duration.ofMillis(80)));
        try (TestServer.SseReader stream = server.streamMessage("gone", "tell me a story")) {
            stream.readUntil(named("llm:chunk"));
        }
        await(() -> server.get("/api/sessions/gone/runs").json().path("runs").path(0).path("status").asText()
                .equals("completed"));
        assertThat(contents(server.get("/api/sessions/gone/history").json()))
                .containsExactly("tell me a story", "once upon a time there was a server");
        assertThat(fake.requests().getFirst().clientClosed()).isFalse();
    }

    @Test
    void aQueuedMessageCanBeRemovedBeforeItRuns() {
        try (TestServer.SseReader hanging = server.streamMessage("rm", "hang please")) {
            fake.awaitRequests(1, Duration.ofSeconds(10));
            String id = server.post("/api/queue/rm", Map.of("content", "remove me")).json().path("id").asText();
            assertThat(server.delete("/api/queue/rm/" + id).json().path("removed").asBoolean()).isTrue();
            assertThat(server.delete("/api/queue/rm/" + id).status()).isEqualTo(404);
            assertThat(server.get("/api/queue/rm").json().path("count").asInt()).isZero();
            server.post("/api/sessions/rm/cancel", Map.of());
            hanging.readUntil(named("run:complete"));
        }
    }

    static List<String> contents(JsonNode history) {
        List<String> texts = new ArrayList<>();
        history.path("history").forEach(m -> {
            if (!m.path("role").asText().equals("tool") && m.path("content").isTextual()) {
                texts.add(m.path("content").asText());
            }
        });
        return texts;
    }
}

package dev.switchboard.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.agent.Permissions;
import dev.switchboard.content.Content;
import dev.switchboard.event.Event;
import dev.switchboard.event.EventHub;
import dev.switchboard.event.EventPayload;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.session.Message;
import dev.switchboard.session.Session;
import dev.switchboard.session.TokenUsage;
import dev.switchboard.store.Store;
import dev.switchboard.tool.ToolRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunEngineFailureTest {

    @Test
    void anAdapterThatThrowsSomethingUnexpectedStillEndsTheRun() throws Exception {
        RecordingStore store = new RecordingStore();
        LlmSettings settings = new LlmSettings("openai", "m", "k", null, 3, null, null, null, null, 30, 0);
        AgentDefinition agent = new AgentDefinition("default", "d", null, "", settings, null, List.of(), Map.of(),
                Permissions.DEFAULT, null);
        AgentCatalog agents = new AgentCatalog() {
            public Optional<AgentDefinition> find(String id) {
                return Optional.of(agent);
            }

            public List<AgentDefinition> all() {
                return List.of(agent);
            }

            public String defaultAgentId() {
                return "default";
            }
        };
        EventHub events = new EventHub(100, 100, (id, size) -> 0, Clock.systemUTC());
        List<Event> seen = new CopyOnWriteArrayList<>();
        events.of("s").subscribe(-1, seen::add);
        try (RunEngine engine = new RunEngine(store, agents, (request, listener, cancel) -> {
            throw new IllegalStateException("adapter bug");
        }, new ToolRegistry(List.of()), events, Clock.systemUTC())) {
            Session session = new Session("s", "op", "default", null, Instant.now(), Instant.now(), 0,
                    TokenUsage.NONE, 0);
            RunOutcome outcome = engine.submit(session, Content.text("hi"), null, Map.of())
                    .outcome().get(5, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
            assertThat(outcome.error().message()).contains("adapter bug");
            assertThat(store.finished).containsExactly(RunStatus.FAILED);
            assertThat(seen).extracting(Event::name).contains("llm:error").last().isEqualTo("run:complete");
            assertThat(((EventPayload.RunComplete) seen.getLast().payload()).finishReason()).isEqualTo("error");
            assertThat(engine.isBusy("s")).isFalse();
        }
    }

    /** Just enough of a store for the engine: keeps messages and finished run states in memory. */
    private static final class RecordingStore implements Store {
        final List<Message> messages = new CopyOnWriteArrayList<>();
        final List<RunStatus> finished = new CopyOnWriteArrayList<>();

        public Session createSession(String id, String ownerId, String agentId, Instant now) {
            throw new AssertionError("the engine never creates sessions");
        }

        public Optional<Session> findSession(String ownerId, String sessionId) {
            return Optional.empty();
        }

        public List<Session> listSessions(String ownerId) {
            return List.of();
        }

        public boolean updateTitle(String ownerId, String sessionId, String title) {
            return false;
        }

        public boolean deleteSession(String ownerId, String sessionId) {
            return false;
        }

        public long reserveSeq(String sessionId, int size) {
            return 0;
        }

        public void appendMessage(String ownerId, Message message) {
            messages.add(message);
        }

        public List<Message> history(String sessionId) {
            return new ArrayList<>(messages);
        }

        public int clearHistory(String sessionId) {
            return 0;
        }

        public void enqueue(QueuedMessage message) {
        }

        public List<QueuedMessage> queued(String sessionId) {
            return List.of();
        }

        public boolean removeQueued(String sessionId, String messageId) {
            return false;
        }

        public int clearQueue(String sessionId) {
            return 0;
        }

        public void startRun(QueuedMessage queued, Message userMessage, RunRecord run) {
            messages.add(userMessage);
        }

        public List<String> sessionsWithQueue() {
            return List.of();
        }

        public void finishRun(String runId, RunStatus status, String finishReason, int steps, TokenUsage usage,
                Double estimatedCost, String error, Instant endedAt) {
            finished.add(status);
        }

        public int interruptRunningRuns(Instant now) {
            return 0;
        }

        public List<RunRecord> runs(String sessionId) {
            return List.of();
        }

        public void close() {
        }
    }
}

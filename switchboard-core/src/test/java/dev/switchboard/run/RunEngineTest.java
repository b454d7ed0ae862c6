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
import dev.switchboard.llm.LlmClient;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.ToolSpec;
import dev.switchboard.session.Role;
import dev.switchboard.session.ToolCall;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunEngineTest {

    @Test
    void toolsRunInParallelAndTheirResultsKeepTheModelsOrder() throws Exception {
        RecordingStore store = new RecordingStore();
        Tool slow = sleepingTool("slow", 400);
        Tool quick = sleepingTool("quick", 50);
        AtomicInteger calls = new AtomicInteger();
        LlmClient model = (request, listener, cancel) -> calls.incrementAndGet() == 1
                ? new LlmResponse("", null, List.of(new ToolCall("c1", "slow", "{}"), new ToolCall("c2", "quick", "{}")),
                        TokenUsage.NONE, "tool-calls", "openai", "m")
                : new LlmResponse("done", null, List.of(), TokenUsage.NONE, "stop", "openai", "m");
        EventHub events = new EventHub(100, 100, (id, size) -> 0, Clock.systemUTC());
        List<Event> seen = new CopyOnWriteArrayList<>();
        events.of("s").subscribe(-1, seen::add);
        try (RunEngine engine = new RunEngine(store, agents(List.of("slow", "quick")), model,
                new ToolRegistry(List.of(slow, quick)), events, Clock.systemUTC())) {
            long started = System.nanoTime();
            RunOutcome outcome = engine.submit(session(), Content.text("go"), null, Map.of())
                    .outcome().get(5, TimeUnit.SECONDS);
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(outcome.text()).isEqualTo("done");
            assertThat(tookMs).as("both tools ran at once").isLessThan(400 + 50 + 40);
            assertThat(store.messages).filteredOn(m -> m.role() == Role.TOOL).extracting(Message::toolCallId)
                    .containsExactly("c1", "c2");
            assertThat(seen).filteredOn(e -> e.name().equals("llm:tool-result"))
                    .extracting(e -> ((EventPayload.ToolResult) e.payload()).callId()).containsExactly("c1", "c2");
        }
    }

    @Test
    void anAdapterThatThrowsSomethingUnexpectedStillEndsTheRun() throws Exception {
        RecordingStore store = new RecordingStore();
        AgentCatalog agents = agents(List.of());
        EventHub events = new EventHub(100, 100, (id, size) -> 0, Clock.systemUTC());
        List<Event> seen = new CopyOnWriteArrayList<>();
        events.of("s").subscribe(-1, seen::add);
        try (RunEngine engine = new RunEngine(store, agents, (request, listener, cancel) -> {
            throw new IllegalStateException("adapter bug");
        }, new ToolRegistry(List.of()), events, Clock.systemUTC())) {
            RunOutcome outcome = engine.submit(session(), Content.text("hi"), null, Map.of())
                    .outcome().get(5, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
            assertThat(outcome.error().message()).contains("adapter bug");
            assertThat(store.finished).containsExactly(RunStatus.FAILED);
            assertThat(seen).extracting(Event::name).contains("llm:error").last().isEqualTo("run:complete");
            assertThat(((EventPayload.RunComplete) seen.getLast().payload()).finishReason()).isEqualTo("error");
            assertThat(engine.isBusy("s")).isFalse();
        }
    }

    private static Session session() {
        return new Session("s", "op", "default", null, Instant.now(), Instant.now(), 0, TokenUsage.NONE, 0);
    }

    private static AgentCatalog agents(List<String> tools) {
        LlmSettings settings = new LlmSettings("openai", "m", "k", null, 3, null, null, null, null, 30, 0);
        AgentDefinition agent = new AgentDefinition("default", "d", null, "", settings, null, tools, Map.of(),
                Permissions.DEFAULT, null);
        return new AgentCatalog() {
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
    }

    private static Tool sleepingTool(String name, long millis) {
        return new Tool() {
            public ToolSpec spec() {
                return new ToolSpec(name, "sleeps", "{\"type\":\"object\"}");
            }

            public ToolOutcome execute(String arguments, ToolContext context) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return ToolOutcome.success(name + " finished");
            }
        };
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

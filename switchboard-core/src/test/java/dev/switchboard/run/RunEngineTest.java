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
import dev.switchboard.approval.ApprovalGate;
import dev.switchboard.store.MemoryStore;
import dev.switchboard.tool.ArgumentCheck;
import dev.switchboard.vault.SecretReferences;
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
        MemoryStore store = new MemoryStore();
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
        try (RunEngine engine = new RunEngine(store, agents(List.of("slow", "quick")), model, SecretReferences.NONE,
                agent -> List.of(slow, quick), new ApprovalGate(store, events, Clock.systemUTC()), ArgumentCheck.NONE,
                events, Clock.systemUTC())) {
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
        MemoryStore store = new MemoryStore();
        AgentCatalog agents = agents(List.of());
        EventHub events = new EventHub(100, 100, (id, size) -> 0, Clock.systemUTC());
        List<Event> seen = new CopyOnWriteArrayList<>();
        events.of("s").subscribe(-1, seen::add);
        try (RunEngine engine = new RunEngine(store, agents, (request, listener, cancel) -> {
            throw new IllegalStateException("adapter bug");
        }, SecretReferences.NONE, agent -> List.of(), new ApprovalGate(store, events, Clock.systemUTC()),
                ArgumentCheck.NONE, events,
                Clock.systemUTC())) {
            RunOutcome outcome = engine.submit(session(), Content.text("hi"), null, Map.of())
                    .outcome().get(5, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
            assertThat(outcome.error().message()).contains("adapter bug");
            assertThat(store.finished).containsExactly(RunStatus.FAILED);
            assertThat(seen).extracting(Event::name).contains("llm:error").last().isEqualTo("run:complete");
            assertThat(((EventPayload.RunComplete) seen.getLast().payload()).finishReason()).isEqualTo("error");
            // the waiter hears the outcome just before the lane is marked idle
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (engine.isBusy("s") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(engine.isBusy("s")).isFalse();
        }
    }

    @Test
    void aToolThatActsWaitsForApprovalAndADenialReachesTheModelAsAnErrorResult() throws Exception {
        MemoryStore store = new MemoryStore();
        List<String> ran = new CopyOnWriteArrayList<>();
        Tool write = actingTool("write_file", ran);
        AtomicInteger calls = new AtomicInteger();
        List<dev.switchboard.llm.LlmRequest> requests = new CopyOnWriteArrayList<>();
        LlmClient model = (request, listener, cancel) -> {
            requests.add(request);
            return switch (calls.incrementAndGet()) {
                case 1 -> new LlmResponse("", null, List.of(new ToolCall("c1", "write_file", "{}")), TokenUsage.NONE,
                        "tool-calls", "openai", "m");
                case 2 -> new LlmResponse("", null, List.of(new ToolCall("c2", "write_file", "{}")), TokenUsage.NONE,
                        "tool-calls", "openai", "m");
                default -> new LlmResponse("ok", null, List.of(), TokenUsage.NONE, "stop", "openai", "m");
            };
        };
        EventHub events = new EventHub(100, 100, (id, size) -> 1, Clock.systemUTC());
        List<Event> seen = new CopyOnWriteArrayList<>();
        events.of("s").subscribe(-1, seen::add);
        ApprovalGate gate = new ApprovalGate(store, events, Clock.systemUTC());
        // answer each question as it appears: deny the first, approve the second
        AtomicInteger answered = new AtomicInteger();
        events.of("s").subscribe(-1, e -> {
            if (e.payload() instanceof EventPayload.ApprovalRequested asked) {
                Thread.startVirtualThread(() -> gate.answer("op", asked.approvalId(), answered.incrementAndGet() == 1
                        ? dev.switchboard.approval.ApprovalDecision.denied("not that file")
                        : dev.switchboard.approval.ApprovalDecision.approved(null), null));
            }
        });
        try (RunEngine engine = new RunEngine(store, agents(List.of("write_file")), model, SecretReferences.NONE,
                agent -> List.of(write),
                gate, ArgumentCheck.NONE, events, Clock.systemUTC())) {
            RunOutcome outcome = engine.submit(session(), Content.text("go"), null, Map.of())
                    .outcome().get(5, TimeUnit.SECONDS);

            assertThat(outcome.text()).isEqualTo("ok");
            assertThat(ran).containsExactly("c2");
            List<Message> results = store.messages.stream().filter(m -> m.role() == Role.TOOL).toList();
            assertThat(results).extracting(Message::success).containsExactly(false, true);
            assertThat(Content.plainText(results.getFirst().content())).isEqualTo("Error: Not approved: not that file");
            assertThat(seen).extracting(Event::name).containsSubsequence("llm:tool-call", "approval:request",
                    "approval:response", "llm:tool-result", "llm:tool-call", "approval:request", "approval:response",
                    "tool:running", "llm:tool-result", "run:complete");
        }
        gate.close();
    }

    @Test
    void argumentsThatFailTheSchemaNeverReachTheToolAndTheRunGoesOn() throws Exception {
        MemoryStore store = new MemoryStore();
        List<String> ran = new CopyOnWriteArrayList<>();
        Tool write = actingTool("write_file", ran);
        AtomicInteger calls = new AtomicInteger();
        LlmClient model = (request, listener, cancel) -> calls.incrementAndGet() == 1
                ? new LlmResponse("", null, List.of(new ToolCall("c1", "write_file", "{\"path\":3}")),
                        TokenUsage.NONE, "tool-calls", "openai", "m")
                : new LlmResponse("sorry", null, List.of(), TokenUsage.NONE, "stop", "openai", "m");
        EventHub events = new EventHub(100, 100, (id, size) -> 1, Clock.systemUTC());
        ArgumentCheck check = (schema, arguments) -> arguments.contains("\"path\":3")
                ? List.of("$.path: integer found, string expected") : List.of();
        try (RunEngine engine = new RunEngine(store, agents(List.of("write_file")), model, SecretReferences.NONE,
                agent -> List.of(write),
                new ApprovalGate(store, events, Clock.systemUTC()), check, events, Clock.systemUTC())) {
            RunOutcome outcome = engine.submit(session(), Content.text("go"), null, Map.of())
                    .outcome().get(5, TimeUnit.SECONDS);

            assertThat(outcome.text()).isEqualTo("sorry");
            assertThat(ran).isEmpty();
            Message result = store.messages.stream().filter(m -> m.role() == Role.TOOL).findFirst().orElseThrow();
            assertThat(Content.plainText(result.content()))
                    .isEqualTo("Error: Invalid arguments for 'write_file': $.path: integer found, string expected");
            assertThat(store.allPendingApprovals()).as("nobody was asked").isEmpty();
        }
    }

    private static Tool actingTool(String name, List<String> ran) {
        return new Tool() {
            public ToolSpec spec() {
                return new ToolSpec(name, "writes", "{\"type\":\"object\"}");
            }

            public ToolOutcome execute(String arguments, ToolContext context) {
                ran.add(context.callId());
                return ToolOutcome.success("written");
            }
        };
    }

    @Test
    void anEmergencyStopCancelsTheRunAndHoldsTheQueueUntilResumed() throws Exception {
        MemoryStore store = new MemoryStore();
        java.util.concurrent.CountDownLatch calling = new java.util.concurrent.CountDownLatch(1);
        List<String> answered = new CopyOnWriteArrayList<>();
        LlmClient model = (request, listener, cancel) -> {
            String last = Content.plainText(request.messages().getLast().content());
            if (last.equals("first")) {
                calling.countDown();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!cancel.isCancelled() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                // what the provider adapters do when their call is closed
                throw new java.util.concurrent.CancellationException("cancelled");
            }
            answered.add(last);
            return new LlmResponse("re " + last, null, List.of(), TokenUsage.NONE, "stop", "openai", "m");
        };
        EventHub events = new EventHub(100, 100, (id, size) -> 0, Clock.systemUTC());
        try (RunEngine engine = new RunEngine(store, agents(List.of()), model, SecretReferences.NONE,
                agent -> List.of(), new ApprovalGate(store, events, Clock.systemUTC()), ArgumentCheck.NONE, events,
                Clock.systemUTC())) {
            Submission first = engine.submit(session(), Content.text("first"), null, Map.of());
            assertThat(calling.await(5, TimeUnit.SECONDS)).isTrue();
            Submission queued = engine.submit(session(), Content.text("second"), null, Map.of());

            RunEngine.EmergencyStop stop = engine.stopAll();

            assertThat(stop.stopped()).extracting(RunEngine.StoppedRun::sessionId).containsExactly("s");
            assertThat(stop.stopped().getFirst().runId()).isEqualTo(first.outcome().get(5, TimeUnit.SECONDS).runId());
            assertThat(first.outcome().get().status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(stop.pausedQueues()).isEqualTo(1);
            Thread.sleep(200);
            assertThat(answered).doesNotContain("second");
            assertThat(engine.queued("s")).extracting(QueuedMessage::id).containsExactly(queued.messageId());

            assertThat(engine.resumeAll()).isEqualTo(1);
            assertThat(queued.outcome().get(5, TimeUnit.SECONDS).text()).isEqualTo("re second");
            assertThat(engine.isPaused()).isFalse();
        }
    }

    @Test
    void aCallOfAClientSideFunctionEndsTheRunAndTheCallersResultContinuesIt() throws Exception {
        MemoryStore store = new MemoryStore();
        Tool local = sleepingTool("local", 10);
        List<dev.switchboard.llm.LlmRequest> requests = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        LlmClient model = (request, listener, cancel) -> {
            requests.add(request);
            return calls.incrementAndGet() == 1
                    ? new LlmResponse("Booking.", null, List.of(new ToolCall("c1", "local", "{}"),
                            new ToolCall("c2", "book", "{\"people\":2}")), TokenUsage.NONE, "tool-calls", "openai", "m")
                    : new LlmResponse("Booked.", null, List.of(), TokenUsage.NONE, "stop", "openai", "m");
        };
        EventHub events = new EventHub(100, 100, (id, size) -> 0, Clock.systemUTC());
        RunOptions options = new RunOptions("Be brief.", List.of(new ToolSpec("book", "Books a table",
                "{\"type\":\"object\"}")), 0.2, 50);
        try (RunEngine engine = new RunEngine(store, agents(List.of("local")), model, SecretReferences.NONE,
                agent -> List.of(local), new ApprovalGate(store, events, Clock.systemUTC()), ArgumentCheck.NONE,
                events, Clock.systemUTC())) {
            RunOutcome handedOut = engine.submit(session(), Content.text("book for two"), null, Map.of(), options)
                    .outcome().get(5, TimeUnit.SECONDS);

            assertThat(handedOut.finishReason()).isEqualTo("tool_calls");
            assertThat(handedOut.clientToolCalls()).extracting(ToolCall::id).containsExactly("c2");
            assertThat(store.messages).filteredOn(m -> m.role() == Role.TOOL).extracting(Message::toolCallId)
                    .as("the server-side call ran, the client's did not").containsExactly("c1");
            dev.switchboard.llm.LlmRequest first = requests.getFirst();
            assertThat(first.tools()).extracting(ToolSpec::name).containsExactly("local", "book");
            assertThat(first.systemPrompt()).endsWith("Be brief.");
            assertThat(first.settings().temperature()).isEqualTo(0.2);
            assertThat(first.settings().maxOutputTokens()).isEqualTo(50);

            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> engine.answerToolCalls(session(),
                    Map.of("c9", "?"), options))).isInstanceOf(dev.switchboard.failure.InvalidInputException.class);
            RunOutcome answered = engine.answerToolCalls(session(), Map.of("c2", "table 7"), options)
                    .outcome().get(5, TimeUnit.SECONDS);

            assertThat(answered.text()).isEqualTo("Booked.");
            assertThat(store.messages).filteredOn(m -> m.role() == Role.USER).hasSize(1);
            assertThat(requests.getLast().messages().getLast().toolCallId()).isEqualTo("c2");
            assertThat(Content.plainText(requests.getLast().messages().getLast().content())).isEqualTo("table 7");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> engine.submit(session(),
                    Content.text("x"), null, Map.of(), new RunOptions(null, List.of(new ToolSpec("local", null,
                            "{}")), null, null)))).isInstanceOf(dev.switchboard.failure.InvalidInputException.class);
        }
    }

    private static Session session() {
        return new Session("s", "op", "default", null, Instant.now(), Instant.now(), 0, TokenUsage.NONE, 0);
    }

    private static AgentCatalog agents(List<String> tools) {
        LlmSettings settings = new LlmSettings("openai", "m", "k", null, 3, null, null, null, null, 30, 0);
        AgentDefinition agent = new AgentDefinition("default", "d", null, "", settings, null, tools, Map.of(),
                Permissions.DEFAULT, null, null, null);
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

            public dev.switchboard.tool.ToolRisk risk() {
                return dev.switchboard.tool.ToolRisk.READS;
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
}

package dev.switchboard.run;

import dev.switchboard.Ids;
import dev.switchboard.agent.AgentCatalog;
import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.approval.Approval;
import dev.switchboard.approval.ApprovalDecision;
import dev.switchboard.approval.ApprovalGate;
import dev.switchboard.approval.ApprovalRequest;
import dev.switchboard.approval.ApprovalStatus;
import dev.switchboard.approval.ApprovalType;
import dev.switchboard.approval.ToolPolicy;
import dev.switchboard.content.ContentPart;
import dev.switchboard.context.ContextAssembly;
import dev.switchboard.context.ContextRequest;
import dev.switchboard.context.ContextSettings;
import dev.switchboard.context.ContextSetup;
import dev.switchboard.context.ContextWindows;
import dev.switchboard.context.ConversationWindow;
import dev.switchboard.event.EventHub;
import dev.switchboard.event.EventPayload;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotConfiguredException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.SwitchboardException;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.llm.LlmClient;
import dev.switchboard.llm.LlmException;
import dev.switchboard.llm.LlmListener;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.llm.Pricing;
import dev.switchboard.llm.ToolSpec;
import dev.switchboard.model.ModelRouter;
import dev.switchboard.usage.Spending;
import dev.switchboard.usage.UsageEntry;
import dev.switchboard.content.Content;
import dev.switchboard.session.Message;
import dev.switchboard.session.Role;
import dev.switchboard.session.Session;
import dev.switchboard.session.TokenUsage;
import dev.switchboard.session.ToolCall;
import dev.switchboard.store.Store;
import dev.switchboard.tool.AgentTools;
import dev.switchboard.tool.ArgumentCheck;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolGuard;
import dev.switchboard.tool.ToolInteraction;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;
import dev.switchboard.vault.SecretReferences;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs agents: takes user messages into each session's FIFO queue and processes them one at a time with the
 * agent loop (model call, tool calls, repeat), publishing every step to the session's event stream and
 * storing every turn as it completes.
 */
public final class RunEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunEngine.class);

    private final Store store;
    private final AgentCatalog agents;
    private final LlmClient llm;
    private final SecretReferences secrets;
    private final AgentTools tools;
    private final ApprovalGate approvals;
    private final ToolGuard guard;
    private final EventHub events;
    private final Clock clock;
    private final ContextSetup context;
    private final ContextAssembly assembly;
    /** Null when the setup keeps no summaries: the history is then sent whole. */
    private final ConversationWindow window;
    private volatile SessionIdle idleListener = (ownerId, sessionId) -> { };
    private volatile ModelRouter router = ModelRouter.DIRECT;
    private volatile Spending spending = Spending.UNLIMITED;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Set by an emergency stop: messages are still stored in their queues but no run starts until resumed. */
    private volatile boolean paused;
    /** Agents paused one by one: their sessions' messages are stored and queued, but no run of theirs starts. */
    private final Set<String> pausedAgents = ConcurrentHashMap.newKeySet();

    /** Kind of the queue entry that resumes a conversation whose run a restart cut short; it has no user text. */
    static final String RESUME = "resume";

    /** Kind of the queue entry that lets the model go on after the caller answered its client-side tool calls. */
    static final String CONTINUE = "continue";

    /** @param secrets reads an agent's {@code $VAULT:} API key for each model call */
    public RunEngine(Store store, AgentCatalog agents, LlmClient llm, SecretReferences secrets, AgentTools tools,
            ApprovalGate approvals, ArgumentCheck argumentCheck, EventHub events, Clock clock) {
        this(store, agents, llm, secrets, tools, approvals, argumentCheck, events, clock, ContextSetup.none());
    }

    /**
     * @param context the contributors of system-prompt sections and the management of the model's window
     */
    public RunEngine(Store store, AgentCatalog agents, LlmClient llm, SecretReferences secrets, AgentTools tools,
            ApprovalGate approvals, ArgumentCheck argumentCheck, EventHub events, Clock clock, ContextSetup context) {
        this.context = context;
        this.assembly = new ContextAssembly(context.contributors(), context.counter(),
                context.settings().systemBudgetTokens());
        this.window = context.summaries() == null ? null
                : new ConversationWindow(context.settings(), context.counter(), context.summaries(), clock);
        this.store = store;
        this.agents = agents;
        this.llm = llm;
        this.secrets = secrets;
        this.tools = tools;
        this.approvals = approvals;
        this.guard = new ToolGuard(argumentCheck, approvals);
        this.events = events;
        this.clock = clock;
        approvals.onAnswerWithoutWaiter(this::resumeAfter);
    }

    /** Told when a session's queue runs dry after a run: nothing more is being processed for it. */
    @FunctionalInterface
    public interface SessionIdle {
        void idle(String ownerId, String sessionId);
    }

    /** Sets who is told when a session goes idle (the user profile starts its idle clock there). */
    public void onSessionIdle(SessionIdle listener) {
        this.idleListener = listener;
    }

    /** One session's queue and the run working on it. All fields are guarded by the lane's monitor. */
    private static final class Lane {
        final ArrayDeque<QueuedMessage> queue = new ArrayDeque<>();
        final Map<String, CompletableFuture<RunOutcome>> waiters = new HashMap<>();
        final Set<String> announced = new HashSet<>();
        final Map<String, RunOptions> options = new HashMap<>();
        boolean running;
        Session session;
        Cancellation cancellation;
        String runId;
    }

    /**
     * Marks runs the previous process left running as interrupted, resumes every stored queue and restarts the
     * clocks of pending approvals. Call once, before serving requests.
     */
    public void recover() {
        int interrupted = store.interruptRunningRuns(clock.instant());
        if (interrupted > 0) {
            LOG.info("Marked {} run(s) left running by the previous process as interrupted", interrupted);
        }
        for (String sessionId : store.sessionsWithQueue()) {
            Lane lane = lane(sessionId);
            List<QueuedMessage> queued = store.queued(sessionId);
            if (queued.isEmpty()) {
                continue;
            }
            Optional<Session> session = store.findSession(queued.getFirst().ownerId(), sessionId);
            if (session.isEmpty()) {
                continue;
            }
            synchronized (lane) {
                lane.session = session.get();
                lane.queue.addAll(queued);
                lane.announced.addAll(lane.queue.stream().map(QueuedMessage::id).toList());
                startIfIdle(sessionId, lane);
            }
        }
        approvals.recover();
    }

    /**
     * Continues a conversation after the answer to an approval whose run a restart cut short: once no question of
     * that run is left pending, a run settles the interrupted tool calls (running the approved ones) and lets the
     * model go on. Answers about older runs only record the decision.
     */
    private void resumeAfter(Approval approval) {
        ApprovalRequest request = approval.request();
        if (request.sessionId() == null || request.runId() == null || closed) {
            return;
        }
        boolean othersPending = approvals.pending(request.ownerId(), request.sessionId()).stream()
                .anyMatch(other -> request.runId().equals(other.request().runId()));
        List<RunRecord> runs = store.runs(request.sessionId());
        if (othersPending || runs.isEmpty() || !runs.getLast().id().equals(request.runId())) {
            return;
        }
        Optional<Session> session = store.findSession(request.ownerId(), request.sessionId());
        if (session.isEmpty()) {
            return;
        }
        LOG.info("Resuming session {} after the answer to approval {}", request.sessionId(), request.id());
        enqueue(session.get(), new QueuedMessage(Ids.next("msg"), request.sessionId(), request.ownerId(), List.of(),
                RESUME, clock.instant(), Map.of("approvalId", request.id())), new CompletableFuture<>());
    }

    /**
     * Stores the message in the session's queue and starts processing it at once when the session is idle.
     * The message is durable when this returns.
     *
     * @param kind {@code default} or {@code background}
     * @throws NotConfiguredException when the session's agent has no usable model
     */
    public Submission submit(Session session, List<ContentPart> content, String kind, Map<String, String> metadata) {
        return submit(session, content, kind, metadata, RunOptions.NONE);
    }

    /**
     * Like {@link #submit(Session, List, String, Map)}, with what this request asks of its run.
     *
     * @throws InvalidInputException ({@code tools}) when a client-side tool has the name of one of the agent's tools
     */
    public Submission submit(Session session, List<ContentPart> content, String kind, Map<String, String> metadata,
            RunOptions options) {
        AgentDefinition agent = requireModel(session.agentId());
        checkClientTools(agent, options);
        QueuedMessage message = new QueuedMessage(Ids.next("msg"), session.id(), session.ownerId(), content,
                kind == null ? "default" : kind, clock.instant(), metadata);
        return enqueue(session, message, new CompletableFuture<>(), options);
    }

    /**
     * Stores the caller's results of the client-side tool calls that ended the session's last run and lets the
     * model go on from them, in a run of its own (without a new user message).
     *
     * @param results the result text of each answered call, by call id
     * @throws InvalidInputException ({@code messages}) when a result answers no open call of the last assistant turn
     * @throws ConflictException when the session is busy
     */
    public Submission answerToolCalls(Session session, Map<String, String> results, RunOptions options) {
        AgentDefinition agent = requireModel(session.agentId());
        checkClientTools(agent, options);
        Lane lane = lane(session.id());
        synchronized (lane) {
            if (lane.running || !lane.queue.isEmpty()) {
                throw new ConflictException("Session '" + session.id() + "' is busy; tool results continue an idle "
                        + "conversation", Map.of("sessionId", session.id()));
            }
            Map<String, ToolCall> open = openToolCalls(store.history(session.id()));
            for (String callId : results.keySet()) {
                if (!open.containsKey(callId)) {
                    throw new InvalidInputException("messages", "The tool result for '" + callId
                            + "' answers no open tool call of the conversation's last assistant turn");
                }
            }
            for (Entry<String, String> result : results.entrySet()) {
                ToolCall call = open.get(result.getKey());
                store.appendMessage(session.ownerId(), new Message(Ids.next("msg"), session.id(), null, Role.TOOL,
                        Content.text(result.getValue()), null, List.of(), call.id(), call.name(), true, null, null,
                        null, null, clock.instant()));
            }
            QueuedMessage message = new QueuedMessage(Ids.next("msg"), session.id(), session.ownerId(), List.of(),
                    CONTINUE, clock.instant(), Map.of());
            return enqueue(session, message, new CompletableFuture<>(), options);
        }
    }

    /** The tool calls of the history's last assistant turn that have no result yet, by id. */
    private static Map<String, ToolCall> openToolCalls(List<Message> history) {
        Map<String, ToolCall> open = new java.util.LinkedHashMap<>();
        for (Message message : history) {
            if (message.role() == Role.ASSISTANT) {
                open.clear();
                message.toolCalls().forEach(call -> open.put(call.id(), call));
            } else if (message.role() == Role.TOOL && message.toolCallId() != null) {
                open.remove(message.toolCallId());
            } else if (message.role() == Role.USER) {
                open.clear();
            }
        }
        return open;
    }

    private void checkClientTools(AgentDefinition agent, RunOptions options) {
        if (options.clientTools().isEmpty()) {
            return;
        }
        Set<String> own = new HashSet<>();
        tools.of(agent).forEach(tool -> own.add(tool.spec().name()));
        for (ToolSpec spec : options.clientTools()) {
            if (own.contains(spec.name())) {
                throw new InvalidInputException("tools", "The function '" + spec.name()
                        + "' has the name of one of the agent's own tools; rename it");
            }
        }
    }

    private Submission enqueue(Session session, QueuedMessage message, CompletableFuture<RunOutcome> outcome) {
        return enqueue(session, message, outcome, RunOptions.NONE);
    }

    private Submission enqueue(Session session, QueuedMessage message, CompletableFuture<RunOutcome> outcome,
            RunOptions options) {
        Lane lane = lane(session.id());
        synchronized (lane) {
            lane.session = session;
            if (options != RunOptions.NONE) {
                lane.options.put(message.id(), options);
            }
            if (!lane.running && lane.queue.isEmpty() && !closed && !paused && !held(session)) {
                // idle: store the message as the start of its run at once, without a trip through the queue
                Pending started = begin(message);
                lane.waiters.put(message.id(), outcome);
                lane.running = true;
                workers.execute(() -> drain(session.id(), lane, started));
                return new Submission(message.id(), session.id(), true, 0, outcome);
            }
            store.enqueue(message);
            lane.waiters.put(message.id(), outcome);
            lane.queue.addLast(message);
            lane.announced.add(message.id());
            int position = lane.queue.size();
            events.publish(session.id(), null, new EventPayload.MessageQueued(message.id(), position, message.kind()));
            return new Submission(message.id(), session.id(), false, position, outcome);
        }
    }

    /** Whether a run is in progress or messages wait in the session's queue. */
    public boolean isBusy(String sessionId) {
        Lane lane = lanes.get(sessionId);
        if (lane == null) {
            return false;
        }
        synchronized (lane) {
            return lane.running || !lane.queue.isEmpty();
        }
    }

    /** How busy the engine is right now, for the operator's status. */
    public record Activity(int runningRuns, int busySessions, int queuedMessages) {
    }

    /** Runs in progress, sessions with a run or a queue, and messages waiting, across every session. */
    public Activity activity() {
        int running = 0;
        int busy = 0;
        int queued = 0;
        for (Lane lane : lanes.values()) {
            synchronized (lane) {
                running += lane.running ? 1 : 0;
                busy += lane.running || !lane.queue.isEmpty() ? 1 : 0;
                queued += lane.queue.size();
            }
        }
        return new Activity(running, busy, queued);
    }

    /** The messages waiting behind the current run, oldest first. */
    public List<QueuedMessage> queued(String sessionId) {
        Lane lane = lanes.get(sessionId);
        if (lane == null) {
            return List.of();
        }
        synchronized (lane) {
            return List.copyOf(lane.queue);
        }
    }

    /**
     * The outcome of a message that waits in the session's queue, for one who did not submit it in this process (the
     * A2A tasks a previous process accepted); empty when the message is not queued (it ran already, or was removed).
     * Works before {@link #recover()} too, from the stored queue, so that no recovered run ends unseen.
     */
    public Optional<CompletableFuture<RunOutcome>> outcomeOfQueued(String sessionId, String messageId) {
        Lane lane = lane(sessionId);
        synchronized (lane) {
            // a message leaves the stored queue only under this monitor (begin, removeQueued), so this is exact
            boolean queued = lane.queue.stream().anyMatch(m -> m.id().equals(messageId))
                    || store.queued(sessionId).stream().anyMatch(m -> m.id().equals(messageId));
            return queued ? Optional.of(lane.waiters.computeIfAbsent(messageId, id -> new CompletableFuture<>()))
                    : Optional.empty();
        }
    }

    /** Removes one waiting message; false when it is not (or no longer) queued. */
    public boolean removeQueued(String sessionId, String messageId) {
        Lane lane = lanes.get(sessionId);
        if (lane == null) {
            return false;
        }
        synchronized (lane) {
            boolean removed = lane.queue.removeIf(m -> m.id().equals(messageId));
            lane.options.remove(messageId);
            if (removed) {
                store.removeQueued(sessionId, messageId);
                Optional.ofNullable(lane.waiters.remove(messageId)).ifPresent(f -> f.cancel(false));
            }
            return removed;
        }
    }

    /** Empties the session's queue, returning how many messages were dropped. */
    public int clearQueue(String sessionId) {
        Lane lane = lanes.get(sessionId);
        if (lane == null) {
            return 0;
        }
        synchronized (lane) {
            int cleared = lane.queue.size();
            for (QueuedMessage message : lane.queue) {
                lane.options.remove(message.id());
                Optional.ofNullable(lane.waiters.remove(message.id())).ifPresent(f -> f.cancel(false));
            }
            lane.queue.clear();
            store.clearQueue(sessionId);
            return cleared;
        }
    }

    /**
     * Cancels the session's current run. A soft cancel lets queued messages run next; a hard cancel
     * ({@code clearQueue}) drops them too.
     */
    public CancelResult cancel(String sessionId, boolean clearQueue) {
        Lane lane = lanes.get(sessionId);
        if (lane == null) {
            return new CancelResult(false, 0);
        }
        synchronized (lane) {
            int cleared = clearQueue ? clearQueue(sessionId) : 0;
            boolean cancelled = lane.running && lane.cancellation != null;
            if (cancelled) {
                lane.cancellation.cancel();
            }
            return new CancelResult(cancelled, cleared);
        }
    }

    /** What a cancel did: whether a run was stopped, and how many queued messages were dropped. */
    public record CancelResult(boolean cancelled, int clearedCount) {
    }

    /** A run an emergency stop cancelled. */
    public record StoppedRun(String sessionId, String runId) {
    }

    /** What an emergency stop did: the runs it cancelled and how many sessions' queues now wait for a resume. */
    public record EmergencyStop(List<StoppedRun> stopped, int pausedQueues) {
    }

    /**
     * Cancels every run in progress (their provider calls are closed) and pauses every queue: messages sent
     * afterwards are stored and queued as usual, but nothing starts until {@link #resumeAll()}.
     */
    public EmergencyStop stopAll() {
        paused = true;
        List<StoppedRun> stopped = new ArrayList<>();
        int pausedQueues = 0;
        for (Entry<String, Lane> entry : lanes.entrySet()) {
            Lane lane = entry.getValue();
            synchronized (lane) {
                if (lane.running && lane.cancellation != null && !lane.cancellation.isCancelled()) {
                    lane.cancellation.cancel();
                    stopped.add(new StoppedRun(entry.getKey(), lane.runId));
                }
                if (!lane.queue.isEmpty()) {
                    pausedQueues++;
                }
            }
        }
        return new EmergencyStop(List.copyOf(stopped), pausedQueues);
    }

    /** Whether an emergency stop holds the queues. */
    public boolean isPaused() {
        return paused;
    }

    /** Lifts an emergency stop: every session's waiting messages start again. Returns how many queues restarted. */
    public int resumeAll() {
        paused = false;
        int resumed = 0;
        for (Entry<String, Lane> entry : lanes.entrySet()) {
            Lane lane = entry.getValue();
            synchronized (lane) {
                if (!lane.running && !lane.queue.isEmpty()) {
                    resumed++;
                }
                startIfIdle(entry.getKey(), lane);
            }
        }
        return resumed;
    }

    /**
     * Pauses one agent: its runs in progress finish, but no new run of it starts; messages sent to it meanwhile are
     * stored and queued. Returns false when it was paused already.
     */
    public boolean pauseAgent(String agentId) {
        return pausedAgents.add(agentId);
    }

    /** Lifts {@link #pauseAgent}: the agent's waiting messages start. Returns false when it was not paused. */
    public boolean resumeAgent(String agentId) {
        if (!pausedAgents.remove(agentId)) {
            return false;
        }
        for (Entry<String, Lane> entry : lanes.entrySet()) {
            Lane lane = entry.getValue();
            synchronized (lane) {
                if (lane.session != null && lane.session.agentId().equals(agentId)) {
                    startIfIdle(entry.getKey(), lane);
                }
            }
        }
        return true;
    }

    public boolean isAgentPaused(String agentId) {
        return pausedAgents.contains(agentId);
    }

    /** How many runs of the agent are in progress now. */
    public int runningRuns(String agentId) {
        int running = 0;
        for (Lane lane : lanes.values()) {
            synchronized (lane) {
                if (lane.running && lane.session != null && lane.session.agentId().equals(agentId)) {
                    running++;
                }
            }
        }
        return running;
    }

    private boolean held(Session session) {
        return session != null && !pausedAgents.isEmpty() && pausedAgents.contains(session.agentId());
    }

    /**
     * Routes every run's model calls from now on: the session's or agent's switched model, the topic route's primary,
     * and the backups that take over on rate limits, server errors and timeouts.
     */
    public void useModelRouter(ModelRouter modelRouter) {
        this.router = modelRouter;
    }

    /** Checks budgets before every model call of every run from now on, and records what each call cost. */
    public void useSpending(Spending guard) {
        this.spending = guard;
    }

    /** Cancels everything of a session that is about to be deleted and forgets its queue. */
    public void forget(String sessionId) {
        cancel(sessionId, true);
        lanes.remove(sessionId);
        events.forget(sessionId);
    }

    private AgentDefinition requireModel(String agentId) {
        AgentDefinition agent = agents.find(agentId).orElseThrow(() -> new NotFoundException("agent", agentId));
        if (agent.llm() == null) {
            throw new NotConfiguredException(agent.llmProblem(), Map.of("agentId", agentId));
        }
        return agent;
    }

    private Lane lane(String sessionId) {
        return lanes.computeIfAbsent(sessionId, id -> new Lane());
    }

    /** Starts the lane's worker on its queue if none runs; caller holds the lane's monitor. */
    private void startIfIdle(String sessionId, Lane lane) {
        if (lane.running || lane.queue.isEmpty() || closed || paused || held(lane.session)) {
            return;
        }
        lane.running = true;
        workers.execute(() -> drain(sessionId, lane, null));
    }

    /** A message whose run has been stored as started. */
    private record Pending(QueuedMessage message, String runId, Instant startedAt) {
    }

    /** Moves the message from the queue into the history as the start of a new run, in one transaction. */
    private Pending begin(QueuedMessage message) {
        String runId = Ids.next("run");
        Instant started = clock.instant();
        Message userMessage = RESUME.equals(message.kind()) || CONTINUE.equals(message.kind()) ? null
                : Message.user(message.id(), message.sessionId(), message.content(), message.queuedAt())
                        .withRunId(runId);
        store.startRun(message, userMessage, new RunRecord(runId, message.sessionId(), message.ownerId(),
                message.id(), RunStatus.RUNNING, null, 0, TokenUsage.NONE, null, null, started, null));
        return new Pending(message, runId, started);
    }

    /** Processes {@code first} (when given), then the lane's queue until it is empty. */
    private void drain(String sessionId, Lane lane, Pending first) {
        Pending next = first;
        String idleOwner = null;
        while (true) {
            CompletableFuture<RunOutcome> waiter;
            RunOptions options;
            Cancellation cancellation = new Cancellation();
            boolean announced;
            synchronized (lane) {
                if (next == null) {
                    QueuedMessage queued = closed || paused || held(lane.session) ? null : lane.queue.pollFirst();
                    if (queued == null) {
                        lane.running = false;
                        lane.cancellation = null;
                        lane.runId = null;
                        idleOwner = closed || paused || lane.session == null ? null : lane.session.ownerId();
                        break;
                    }
                    try {
                        next = begin(queued);
                    } catch (RuntimeException e) {
                        lane.running = false;
                        if (!closed) {
                            LOG.error("Could not start the run of message {} in session {}", queued.id(), sessionId, e);
                            Optional.ofNullable(lane.waiters.remove(queued.id()))
                                    .ifPresent(f -> f.completeExceptionally(e));
                        }
                        return;
                    }
                }
                waiter = lane.waiters.remove(next.message().id());
                options = Optional.ofNullable(lane.options.remove(next.message().id())).orElse(RunOptions.NONE);
                announced = lane.announced.remove(next.message().id());
                lane.cancellation = cancellation;
                lane.runId = next.runId();
            }
            RunOutcome outcome;
            try {
                outcome = run(next, cancellation, announced, lane, options);
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.error("Run {} of session {} failed unexpectedly", next.runId(), sessionId, e);
                outcome = failed(next.runId(), sessionId, "internal_error", e.toString(), false, 0);
            }
            if (waiter != null && !closed) {
                waiter.complete(outcome);
            }
            next = null;
        }
        if (idleOwner != null) {
            try {
                idleListener.idle(idleOwner, sessionId);
            } catch (RuntimeException e) {
                LOG.warn("The idle listener failed for session {}", sessionId, e);
            }
        }
    }

    private RunOutcome run(Pending pending, Cancellation cancellation, boolean announced, Lane lane,
            RunOptions options) {
        QueuedMessage queued = pending.message();
        String sessionId = queued.sessionId();
        String runId = pending.runId();
        Instant started = pending.startedAt();
        if (announced) {
            int remaining;
            synchronized (lane) {
                remaining = lane.queue.size();
            }
            events.publish(sessionId, runId, new EventPayload.MessageDequeued(queued.id(), remaining));
        }
        events.publish(sessionId, runId, new EventPayload.RunStarted(queued.id()));

        Session session;
        synchronized (lane) {
            session = lane.session;
        }
        AgentLoop loop = new AgentLoop(session, runId, cancellation, RESUME.equals(queued.kind()), options,
                Content.plainText(queued.content()));
        RunOutcome outcome;
        try {
            outcome = loop.execute();
        } catch (RuntimeException e) {
            if (closed) {
                return failed(runId, sessionId, "interrupted", "The server stopped", true, 0);
            }
            // a bug or an adapter's surprise must still end the run for everyone watching it
            LOG.error("Run {} of session {} failed unexpectedly", runId, sessionId, e);
            String message = "The run failed unexpectedly: " + e;
            events.publish(sessionId, runId, new EventPayload.Error(message, "internal_error", false));
            outcome = failed(runId, sessionId, "internal_error", message, false, loop.steps);
        }
        if (closed) {
            // cut short by shutdown: left as running, like a crash, for the next start to mark interrupted
            return outcome;
        }
        Duration took = Duration.between(started, clock.instant());
        store.finishRun(runId, outcome.status(), outcome.finishReason(), outcome.steps(), outcome.tokenUsage(),
                outcome.estimatedCost(), outcome.error() == null ? null : outcome.error().message(),
                clock.instant());
        events.publish(sessionId, runId, new EventPayload.RunComplete(outcome.finishReason(), outcome.steps(),
                took.toMillis(), outcome.tokenUsage(), outcome.estimatedCost()));
        return outcome;
    }

    private static Map<String, Tool> byName(List<Tool> available) {
        Map<String, Tool> byName = new HashMap<>();
        available.forEach(t -> byName.put(t.spec().name(), t));
        return byName;
    }

    private static boolean isToolApproval(Approval approval) {
        String type = approval.request().type();
        return ApprovalType.TOOL.equals(type) || ApprovalType.COMMAND.equals(type);
    }

    /** The failure the model is told about when a person (or the clock) did not approve. */
    private static ToolOutcome refused(ApprovalDecision decision, String fallback) {
        String reason = decision.reason() == null ? fallback : decision.reason();
        return ToolOutcome.failure(switch (decision.status()) {
            case CANCELLED -> "Cancelled: " + reason;
            default -> "Not approved: " + reason;
        });
    }

    private static RunOutcome failed(String runId, String sessionId, String code, String message,
            boolean recoverable, int steps) {
        return new RunOutcome(runId, sessionId, RunStatus.FAILED, "error", null, null, TokenUsage.NONE, null,
                null, null, steps, new RunOutcome.RunFailure(message, code, recoverable));
    }

    /** One run of the agent loop over a session's history. */
    private final class AgentLoop {
        private final Session session;
        private final String ownerId;
        private final String sessionId;
        private final String runId;
        private final Cancellation cancellation;
        private final boolean resuming;
        private final RunOptions options;
        private final String userText;
        private TokenUsage usage = TokenUsage.NONE;
        private Double cost;
        private int steps;
        /** The server's context settings with the agent's own in place; set once the agent is known. */
        private ContextSettings contextSettings = context.settings();
        private ConversationWindow agentWindow = window;

        AgentLoop(Session session, String runId, Cancellation cancellation, boolean resuming, RunOptions options,
                String userText) {
            this.session = session;
            this.userText = userText;
            this.options = options;
            this.resuming = resuming;
            this.ownerId = session.ownerId();
            this.sessionId = session.id();
            this.runId = runId;
            this.cancellation = cancellation;
        }

        RunOutcome execute() {
            AgentDefinition agent;
            try {
                agent = requireModel(session.agentId());
            } catch (NotFoundException | NotConfiguredException e) {
                publishError(e.getMessage(), e.code(), false);
                return failed(runId, sessionId, e.code(), e.getMessage(), false, 0);
            }
            Optional<String> unavailable = tools.unavailable(agent);
            if (unavailable.isPresent()) {
                publishError(unavailable.get(), "mcp_unavailable", true);
                return failed(runId, sessionId, "mcp_unavailable", unavailable.get(), true, 0);
            }
            List<LlmSettings> route = router.route(sessionId, agent).stream().map(this::withOverrides).toList();
            int routed = 0;
            LlmSettings settings = route.get(0);
            List<Tool> agentTools = options.allowedTools() == null ? tools.of(agent) : tools.of(agent).stream()
                    .filter(tool -> options.allowedTools().contains(tool.spec().name())).toList();
            List<ToolSpec> toolSpecs = new ArrayList<>(agentTools.stream().map(Tool::spec).toList());
            toolSpecs.addAll(options.clientTools());
            Set<String> clientSide = new HashSet<>();
            options.clientTools().forEach(spec -> clientSide.add(spec.name()));
            String staticPrompt = options.extraSystemPrompt() == null || options.extraSystemPrompt().isBlank()
                    ? agent.systemPrompt()
                    : (agent.systemPrompt() == null || agent.systemPrompt().isBlank() ? ""
                            : agent.systemPrompt() + "\n\n") + options.extraSystemPrompt();
            useContextSettingsOf(agent);
            String systemPrompt = assembly.systemPrompt(staticPrompt, new ContextRequest(ownerId, sessionId,
                    agent.id(), userText, clock.instant()), settings.model(), contextSettings.systemBudgetTokens());
            if (resuming) {
                settleInterruptedCalls(agentTools, agent);
            }
            List<Message> conversation = History.forModel(store.history(sessionId));

            LlmResponse last = null;
            StringBuilder partial = new StringBuilder();
            while (steps < settings.maxIterations()) {
                if (cancellation.isCancelled()) {
                    return ended(RunStatus.CANCELLED, "cancelled", last);
                }
                // before the first call and between iterations: a used-up budget stops the run here
                Optional<String> refusal = spending.refusal(ownerId, agent.id());
                if (refusal.isPresent()) {
                    publishError(refusal.get(), "budget_exceeded", false);
                    return failedAfterSteps("budget_exceeded", refusal.get(), false);
                }
                LlmSettings call;
                try {
                    // read for every call, so a rotated key is used from the next call on and each use is audited
                    call = secrets.forCall(settings, agent.id(), ownerId);
                } catch (SwitchboardException e) {
                    String message = keyProblem(agent, settings, e);
                    publishError(message, "not_configured", false);
                    return failedAfterSteps("not_configured", message, false);
                }
                ConversationWindow.Fitted fitted = fit(call, systemPrompt, conversation);
                if (cancellation.isCancelled()) {
                    return ended(RunStatus.CANCELLED, "cancelled", last);
                }
                steps++;
                events.publish(sessionId, runId, new EventPayload.Thinking(steps));
                partial.setLength(0);
                while (true) {
                    try {
                        last = llm.stream(new LlmRequest(call, fitted.systemPrompt(), fitted.messages(), toolSpecs),
                                streamTo(partial), cancellation);
                        router.reported(settings, null);
                        break;
                    } catch (CancellationException e) {
                        if (!partial.isEmpty()) {
                            store.appendMessage(ownerId, assistant(partial.toString(), null, List.of(),
                                    TokenUsage.NONE, settings.provider(), settings.model(), null));
                        }
                        return ended(RunStatus.CANCELLED, "cancelled", last);
                    } catch (LlmException e) {
                        router.reported(settings, e);
                        // once text has streamed the caller has seen it: another model would start over
                        if (!ModelRouter.failsOver(e) || routed + 1 >= route.size() || !partial.isEmpty()
                                || cancellation.isCancelled()) {
                            publishError(e.getMessage(), "llm_error", e.recoverable());
                            return failedAfterSteps("llm_error", e.getMessage(), e.recoverable());
                        }
                        LlmSettings next = route.get(++routed);
                        events.publish(sessionId, runId, new EventPayload.ModelFailover(settings.provider(),
                                settings.model(), e.statusCode(), e.getMessage(), next.provider(), next.model()));
                        LOG.warn("Run {}: {} {} failed ({}); {} {} takes over", runId, settings.provider(),
                                settings.model(), e.getMessage(), next.provider(), next.model());
                        settings = next;
                        try {
                            call = secrets.forCall(settings, agent.id(), ownerId);
                        } catch (SwitchboardException keyFailure) {
                            String message = keyProblem(agent, settings, keyFailure);
                            publishError(message, "not_configured", false);
                            return failedAfterSteps("not_configured", message, false);
                        }
                    }
                }
                Double stepCost = Pricing.estimate(last.model(), last.usage());
                spent(agent, last.provider(), last.model(), last.usage(), stepCost);
                usage = usage.plus(last.usage());
                if (stepCost != null) {
                    cost = (cost == null ? 0 : cost) + stepCost;
                }
                Message reply = assistant(last.text(), last.reasoning(), last.toolCalls(), last.usage(),
                        last.provider(), last.model(), stepCost);
                store.appendMessage(ownerId, reply);
                conversation.add(reply);
                events.publish(sessionId, runId, new EventPayload.Response(last.text(), last.reasoning(),
                        last.provider(), last.model(), last.usage(), stepCost, last.finishReason(),
                        last.toolCalls().stream().map(ToolCall::id).toList()));
                if (last.toolCalls().isEmpty()) {
                    return ended(RunStatus.COMPLETED, "length".equals(last.finishReason()) ? "length" : "stop", last);
                }
                List<ToolCall> serverCalls = last.toolCalls().stream().filter(c -> !clientSide.contains(c.name()))
                        .toList();
                List<ToolCall> clientCalls = last.toolCalls().stream().filter(c -> clientSide.contains(c.name()))
                        .toList();
                runTools(serverCalls, agentTools, agent, conversation);
                if (!clientCalls.isEmpty()) {
                    // the caller runs these; its results arrive with its next request (answerToolCalls)
                    for (ToolCall handed : clientCalls) {
                        events.publish(sessionId, runId, new EventPayload.ToolCallRequested(handed.name(),
                                handed.arguments(), handed.id()));
                    }
                    RunOutcome handedOut = ended(RunStatus.COMPLETED, "tool_calls", last);
                    return new RunOutcome(handedOut.runId(), handedOut.sessionId(), handedOut.status(),
                            handedOut.finishReason(), handedOut.text(), handedOut.reasoning(), handedOut.tokenUsage(),
                            handedOut.estimatedCost(), handedOut.provider(), handedOut.model(), handedOut.steps(),
                            null, clientCalls);
                }
            }
            return ended(cancellation.isCancelled() ? RunStatus.CANCELLED : RunStatus.COMPLETED,
                    cancellation.isCancelled() ? "cancelled" : "max-iterations", last);
        }

        /**
         * Takes the agent's own {@code context:} settings; where they do not fit the server's (a share that would
         * have to be below the server's), the server's are used and the reason logged.
         */
        private void useContextSettingsOf(AgentDefinition agent) {
            if (agent.context() == null) {
                return;
            }
            try {
                contextSettings = agent.contextSettings(context.settings());
            } catch (IllegalArgumentException e) {
                LOG.warn("Agent {}: its context settings do not fit the server's, which apply instead: {}",
                        agent.id(), e.getMessage());
                return;
            }
            agentWindow = window == null ? null : new ConversationWindow(contextSettings, context.counter(),
                    context.summaries(), clock);
        }

        /** The request for this step within the model's window, summarizing older turns when it has grown too big. */
        private ConversationWindow.Fitted fit(LlmSettings call, String systemPrompt, List<Message> conversation) {
            if (agentWindow == null) {
                return new ConversationWindow.Fitted(systemPrompt, conversation, 0);
            }
            int size = ContextWindows.of(call.model(), call.maxInputTokens(), contextSettings.defaultWindow());
            ConversationWindow.Summarizer summarizer = (prompt, transcript) -> {
                LlmResponse summary = llm.stream(new LlmRequest(call, prompt, List.of(Message.user(null, sessionId,
                        Content.text(transcript), clock.instant())), List.of()), SILENT, cancellation);
                // the summary is part of what this run cost
                usage = usage.plus(summary.usage());
                spent(null, summary.provider(), summary.model(), summary.usage(),
                        Pricing.estimate(summary.model(), summary.usage()));
                return summary.text();
            };
            return agentWindow.fit(new ConversationWindow.Target(ownerId, sessionId, call.model(), size, summarizer,
                    payload -> events.publish(sessionId, runId, payload)), systemPrompt, conversation);
        }

        private String keyProblem(AgentDefinition agent, LlmSettings settings, SwitchboardException e) {
            return "Agent '" + agent.id() + "' cannot use its API key " + settings.apiKey().strip() + ": "
                    + e.getMessage();
        }

        /** Records one model call in the usage ledger; {@code agent} null for the session's agent. */
        private void spent(AgentDefinition agent, String provider, String model, TokenUsage callUsage, Double callCost) {
            spending.spent(new UsageEntry(Ids.next("use"), ownerId, agent == null ? session.agentId() : agent.id(),
                    sessionId, runId, provider, model, callUsage, callCost, clock.instant()));
        }

        private LlmSettings withOverrides(LlmSettings base) {
            if (options.temperature() == null && options.maxOutputTokens() == null && options.maxIterations() == null) {
                return base;
            }
            // a cap only lowers the agent's own limit: a schedule cannot buy an agent more model calls
            int iterations = options.maxIterations() == null ? base.maxIterations()
                    : Math.min(base.maxIterations(), options.maxIterations());
            return new LlmSettings(base.provider(), base.model(), base.apiKey(), base.baseUrl(), iterations,
                    base.maxInputTokens(),
                    options.maxOutputTokens() == null ? base.maxOutputTokens() : options.maxOutputTokens(),
                    options.temperature() == null ? base.temperature() : options.temperature(),
                    base.reasoningEffort(), base.timeoutSeconds(), base.maxRetries());
        }

        private LlmListener streamTo(StringBuilder partial) {
            return new LlmListener() {
                @Override
                public void onText(String delta) {
                    partial.append(delta);
                    events.publish(sessionId, runId, new EventPayload.Chunk("text", delta));
                }

                @Override
                public void onReasoning(String delta) {
                    events.publish(sessionId, runId, new EventPayload.Chunk("reasoning", delta));
                }
            };
        }

        /** Runs the calls in parallel and stores their results in call order. */
        private void runTools(List<ToolCall> calls, List<Tool> available, AgentDefinition agent,
                List<Message> conversation) {
            Map<String, Tool> byName = byName(available);
            List<Entry<ToolCall, Future<ToolOutcome>>> running = new ArrayList<>();
            try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
                for (ToolCall call : calls) {
                    events.publish(sessionId, runId, new EventPayload.ToolCallRequested(call.name(), call.arguments(),
                            call.id()));
                }
                for (ToolCall call : calls) {
                    running.add(Map.entry(call, parallel.submit(() -> invoke(byName.get(call.name()), call, agent))));
                }
                for (Entry<ToolCall, Future<ToolOutcome>> entry : running) {
                    ToolOutcome outcome = await(entry.getValue());
                    if (closed) {
                        // cut short by shutdown: no result, so the next start can settle the call (or resume it)
                        return;
                    }
                    Message result = record(entry.getKey(), outcome);
                    if (conversation != null) {
                        conversation.add(result);
                    }
                }
            }
        }

        /** Stores a call's result and announces it. */
        private Message record(ToolCall call, ToolOutcome outcome) {
            Message result = new Message(Ids.next("msg"), sessionId, runId, Role.TOOL,
                    Content.text(outcome.textForModel()), null, List.of(), call.id(), call.name(),
                    outcome.success(), null, null, null, null, clock.instant());
            store.appendMessage(ownerId, result);
            events.publish(sessionId, runId, new EventPayload.ToolResult(call.id(), call.name(),
                    outcome.success(), outcome.output(), outcome.error()));
            return result;
        }

        /** Checks the call's arguments and permissions, asks a person when the policy says so, then runs it. */
        private ToolOutcome invoke(Tool tool, ToolCall call, AgentDefinition agent) {
            if (tool == null) {
                return ToolOutcome.failure("Unknown tool '" + call.name() + "'");
            }
            if (cancellation.isCancelled()) {
                return ToolOutcome.failure("Cancelled before the tool ran");
            }
            switch (guard.vet(ownerId, agent, tool, call.name(), call.arguments())) {
                case ToolGuard.Verdict.Refuse refused -> {
                    return refused.outcome();
                }
                case ToolGuard.Verdict.Ask ask -> {
                    ApprovalDecision decision = approvals.ask(toolApproval(tool, call, agent), cancellation);
                    if (!decision.approved()) {
                        return refused(decision, "the user denied this tool call");
                    }
                }
                case ToolGuard.Verdict.Run run -> {
                    // allowed without asking
                }
            }
            return execute(tool, call, agent);
        }

        private ToolOutcome execute(Tool tool, ToolCall call, AgentDefinition agent) {
            events.publish(sessionId, runId, new EventPayload.ToolRunning(call.name(), call.id()));
            return ToolGuard.run(tool, call.arguments(), new ToolContext(ownerId, agent.id(), sessionId, runId,
                    call.id(), cancellation, agent.workspace(), new CallInteraction(agent, call)));
        }

        private ApprovalRequest toolApproval(Tool tool, ToolCall call, AgentDefinition agent) {
            Map<String, Object> metadata = new java.util.LinkedHashMap<>();
            metadata.put("toolName", call.name());
            metadata.put("callId", call.id());
            metadata.put("args", call.arguments());
            metadata.put("description", tool.spec().description() == null ? "" : tool.spec().description());
            metadata.put("source", tool.origin().source());
            if (tool.origin().server() != null) {
                metadata.put("server", tool.origin().server());
            }
            metadata.put("risk", tool.risk().name().toLowerCase(java.util.Locale.ROOT));
            boolean command = tool.risk() == ToolRisk.DANGEROUS;
            return new ApprovalRequest(Ids.next("apr"), command ? ApprovalType.COMMAND : ApprovalType.TOOL, ownerId,
                    sessionId, runId, agent.id(), call.name(), call.id(), call.arguments(),
                    "Agent '" + agent.name() + "' wants to run " + call.name(), metadata,
                    agent.permissions().timeoutMs(), clock.instant());
        }

        /**
         * Gives every tool call of the conversation's last assistant turn that has no result one: a call whose
         * approval was granted after the restart runs now; the others get an error saying why they did not.
         */
        private void settleInterruptedCalls(List<Tool> available, AgentDefinition agent) {
            List<Message> stored = store.history(sessionId);
            java.util.Set<String> answered = new HashSet<>();
            Message lastTurn = null;
            for (Message message : stored) {
                if (message.role() == Role.TOOL && message.toolCallId() != null) {
                    answered.add(message.toolCallId());
                } else if (message.role() == Role.ASSISTANT && !message.toolCalls().isEmpty()) {
                    lastTurn = message;
                }
            }
            if (lastTurn == null) {
                return;
            }
            Map<String, Tool> byName = byName(available);
            for (ToolCall call : lastTurn.toolCalls()) {
                if (answered.contains(call.id())) {
                    continue;
                }
                List<Approval> asked = store.approvalsOfCall(sessionId, call.id());
                Approval last = asked.isEmpty() ? null : asked.getLast();
                ToolOutcome outcome;
                if (last == null || !isToolApproval(last) || last.decision() == null) {
                    outcome = ToolOutcome.failure("The server restarted before this tool finished");
                } else if (last.decision().approved()) {
                    Tool tool = byName.get(call.name());
                    outcome = tool == null ? ToolOutcome.failure("Unknown tool '" + call.name() + "'")
                            : execute(tool, call, agent);
                } else {
                    outcome = refused(last.decision(), "the user denied this tool call");
                }
                record(call, outcome);
            }
        }

        /** What a tool running in this loop may ask of it: a person's answer, an event, a model call. */
        private final class CallInteraction implements ToolInteraction {
            private final AgentDefinition agent;
            private final ToolCall call;

            CallInteraction(AgentDefinition agent, ToolCall call) {
                this.agent = agent;
                this.call = call;
            }

            @Override
            public ApprovalDecision elicit(String message, Map<String, Object> requestedSchema,
                    Map<String, Object> metadata) {
                Map<String, Object> shown = new java.util.LinkedHashMap<>(metadata == null ? Map.of() : metadata);
                shown.put("toolName", call.name());
                shown.put("callId", call.id());
                if (requestedSchema != null) {
                    shown.put("requestedSchema", requestedSchema);
                }
                return approvals.ask(new ApprovalRequest(Ids.next("apr"), ApprovalType.ELICITATION, ownerId,
                        sessionId, runId, agent.id(), call.name(), call.id(), null, message, shown,
                        agent.permissions().timeoutMs(), clock.instant()), cancellation);
            }

            @Override
            public void publish(EventPayload payload) {
                events.publish(sessionId, runId, payload);
            }

            @Override
            public LlmResponse sample(String server, String systemPrompt, List<Message> messages, Integer maxTokens) {
                String asName = "mcp__" + server + "__sampling";
                ToolPolicy.Ruling ruling = ToolPolicy.decide(agent.permissions(), ToolRisk.ACTS, asName,
                        () -> approvals.remembered(ownerId, agent.id(), asName));
                if (ruling.verdict() == ToolPolicy.Verdict.DENY) {
                    throw new IllegalStateException(ruling.reason());
                }
                if (ruling.verdict() == ToolPolicy.Verdict.ASK) {
                    Map<String, Object> metadata = new java.util.LinkedHashMap<>();
                    metadata.put("server", server);
                    metadata.put("callId", call.id());
                    metadata.put("messages", messages.size());
                    if (systemPrompt != null) {
                        metadata.put("systemPrompt", systemPrompt);
                    }
                    if (maxTokens != null) {
                        metadata.put("maxTokens", maxTokens);
                    }
                    String preview = messages.isEmpty() ? "" : Content.plainText(messages.getLast().content());
                    metadata.put("lastMessage", preview.length() > 500 ? preview.substring(0, 500) + "…" : preview);
                    ApprovalDecision decision = approvals.ask(new ApprovalRequest(Ids.next("apr"),
                            ApprovalType.SAMPLING, ownerId, sessionId, runId, agent.id(), asName, call.id(), null,
                            "MCP server '" + server + "' asks to use the model of agent '" + agent.name() + "'",
                            metadata, agent.permissions().timeoutMs(), clock.instant()), cancellation);
                    if (!decision.approved()) {
                        throw new IllegalStateException(refused(decision, "the user denied the request").error());
                    }
                }
                LlmSettings base = secrets.forCall(agent.llm(), agent.id(), ownerId);
                LlmSettings settings = maxTokens == null ? base : new LlmSettings(base.provider(), base.model(),
                        base.apiKey(), base.baseUrl(), base.maxIterations(), base.maxInputTokens(), maxTokens,
                        base.temperature(), base.reasoningEffort(), base.timeoutSeconds(), base.maxRetries());
                return llm.stream(new LlmRequest(settings, systemPrompt == null ? "" : systemPrompt, messages,
                        List.of()), SILENT, cancellation);
            }
        }

        private ToolOutcome await(Future<ToolOutcome> future) {
            try {
                return future.get(10, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                return ToolOutcome.failure(String.valueOf(e.getCause()));
            } catch (java.util.concurrent.TimeoutException e) {
                future.cancel(true);
                return ToolOutcome.failure("The tool did not finish within 10 minutes");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ToolOutcome.failure("Interrupted");
            }
        }

        private Message assistant(String text, String reasoning, List<ToolCall> calls, TokenUsage tokens,
                String provider, String model, Double stepCost) {
            return new Message(Ids.next("msg"), sessionId, runId, Role.ASSISTANT,
                    text == null || text.isEmpty() ? List.of() : Content.text(text), reasoning, calls, null, null,
                    null, tokens, provider, model, stepCost, clock.instant());
        }

        private void publishError(String message, String code, boolean recoverable) {
            events.publish(sessionId, runId, new EventPayload.Error(message, code, recoverable));
        }

        private RunOutcome ended(RunStatus status, String finishReason, LlmResponse last) {
            return new RunOutcome(runId, sessionId, status, finishReason, last == null ? null : last.text(),
                    last == null ? null : last.reasoning(), usage, cost, last == null ? null : last.provider(),
                    last == null ? null : last.model(), steps, null);
        }

        private RunOutcome failedAfterSteps(String code, String message, boolean recoverable) {
            return new RunOutcome(runId, sessionId, RunStatus.FAILED, "error", null, null, usage, cost, null, null,
                    steps, new RunOutcome.RunFailure(message, code, recoverable));
        }
    }

    private static final LlmListener SILENT = new LlmListener() {
        @Override
        public void onText(String delta) {
        }

        @Override
        public void onReasoning(String delta) {
        }
    };

    /** Stops taking work; runs in progress are cancelled and will be marked interrupted on the next start. */
    @Override
    public void close() {
        closed = true;
        for (Lane lane : lanes.values()) {
            synchronized (lane) {
                if (lane.cancellation != null) {
                    lane.cancellation.cancel();
                }
            }
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

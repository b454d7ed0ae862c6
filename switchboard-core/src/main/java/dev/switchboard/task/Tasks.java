package dev.switchboard.task;

import dev.switchboard.Ids;
import dev.switchboard.content.ContentPart;
import dev.switchboard.event.Event;
import dev.switchboard.event.EventHub;
import dev.switchboard.event.EventPayload;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.run.RunEngine;
import dev.switchboard.run.RunOutcome;
import dev.switchboard.run.RunStatus;
import dev.switchboard.run.Submission;
import dev.switchboard.session.Session;
import dev.switchboard.session.Sessions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent-to-agent tasks: each is one user message to an agent, answered by an ordinary run of the session its
 * context names, so a task streams, queues, cancels and is stored like any other message.
 */
public final class Tasks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);

    /** Told of every change of a task's state, after it was stored. */
    @FunctionalInterface
    public interface Listener {
        void changed(Task task);
    }

    /** A task just submitted, with the receipt of its message. */
    public record Started(Task task, Submission submission, CompletableFuture<Task> ended) {
    }

    /** One page of tasks and how many match in all. */
    public record Page(List<Task> tasks, int total) {
    }

    /** How long a cancel waits for the run to notice, at most. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(30);

    private final TaskStore store;
    private final Sessions sessions;
    private final RunEngine engine;
    private final EventHub events;
    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Tasks whose run has not ended, by the id of their queued message. */
    private final Map<String, String> taskOfMessage = new ConcurrentHashMap<>();
    /** Completes with the task once it has ended, for callers that wait (cancel). */
    private final Map<String, CompletableFuture<Task>> endings = new ConcurrentHashMap<>();
    private AutoCloseable tap = () -> { };

    public Tasks(TaskStore store, Sessions sessions, RunEngine engine, EventHub events, Clock clock) {
        this.store = store;
        this.sessions = sessions;
        this.engine = engine;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Starts following the runs and takes up the tasks a previous process left unfinished. Call before
     * {@link RunEngine#recover()}, so that no recovered run starts or ends unseen. A task whose message still waits in
     * its session's queue is answered by the run the engine resumes, so it stays submitted and ends with that run (as
     * a client polling it expects); a task whose run the stop cut short is failed, since that run never ends.
     */
    public Tasks start() {
        tap = events.tap(this::seen);
        int failed = 0;
        int resumed = 0;
        for (Task task : store.unfinished()) {
            var outcome = engine.outcomeOfQueued(task.contextId(), task.messageId());
            if (outcome.isEmpty()) {
                move(task, TaskState.FAILED, null, "The server stopped before the task ended");
                failed++;
                continue;
            }
            endings.put(task.id(), new CompletableFuture<>());
            taskOfMessage.put(task.messageId(), task.id());
            outcome.get().whenComplete((result, failure) -> settle(task, result, failure));
            resumed++;
        }
        if (failed + resumed > 0) {
            LOG.info("Of the tasks a previous start left unfinished, {} wait for their resumed run and {} failed "
                    + "(their run was cut short)", resumed, failed);
        }
        return this;
    }

    public void onChange(Listener listener) {
        listeners.add(listener);
    }

    /**
     * The session a task of {@code agentId} runs in: the context's when {@code contextId} names one (created for
     * the agent when new), else a new one.
     *
     * @throws dev.switchboard.failure.InvalidInputException when the agent or the context id is not valid
     * @throws ConflictException when the context talks to another agent
     */
    public Session context(String ownerId, String contextId, String agentId) {
        if (contextId == null) {
            return sessions.create(ownerId, null, agentId);
        }
        return agentId == null ? sessions.getOrCreate(ownerId, contextId)
                : sessions.getOrCreate(ownerId, contextId, agentId);
    }

    /** Submits the message to the session's agent as a new task; the message is durable when this returns. */
    public Started submit(Session session, List<ContentPart> content, String requestText, String clientMessageId) {
        Submission submission = engine.submit(session, content, "default", Map.of("via", "a2a"));
        java.time.Instant now = clock.instant();
        Task task = new Task(Ids.next("task"), session.ownerId(), session.id(), session.agentId(),
                submission.messageId(), clientMessageId, TaskState.SUBMITTED, requestText, null, null, now, now);
        CompletableFuture<Task> ended = new CompletableFuture<>();
        endings.put(task.id(), ended);
        store.create(task);
        taskOfMessage.put(submission.messageId(), task.id());
        if (submission.startedNow()) {
            task = move(task, TaskState.WORKING, null, null);
        }
        Task submitted = task;
        submission.outcome().whenComplete((outcome, failure) -> settle(submitted, outcome, failure));
        return new Started(task, submission, ended);
    }

    /** Waits for the task's run to end and returns the ended task. */
    public Task await(Started started) throws InterruptedException {
        try {
            return started.ended().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The ended task once it has ended; completes at once with the stored task when it is not followed here. */
    public CompletableFuture<Task> ending(String ownerId, String id) {
        Task task = get(ownerId, id);
        CompletableFuture<Task> ending = endings.get(id);
        return ending != null ? ending : CompletableFuture.completedFuture(task);
    }

    /** @throws NotFoundException when the owner has no such task */
    public Task get(String ownerId, String id) {
        return store.find(ownerId, id).orElseThrow(() -> new NotFoundException("task", id));
    }

    public Page list(String ownerId, String contextId, TaskState state, int limit, int offset) {
        return new Page(store.list(ownerId, contextId, state, limit, offset), store.count(ownerId, contextId, state));
    }

    /**
     * Cancels the task: removes its message from the queue, or stops its run, and waits (briefly) for it to end.
     *
     * @throws ConflictException ({@code task_not_cancelable}) when it had ended already
     */
    public Task cancel(String ownerId, String id) throws InterruptedException {
        Task task = get(ownerId, id);
        if (task.state().terminal()) {
            throw new ConflictException("task_not_cancelable", "Task '" + id + "' has ended (" + task.state()
                    .name().toLowerCase(java.util.Locale.ROOT) + ") and cannot be cancelled", Map.of("taskId", id));
        }
        if (!engine.removeQueued(task.contextId(), task.messageId())) {
            // not in the queue any more: its run is the session's current one, or has just ended
            if (taskOfMessage.containsKey(task.messageId())) {
                engine.cancel(task.contextId(), false);
            }
        }
        CompletableFuture<Task> ending = endings.get(id);
        if (ending == null) {
            return get(ownerId, id);
        }
        try {
            return ending.get(CANCEL_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return get(ownerId, id);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Adds a push target to the owner's task. */
    public PushTarget addPushTarget(String ownerId, String taskId, PushTarget target) {
        get(ownerId, taskId);
        store.addPushTarget(target);
        return target;
    }

    public List<PushTarget> pushTargets(String ownerId, String taskId) {
        get(ownerId, taskId);
        return store.pushTargets(ownerId, taskId);
    }

    public PushTarget pushTarget(String ownerId, String taskId, String id) {
        return pushTargets(ownerId, taskId).stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("pushNotificationConfig", id));
    }

    public void deletePushTarget(String ownerId, String taskId, String id) {
        get(ownerId, taskId);
        if (!store.deletePushTarget(ownerId, taskId, id)) {
            throw new NotFoundException("pushNotificationConfig", id);
        }
    }

    /** The push targets of a task whoever owns it, for delivering its notifications. */
    public List<PushTarget> pushTargetsOf(Task task) {
        return store.pushTargets(task.ownerId(), task.id());
    }

    private void seen(Event event) {
        if (event.payload() instanceof EventPayload.RunStarted started) {
            String taskId = taskOfMessage.get(started.messageId());
            if (taskId != null) {
                store.byId(taskId).filter(t -> t.state() == TaskState.SUBMITTED)
                        .ifPresent(t -> move(t, TaskState.WORKING, null, null));
            }
        }
    }

    private void settle(Task task, RunOutcome outcome, Throwable failure) {
        try {
            Task ended;
            if (failure != null) {
                // removed from the queue before it ran (a cancel), or its run could not start
                boolean removed = failure instanceof java.util.concurrent.CancellationException;
                ended = move(task, removed ? TaskState.CANCELED : TaskState.FAILED, null,
                        removed ? null : String.valueOf(failure.getMessage()));
            } else if (outcome.status() == RunStatus.COMPLETED) {
                ended = move(task, TaskState.COMPLETED, outcome.text(), null);
            } else if (outcome.status() == RunStatus.CANCELLED) {
                ended = move(task, TaskState.CANCELED, emptyToNull(outcome.text()), null);
            } else {
                String why = outcome.error() == null ? "The run ended: " + outcome.finishReason()
                        : outcome.error().message();
                ended = move(task, TaskState.FAILED, emptyToNull(outcome.text()), why);
            }
            taskOfMessage.remove(task.messageId());
            CompletableFuture<Task> ending = endings.remove(task.id());
            if (ending != null) {
                ending.complete(ended);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not store the end of task {}: {}", task.id(), e.toString());
            CompletableFuture<Task> ending = endings.remove(task.id());
            if (ending != null) {
                ending.completeExceptionally(e);
            }
        }
    }

    private Task move(Task task, TaskState state, String answer, String error) {
        Task next = task.with(state, answer, error, clock.instant());
        if (store.update(task.id(), state, answer, error, next.updatedAt())) {
            for (Listener listener : listeners) {
                try {
                    listener.changed(next);
                } catch (RuntimeException e) {
                    LOG.warn("A task listener failed on task {}: {}", task.id(), e.toString());
                }
            }
        }
        return next;
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    @Override
    public void close() {
        try {
            tap.close();
        } catch (Exception e) {
            LOG.debug("Could not stop following runs: {}", e.toString());
        }
    }
}

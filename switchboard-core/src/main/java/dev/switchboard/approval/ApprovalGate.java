package dev.switchboard.approval;

import dev.switchboard.event.EventHub;
import dev.switchboard.event.EventPayload;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts questions to the person behind a session and waits for the answers: stores each request, announces it as
 * {@code approval:request}, and resolves it exactly once, by the person's answer, its timeout (denied, with the
 * reason) or the run's cancellation, announcing {@code approval:response}.
 *
 * <p>Requests are stored, so a request whose run was cut short by a restart can still be listed and answered;
 * such an answer goes to the handler set with {@link #onAnswerWithoutWaiter}, which resumes the conversation.
 */
public final class ApprovalGate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalGate.class);

    private final Store store;
    private final EventHub events;
    private final Clock clock;
    private final Map<String, CompletableFuture<ApprovalDecision>> waiters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("approval-timeouts").factory());
    private volatile Consumer<Approval> withoutWaiter = approval -> { };
    private volatile Consumer<ApprovalRequest> onRequest = request -> { };
    private volatile ToolOverrides overrides = ToolOverrides.NONE;
    private volatile boolean closing;

    public ApprovalGate(Store store, EventHub events, Clock clock) {
        this.store = store;
        this.events = events;
        this.clock = clock;
    }

    /** Where answers go whose asker is gone (its run ended with a restart). */
    public void onAnswerWithoutWaiter(Consumer<Approval> handler) {
        this.withoutWaiter = handler;
    }

    /**
     * Told of every request once it is stored and announced, on the asking run's thread: the listener must hand
     * slow work (such as a push notification) to another thread, and a failure in it never reaches the run.
     */
    public void onRequest(Consumer<ApprovalRequest> listener) {
        this.onRequest = listener;
    }

    /** Where administrators' overrides come from (seed 002's skill permissions); none until set. */
    public void useOverrides(ToolOverrides source) {
        this.overrides = source == null ? ToolOverrides.NONE : source;
    }

    /** The administrator's override, if any, for the agent's tool, as {@link ToolPolicy} takes it. */
    public java.util.Optional<ToolPolicy.Ruling> override(String agentId, String toolName) {
        return overrides.ruling(agentId, toolName);
    }

    /** The remembered answer, if any, for the agent's tool, as {@link ToolPolicy} takes it. */
    public java.util.Optional<ApprovalStatus> remembered(String ownerId, String agentId, String toolName) {
        return store.rememberedChoice(ownerId, agentId, toolName);
    }

    /**
     * Stores and announces the request, then waits for its resolution. Never throws for a missing answer: a
     * timeout is a denial with the reason, a cancelled run a cancellation.
     */
    public ApprovalDecision ask(ApprovalRequest request, Cancellation cancellation) {
        if (cancellation.isCancelled()) {
            return ApprovalDecision.cancelled("The run was cancelled");
        }
        CompletableFuture<ApprovalDecision> answer = new CompletableFuture<>();
        waiters.put(request.id(), answer);
        try {
            store.saveApproval(request);
            events.publish(request.sessionId(), request.runId(), requested(request));
            tell(request);
            try (AutoCloseable ignored = cancellation.onCancel(() -> {
                // a stopping server cancels its runs: their questions stay pending for the next start
                if (!closing) {
                    resolve(request, ApprovalDecision.cancelled("The run was cancelled"), null);
                }
            })) {
                return answer.get(request.timeoutMs(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                resolve(request, timedOut(request), null);
                // the timeout, or an answer that came first: either way the future now holds the outcome
                return answer.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // left pending: the next start lists it, and an answer then resumes the conversation
            return ApprovalDecision.cancelled("The server is stopping");
        } catch (ExecutionException e) {
            throw new IllegalStateException("An approval waiter cannot fail", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // only AutoCloseable.close() declares it; unregistering a cancel action does not throw
            throw new IllegalStateException(e);
        } finally {
            waiters.remove(request.id());
        }
    }

    /**
     * Records a person's answer. Answering again with the same {@code Idempotency-Key} returns the stored result;
     * answering an approval that is no longer pending otherwise is a conflict.
     *
     * @throws NotFoundException when the owner has no such approval
     * @throws ConflictException when it was already resolved
     */
    public Approval answer(String ownerId, String approvalId, ApprovalDecision decision, String idempotencyKey) {
        Approval current = find(ownerId, approvalId);
        if (current.pending() && resolve(current.request(), decision, idempotencyKey)) {
            return find(ownerId, approvalId);
        }
        Approval resolved = find(ownerId, approvalId);
        if (idempotencyKey != null && idempotencyKey.equals(resolved.idempotencyKey())) {
            return resolved;
        }
        throw new ConflictException("Approval '" + approvalId + "' was already " + resolved.status().wireName(),
                Map.of("approvalId", approvalId, "status", resolved.status().wireName()));
    }

    /** The owner's pending approvals, oldest first; of one session when {@code sessionId} is not null. */
    public List<Approval> pending(String ownerId, String sessionId) {
        return store.pendingApprovals(ownerId, sessionId);
    }

    public Approval find(String ownerId, String approvalId) {
        return store.findApproval(ownerId, approvalId).orElseThrow(() -> new NotFoundException("approval", approvalId));
    }

    /**
     * Restarts the clocks of requests stored as pending by a previous process: each still times out (denied) when
     * its time is up, at once if it already is.
     */
    public void recover() {
        for (Approval approval : store.allPendingApprovals()) {
            ApprovalRequest request = approval.request();
            Instant due = request.createdAt().plusMillis(request.timeoutMs());
            long delay = Math.max(0, Duration.between(clock.instant(), due).toMillis());
            timers.schedule(() -> {
                if (!closing) {
                    resolve(request, timedOut(request), null);
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Resolves the request if it is still pending; false when something else resolved it first. */
    private boolean resolve(ApprovalRequest request, ApprovalDecision decision, String idempotencyKey) {
        boolean won;
        try {
            won = store.resolveApproval(request.id(), decision, idempotencyKey, clock.instant());
        } catch (RuntimeException e) {
            LOG.error("Could not store the resolution of approval {}", request.id(), e);
            throw e;
        }
        if (!won) {
            return false;
        }
        boolean remember = decision.rememberChoice() && request.toolName() != null
                && (ApprovalType.TOOL.equals(request.type()) || ApprovalType.COMMAND.equals(request.type()))
                && decision.status() != ApprovalStatus.CANCELLED;
        if (remember) {
            store.rememberChoice(request.ownerId(), request.agentId(), request.toolName(), decision.status(),
                    clock.instant());
        }
        if (request.sessionId() != null) {
            events.publish(request.sessionId(), request.runId(), new EventPayload.ApprovalResponded(request.id(),
                    decision.status().wireName(), decision.reason(), remember));
        }
        CompletableFuture<ApprovalDecision> waiter = waiters.get(request.id());
        if (waiter != null) {
            waiter.complete(decision);
        } else {
            store.findApproval(request.ownerId(), request.id()).ifPresent(approval -> {
                try {
                    withoutWaiter.accept(approval);
                } catch (RuntimeException e) {
                    LOG.error("Could not resume after the answer to approval {}", request.id(), e);
                }
            });
        }
        return true;
    }

    private static ApprovalDecision timedOut(ApprovalRequest request) {
        return ApprovalDecision.denied("No answer within " + Duration.ofMillis(request.timeoutMs()).toSeconds()
                + " s; the request timed out");
    }

    private static EventPayload.ApprovalRequested requested(ApprovalRequest r) {
        return new EventPayload.ApprovalRequested(r.id(), r.type(), r.toolName(), r.callId(), r.args(), r.message(),
                r.metadata(), r.timeoutMs());
    }

    /** Stops the clocks; questions still waiting stay pending in the store. Call before the run engine closes. */
    @Override
    public void close() {
        closing = true;
        timers.shutdownNow();
    }

    private void tell(ApprovalRequest request) {
        try {
            onRequest.accept(request);
        } catch (RuntimeException e) {
            LOG.warn("A listener of approval requests failed for approval {}: {}", request.id(), e.toString());
        }
    }
}

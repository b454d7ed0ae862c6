package dev.switchboard.store;

import dev.switchboard.approval.Approval;
import dev.switchboard.approval.ApprovalDecision;
import dev.switchboard.approval.ApprovalRequest;
import dev.switchboard.approval.ApprovalStatus;
import dev.switchboard.prompt.CustomPrompt;
import dev.switchboard.run.QueuedMessage;
import dev.switchboard.run.RunRecord;
import dev.switchboard.run.RunStatus;
import dev.switchboard.session.Message;
import dev.switchboard.session.Session;
import dev.switchboard.session.TokenUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Just enough of a store for the core's tests: one session's messages, run states and approvals, in memory. */
public final class MemoryStore implements Store {

    public final List<Message> messages = new CopyOnWriteArrayList<>();
    public final List<RunStatus> finished = new CopyOnWriteArrayList<>();
    public final List<RunRecord> runs = new CopyOnWriteArrayList<>();
    private final Map<String, Approval> approvals = new LinkedHashMap<>();
    private final Map<String, ApprovalStatus> remembered = new LinkedHashMap<>();

    public Session createSession(String id, String ownerId, String agentId, Instant now) {
        throw new AssertionError("the engine never creates sessions");
    }

    public Optional<Session> findSession(String ownerId, String sessionId) {
        return Optional.of(new Session(sessionId, ownerId, "default", null, Instant.now(), Instant.now(), 0,
                TokenUsage.NONE, 0));
    }

    public Optional<Session> findSessionOfAnyOwner(String sessionId) {
        return Optional.empty();
    }

    public List<Session> listSessions(String ownerId) {
        return List.of();
    }

    public List<Session> recentSessions(int limit) {
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
        if (userMessage != null) {
            messages.add(userMessage);
        }
        runs.add(run);
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
        return List.copyOf(runs);
    }

    public synchronized void saveApproval(ApprovalRequest request) {
        approvals.put(request.id(), new Approval(request, ApprovalStatus.PENDING, null, null, null));
    }

    public synchronized Optional<Approval> findApproval(String ownerId, String approvalId) {
        return Optional.ofNullable(approvals.get(approvalId)).filter(a -> a.request().ownerId().equals(ownerId));
    }

    public synchronized List<Approval> pendingApprovals(String ownerId, String sessionId) {
        return approvals.values().stream()
                .filter(a -> a.pending() && a.request().ownerId().equals(ownerId))
                .filter(a -> sessionId == null || sessionId.equals(a.request().sessionId()))
                .sorted(Comparator.comparing(a -> a.request().createdAt()))
                .toList();
    }

    public synchronized List<Approval> allPendingApprovals() {
        return approvals.values().stream().filter(Approval::pending).toList();
    }

    public synchronized boolean resolveApproval(String approvalId, ApprovalDecision decision, String idempotencyKey,
            Instant at) {
        Approval current = approvals.get(approvalId);
        if (current == null || !current.pending()) {
            return false;
        }
        approvals.put(approvalId, new Approval(current.request(), decision.status(), decision, idempotencyKey, at));
        return true;
    }

    public synchronized List<Approval> approvalsOfCall(String sessionId, String callId) {
        return approvals.values().stream().filter(a -> callId.equals(a.request().callId())).toList();
    }

    public synchronized void rememberChoice(String ownerId, String agentId, String toolName, ApprovalStatus status,
            Instant at) {
        remembered.put(ownerId + "/" + agentId + "/" + toolName, status);
    }

    public synchronized Optional<ApprovalStatus> rememberedChoice(String ownerId, String agentId, String toolName) {
        return Optional.ofNullable(remembered.get(ownerId + "/" + agentId + "/" + toolName));
    }

    public void savePrompt(CustomPrompt prompt) {
        throw new AssertionError("not used by the core's tests");
    }

    public Optional<CustomPrompt> findPrompt(String ownerId, String name) {
        return Optional.empty();
    }

    public List<CustomPrompt> listPrompts(String ownerId) {
        return List.of();
    }

    public boolean deletePrompt(String ownerId, String name) {
        return false;
    }

    public boolean refersToBlob(String ownerId, String blobId) {
        throw new AssertionError("not used by the core's tests");
    }

    public void recordBlobOwner(String ownerId, String blobId) {
        throw new AssertionError("not used by the core's tests");
    }

    public void close() {
    }
}

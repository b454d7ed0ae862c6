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
import java.util.List;
import java.util.Optional;

/**
 * The one storage port: sessions, their messages, their input queues and their runs; approvals and remembered
 * answers; custom prompts.
 * Every record carries its owner; lookups that take an {@code ownerId} never see another owner's rows.
 */
public interface Store extends AutoCloseable {

    // ---- sessions

    /** Creates a session; throws {@link dev.switchboard.failure.ConflictException} when the id is taken. */
    Session createSession(String id, String ownerId, String agentId, Instant now);

    Optional<Session> findSession(String ownerId, String sessionId);

    /**
     * The session whoever owns it; only for what follows every owner's events (hooks, webhooks, the realtime faces)
     * and must then match them to the session's owner. Requests use {@link #findSession}.
     */
    Optional<Session> findSessionOfAnyOwner(String sessionId);

    /** The owner's sessions, most recently active first. */
    List<Session> listSessions(String ownerId);

    /** Every owner's sessions, most recently active first, at most {@code limit}: the operator's overview. */
    List<Session> recentSessions(int limit);

    /** Sets the title; false when the session does not exist for this owner. */
    boolean updateTitle(String ownerId, String sessionId, String title);

    /** Deletes the session with its messages, queue and runs; false when it did not exist. */
    boolean deleteSession(String ownerId, String sessionId);

    /**
     * Reserves {@code size} event sequence numbers for the session and returns the first. Numbers reserved
     * once are never returned again, so sequence numbers stay increasing across restarts.
     */
    long reserveSeq(String sessionId, int size);

    // ---- messages

    /**
     * Appends a message to its session's history and updates the session's activity time, message count,
     * token usage and cost.
     */
    void appendMessage(String ownerId, Message message);

    /** The session's messages in the order they were appended. */
    List<Message> history(String sessionId);

    /** Removes every message of the session (the session itself stays). Returns how many were removed. */
    int clearHistory(String sessionId);

    // ---- queue

    void enqueue(QueuedMessage message);

    /** The session's queued messages, oldest first. */
    List<QueuedMessage> queued(String sessionId);

    boolean removeQueued(String sessionId, String messageId);

    /** Removes every queued message of the session, returning how many. */
    int clearQueue(String sessionId);

    /**
     * In one transaction: removes {@code queued} from the queue, appends {@code userMessage} to the history
     * (none for a run that resumes a conversation: null), and stores {@code run} as started.
     */
    void startRun(QueuedMessage queued, Message userMessage, RunRecord run);

    /** Ids of sessions that have queued messages, for resuming after a restart. */
    List<String> sessionsWithQueue();

    // ---- runs

    void finishRun(String runId, RunStatus status, String finishReason, int steps, TokenUsage usage,
            Double estimatedCost, String error, Instant endedAt);

    /** Marks every run still {@code RUNNING} as {@code INTERRUPTED}; returns how many. */
    int interruptRunningRuns(Instant now);

    /** The session's runs, oldest first. */
    List<RunRecord> runs(String sessionId);

    // ---- approvals

    /** Stores a new request as pending. */
    void saveApproval(ApprovalRequest request);

    Optional<Approval> findApproval(String ownerId, String approvalId);

    /** The owner's pending approvals, oldest first; only one session's when {@code sessionId} is not null. */
    List<Approval> pendingApprovals(String ownerId, String sessionId);

    /** Every owner's pending approvals, for restarting their clocks after a restart. */
    List<Approval> allPendingApprovals();

    /**
     * Resolves the approval if, and only if, it is still pending (so it is resolved exactly once).
     *
     * @return false when it was not pending (or does not exist)
     */
    boolean resolveApproval(String approvalId, ApprovalDecision decision, String idempotencyKey, Instant at);

    /** The approvals asked about one tool call of a session, oldest first. */
    List<Approval> approvalsOfCall(String sessionId, String callId);

    /** Remembers an answer for the agent's tool, replacing an earlier one. */
    void rememberChoice(String ownerId, String agentId, String toolName, ApprovalStatus status, Instant at);

    Optional<ApprovalStatus> rememberedChoice(String ownerId, String agentId, String toolName);

    // ---- blobs

    /**
     * Whether one of the owner's messages (stored or queued) or prompts refers to the blob: blobs are served only
     * to the owner of what they are attached to.
     */
    boolean refersToBlob(String ownerId, String blobId);

    /** Records that a blob kept outside any message or prompt (speech audio) belongs to the owner. */
    void recordBlobOwner(String ownerId, String blobId);

    // ---- custom prompts

    /** Stores a new prompt; throws {@link dev.switchboard.failure.ConflictException} when the name is taken. */
    void savePrompt(CustomPrompt prompt);

    Optional<CustomPrompt> findPrompt(String ownerId, String name);

    /** The owner's prompts by name. */
    List<CustomPrompt> listPrompts(String ownerId);

    boolean deletePrompt(String ownerId, String name);

    @Override
    void close();
}

package dev.switchboard.store;

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
 * The one storage port: sessions, their messages, their input queues and their runs.
 * Every record carries its owner; lookups that take an {@code ownerId} never see another owner's rows.
 */
public interface Store extends AutoCloseable {

    // ---- sessions

    /** Creates a session; throws {@link dev.switchboard.failure.ConflictException} when the id is taken. */
    Session createSession(String id, String ownerId, String agentId, Instant now);

    Optional<Session> findSession(String ownerId, String sessionId);

    /** The owner's sessions, most recently active first. */
    List<Session> listSessions(String ownerId);

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
     * In one transaction: removes {@code queued} from the queue, appends {@code userMessage} to the history,
     * and stores {@code run} as started.
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

    @Override
    void close();
}

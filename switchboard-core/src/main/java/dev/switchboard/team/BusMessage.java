package dev.switchboard.team;

import java.time.Instant;

/**
 * One agent-to-agent message on the bus, as stored.
 *
 * @param seq server-wide, strictly increasing in the order messages were stored
 * @param kind {@code delegate} (a task handed to an agent), {@code reply} (its answer), {@code broadcast} (one
 *     message to several agents) or {@code spawn} (a task given to a temporary worker)
 * @param taskId the subagent task the message belongs to
 * @param sessionId the session of the receiving agent's conversation
 */
public record BusMessage(long seq, String id, String ownerId, String fromAgent, String toAgent, String kind,
        String content, String taskId, String sessionId, Instant createdAt) {

    public static final String DELEGATE = "delegate";
    public static final String REPLY = "reply";
    public static final String BROADCAST = "broadcast";
    public static final String SPAWN = "spawn";

    /** The same message with the sequence number the store gave it. */
    public BusMessage withSeq(long newSeq) {
        return new BusMessage(newSeq, id, ownerId, fromAgent, toAgent, kind, content, taskId, sessionId, createdAt);
    }
}

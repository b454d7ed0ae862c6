package dev.switchboard.event;

import java.time.Instant;

/**
 * One thing that happened in a session, as every streaming face sees it.
 *
 * @param seq per-session, strictly increasing; a reconnecting client resumes after the last one it saw
 * @param runId the run it belongs to, or null for session-level events such as {@code message:queued}
 */
public record Event(String sessionId, String runId, long seq, Instant timestamp, EventPayload payload) {

    /** The event's wire name, for example {@code llm:chunk}. */
    public String name() {
        return payload.name();
    }
}

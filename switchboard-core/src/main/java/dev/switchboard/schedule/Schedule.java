package dev.switchboard.schedule;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A prompt an agent runs on time for its owner.
 *
 * @param sameSession true: every run continues the one session the schedule owns; false: each run opens a new one
 * @param maxIterations caps the agent's model calls per run (null: the agent's own limit)
 * @param nextRunAt the planned firing, null when none is planned (disabled)
 * @param lastResult how the latest run ended, null before the first
 * @param runCount how many runs the schedule has had
 */
public record Schedule(
        String id,
        String ownerId,
        String agentId,
        String name,
        String prompt,
        Timing timing,
        ZoneId zone,
        boolean enabled,
        boolean runOnStartup,
        boolean sameSession,
        Integer maxIterations,
        Instant createdAt,
        Instant updatedAt,
        Instant lastRunAt,
        Instant nextRunAt,
        ScheduleResult lastResult,
        int runCount) {

    /** The session every run of a same-session schedule continues; its id is derived so that nodes agree on it. */
    public String ownSessionId() {
        String sessionId = "schedule-" + id + "-" + agentId;
        // a schedule moved to another agent starts a new conversation: a session talks to one agent
        return sessionId.length() <= 128 ? sessionId : sessionId.substring(0, 128);
    }
}

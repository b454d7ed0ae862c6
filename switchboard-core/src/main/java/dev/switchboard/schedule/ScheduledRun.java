package dev.switchboard.schedule;

/** A scheduled run that ended, told to the listeners of {@link Schedules#onScheduledRunFinished}. */
public record ScheduledRun(String scheduleId, String scheduleName, String ownerId, String agentId, String sessionId,
        ScheduleResult result) {
}

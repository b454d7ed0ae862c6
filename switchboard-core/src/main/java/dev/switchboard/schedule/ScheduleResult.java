package dev.switchboard.schedule;

import java.time.Instant;

/**
 * How a schedule's latest run ended.
 *
 * @param status {@code completed}, {@code failed} or {@code cancelled}
 * @param text the answer, clipped to {@link #MAX_TEXT} characters (null when there is none)
 * @param error why it failed or was skipped, else null
 * @param skippedTicks ticks that came while the run was due or running: they are not made up (see docs/api.md)
 */
public record ScheduleResult(String status, String sessionId, String runId, String text, String error, Instant at,
        int skippedTicks) {

    public static final int MAX_TEXT = 2000;

    public ScheduleResult {
        text = text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }
}

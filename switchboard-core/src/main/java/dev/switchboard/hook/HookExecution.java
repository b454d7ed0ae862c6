package dev.switchboard.hook;

import java.time.Instant;

/**
 * One firing of a hook, for its execution log.
 *
 * @param payload what set it off, as JSON text
 * @param results each action's outcome, as JSON text (a list)
 * @param status {@code success} when every action succeeded, else {@code failed}
 */
public record HookExecution(String id, String hookId, String ownerId, String trigger, String payload,
        String status, String results, long durationMs, Instant executedAt) {
}

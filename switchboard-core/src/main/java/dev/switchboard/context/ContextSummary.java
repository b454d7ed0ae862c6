package dev.switchboard.context;

import java.time.Instant;

/**
 * A summary of a session's older turns, used in their place in later model requests; the turns themselves stay
 * stored unchanged.
 *
 * @param throughMessageId the last stored message the summary covers
 * @param summarizedMessages how many messages it covers in all (earlier summaries included)
 * @param tokensBefore the estimated size of the request that made compaction necessary
 */
public record ContextSummary(String id, String sessionId, String ownerId, String throughMessageId, String text,
        int summarizedMessages, int tokensBefore, Instant createdAt) {
}

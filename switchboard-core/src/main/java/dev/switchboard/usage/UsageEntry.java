package dev.switchboard.usage;

import dev.switchboard.session.TokenUsage;
import java.time.Instant;

/**
 * One model call's tokens and cost, kept in the usage ledger even after its session is deleted, so that totals and
 * budgets cannot be reset by deleting conversations.
 *
 * @param cost US dollars from the catalog's prices, or null when the model's price is unknown
 */
public record UsageEntry(String id, String ownerId, String agentId, String sessionId, String runId, String provider,
        String model, TokenUsage usage, Double cost, Instant at) {
}

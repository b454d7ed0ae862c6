package dev.switchboard.usage;

import dev.switchboard.session.TokenUsage;

/**
 * The sum of the ledger's entries that share the values of a report's grouping; fields not grouped on are null.
 *
 * @param day the UTC day, {@code yyyy-MM-dd}
 * @param unpriced how many of the calls had no known price (their cost counts as zero)
 */
public record UsageRow(String day, String provider, String model, String ownerId, String agentId, String sessionId,
        long calls, TokenUsage usage, double cost, long unpriced) {
}

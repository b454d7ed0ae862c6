package dev.switchboard.session;

import java.time.Instant;

/**
 * A conversation with one agent, owned by one user.
 *
 * @param tokenUsage what every model call of the session has cost in tokens
 * @param estimatedCost the same in US dollars, for the calls whose price is known
 */
public record Session(
        String id,
        String ownerId,
        String agentId,
        String title,
        Instant createdAt,
        Instant lastActivity,
        int messageCount,
        TokenUsage tokenUsage,
        double estimatedCost) {

    public Session withTitle(String newTitle) {
        return new Session(id, ownerId, agentId, newTitle, createdAt, lastActivity, messageCount, tokenUsage,
                estimatedCost);
    }
}

package dev.switchboard.agent;

import java.time.Instant;

/**
 * One event of a session of the agent, numbered in the agent's own sequence.
 *
 * @param seq per agent, strictly increasing; the cursor of {@code GET /api/agents/{id}/events?after=}
 * @param data the event as the streaming faces show it (JSON)
 */
public record AgentEvent(String agentId, long seq, String ownerId, String sessionId, String runId, String name,
        String data, Instant timestamp) {
}

package dev.switchboard.team;

import java.time.Instant;

/**
 * A piece of work one agent's run handed to another agent (or to a temporary worker), and how it ended.
 *
 * @param kind {@code delegate}, {@code spawn} or {@code broadcast}
 * @param depth 1 for a task of a conversation's own agent, one more for each level of delegation below it
 * @param status {@code running}, {@code completed}, {@code failed} or {@code cancelled}
 * @param estimatedCost what the worker's run cost in US dollars, when the model's price is known
 */
public record SubagentTask(String id, String ownerId, String kind, String parentAgentId, String parentSessionId,
        String parentRunId, String agentId, String sessionId, String prompt, int depth, String status, String result,
        String error, Double estimatedCost, Instant createdAt, Instant finishedAt) {

    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
}

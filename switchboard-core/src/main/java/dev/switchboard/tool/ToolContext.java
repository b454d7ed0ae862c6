package dev.switchboard.tool;

import dev.switchboard.llm.Cancellation;

/** Where a tool call happens: whose session, which agent, and the run's cancel signal. */
public record ToolContext(String ownerId, String agentId, String sessionId, String runId, String callId,
        Cancellation cancellation) {
}

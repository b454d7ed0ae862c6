package dev.switchboard.approval;

import java.time.Instant;
import java.util.Map;

/**
 * A question put to the person behind a session, stored until it is answered so that it survives a restart.
 *
 * @param type one of {@link ApprovalType}
 * @param toolName the tool the question is about (its namespaced name), or null
 * @param callId the model's tool call the question is about, or null
 * @param args the call's arguments as JSON text, or null
 * @param message what the person is asked, in words
 * @param metadata extra facts for the client, such as an elicitation's {@code requestedSchema} or the MCP server
 * @param timeoutMs how long the question waits before it counts as denied
 */
public record ApprovalRequest(
        String id,
        String type,
        String ownerId,
        String sessionId,
        String runId,
        String agentId,
        String toolName,
        String callId,
        String args,
        String message,
        Map<String, Object> metadata,
        long timeoutMs,
        Instant createdAt) {

    public ApprovalRequest {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}

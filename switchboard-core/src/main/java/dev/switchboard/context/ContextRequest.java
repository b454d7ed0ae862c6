package dev.switchboard.context;

import java.time.Instant;

/**
 * What a contributor knows of the run it contributes to.
 *
 * @param userMessage the plain text of the message that started the run (empty for a continuation)
 */
public record ContextRequest(String ownerId, String sessionId, String agentId, String userMessage, Instant now) {
}

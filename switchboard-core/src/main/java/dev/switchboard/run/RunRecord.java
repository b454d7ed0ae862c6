package dev.switchboard.run;

import dev.switchboard.session.TokenUsage;
import java.time.Instant;

/** The stored state of one run: one user message processed by the agent loop. */
public record RunRecord(
        String id,
        String sessionId,
        String ownerId,
        String messageId,
        RunStatus status,
        String finishReason,
        int steps,
        TokenUsage tokenUsage,
        Double estimatedCost,
        String error,
        Instant startedAt,
        Instant endedAt) {
}

package dev.switchboard.run;

import dev.switchboard.session.TokenUsage;

/**
 * How a run ended, for callers that wait for it.
 *
 * @param finishReason {@code stop}, {@code length}, {@code max-iterations}, {@code cancelled} or {@code error}
 * @param error the failure when {@code status} is FAILED, else null
 */
public record RunOutcome(
        String runId,
        String sessionId,
        RunStatus status,
        String finishReason,
        String text,
        String reasoning,
        TokenUsage tokenUsage,
        Double estimatedCost,
        String provider,
        String model,
        int steps,
        RunFailure error) {

    /** Why a run failed: the message, a stable code, and whether sending again may help. */
    public record RunFailure(String message, String code, boolean recoverable) {
    }
}

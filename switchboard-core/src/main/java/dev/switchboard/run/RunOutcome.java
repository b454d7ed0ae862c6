package dev.switchboard.run;

import dev.switchboard.session.TokenUsage;
import dev.switchboard.session.ToolCall;
import java.util.List;

/**
 * How a run ended, for callers that wait for it.
 *
 * @param finishReason {@code stop}, {@code length}, {@code tool_calls}, {@code max-iterations}, {@code cancelled}
 *     or {@code error}
 * @param error the failure when {@code status} is FAILED, else null
 * @param clientToolCalls when {@code finishReason} is {@code tool_calls}: the calls of functions the caller executes
 *     (see {@link RunOptions#clientTools()}); their results continue the conversation
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
        RunFailure error,
        List<ToolCall> clientToolCalls) {

    public RunOutcome {
        clientToolCalls = clientToolCalls == null ? List.of() : List.copyOf(clientToolCalls);
    }

    /** An outcome without calls handed out to the caller. */
    public RunOutcome(String runId, String sessionId, RunStatus status, String finishReason, String text,
            String reasoning, TokenUsage tokenUsage, Double estimatedCost, String provider, String model, int steps,
            RunFailure error) {
        this(runId, sessionId, status, finishReason, text, reasoning, tokenUsage, estimatedCost, provider, model,
                steps, error, List.of());
    }

    /** Why a run failed: the message, a stable code, and whether sending again may help. */
    public record RunFailure(String message, String code, boolean recoverable) {
    }
}

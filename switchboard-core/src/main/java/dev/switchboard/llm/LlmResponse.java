package dev.switchboard.llm;

import dev.switchboard.session.TokenUsage;
import dev.switchboard.session.ToolCall;
import java.util.List;

/**
 * What one model call produced.
 *
 * @param finishReason {@code stop}, {@code tool-calls}, {@code length}, {@code content-filter} or {@code other}
 */
public record LlmResponse(String text, String reasoning, List<ToolCall> toolCalls, TokenUsage usage,
        String finishReason, String provider, String model) {

    public LlmResponse {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? TokenUsage.NONE : usage;
    }
}

package dev.switchboard.session;

import dev.switchboard.content.ContentPart;
import java.time.Instant;
import java.util.List;

/**
 * One stored turn of a conversation.
 *
 * @param toolCalls for an assistant turn, the tools it asked for (empty otherwise)
 * @param toolCallId for a tool result, the call it answers
 * @param toolName for a tool result, the tool that ran
 * @param success for a tool result, whether the tool succeeded
 * @param estimatedCost the price of this turn in US dollars, when the model's price is known
 */
public record Message(
        String id,
        String sessionId,
        String runId,
        Role role,
        List<ContentPart> content,
        String reasoning,
        List<ToolCall> toolCalls,
        String toolCallId,
        String toolName,
        Boolean success,
        TokenUsage tokenUsage,
        String provider,
        String model,
        Double estimatedCost,
        Instant timestamp) {

    public Message {
        content = content == null ? List.of() : List.copyOf(content);
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public static Message user(String id, String sessionId, List<ContentPart> content, Instant at) {
        return new Message(id, sessionId, null, Role.USER, content, null, List.of(), null, null, null,
                null, null, null, null, at);
    }

    public Message withRunId(String newRunId) {
        return new Message(id, sessionId, newRunId, role, content, reasoning, toolCalls, toolCallId, toolName,
                success, tokenUsage, provider, model, estimatedCost, timestamp);
    }
}

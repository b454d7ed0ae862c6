package dev.switchboard.face.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.event.Event;
import dev.switchboard.event.EventPayload;
import dev.switchboard.face.api.Json;
import dev.switchboard.session.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One run's events as a chat completion: {@code chat.completion.chunk}s for a stream, and the answer's text for
 * a whole response. The text of every model call of the run is kept, calls separated by a blank line, so both
 * forms say the same. Server-side tool activity travels in chunks with an empty delta and an extra
 * {@code switchboard} object, which OpenAI clients ignore.
 */
final class CompletionProjection {

    private final String id;
    private final long created;
    private final String model;
    private final Set<String> clientTools;
    private final StringBuilder text = new StringBuilder();
    private boolean newCall;
    private int toolCallIndex;
    private EventPayload.Error error;

    CompletionProjection(String id, long created, String model, Set<String> clientTools) {
        this.id = id;
        this.created = created;
        this.model = model;
        this.clientTools = clientTools;
    }

    String id() {
        return id;
    }

    String model() {
        return model;
    }

    /** The answer's text so far. */
    String text() {
        return text.toString();
    }

    /** The run's failure as its event told it, or null. */
    EventPayload.Error error() {
        return error;
    }

    /** The first chunk of a stream: the assistant's role. */
    ObjectNode roleChunk(String conversationId) {
        ObjectNode chunk = chunk(Json.object().put("role", "assistant").put("content", ""), null);
        chunk.put("conversation_id", conversationId);
        return chunk;
    }

    /** What the event adds to a stream (often nothing); the text is collected either way. */
    List<ObjectNode> chunks(Event event) {
        List<ObjectNode> chunks = new ArrayList<>(1);
        switch (event.payload()) {
            case EventPayload.Thinking ignored -> newCall = !text.isEmpty();
            case EventPayload.Chunk chunk when "text".equals(chunk.chunkType()) -> {
                String delta = newCall ? "\n\n" + chunk.content() : chunk.content();
                newCall = false;
                text.append(delta);
                chunks.add(chunk(Json.object().put("content", delta), null));
            }
            case EventPayload.Chunk chunk -> chunks.add(chunk(Json.object().put("reasoning_content",
                    chunk.content()), null));
            case EventPayload.ToolCallRequested call when clientTools.contains(call.toolName()) -> {
                ObjectNode delta = Json.object();
                ObjectNode toolCall = delta.putArray("tool_calls").addObject()
                        .put("index", toolCallIndex++).put("id", call.callId()).put("type", "function");
                toolCall.putObject("function").put("name", call.toolName()).put("arguments", call.args());
                chunks.add(chunk(delta, null));
            }
            case EventPayload.ToolCallRequested call -> chunks.add(progress(event, "toolName", call.toolName(),
                    "callId", call.callId(), "arguments", call.args()));
            case EventPayload.ToolRunning running -> chunks.add(progress(event, "toolName",
                    running.toolName(), "callId", running.callId()));
            case EventPayload.ToolResult result -> chunks.add(progress(event, "toolName", result.toolName(),
                    "callId", result.callId(), "success", result.success()));
            case EventPayload.ApprovalRequested asked -> chunks.add(progress(event, "approvalId",
                    asked.approvalId(), "toolName", asked.toolName(), "message", asked.message()));
            case EventPayload.Error failed -> error = failed;
            default -> {
                // the other events have no place in a chat completion
            }
        }
        return chunks;
    }

    /** The last chunk of a stream: the finish reason. */
    ObjectNode finishChunk(String runFinishReason, String conversationId) {
        ObjectNode chunk = chunk(Json.object(), finishReason(runFinishReason));
        chunk.put("conversation_id", conversationId);
        return chunk;
    }

    /** The chunk after the last when the client asked for usage: no choices, the usage of the whole run. */
    ObjectNode usageChunk(TokenUsage usage) {
        ObjectNode chunk = Json.object().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
        chunk.putArray("choices");
        chunk.set("usage", usage(usage));
        return chunk;
    }

    /** OpenAI's finish reason for the run's. */
    static String finishReason(String runFinishReason) {
        return switch (runFinishReason == null ? "stop" : runFinishReason) {
            case "length", "max-iterations" -> "length";
            case "tool_calls" -> "tool_calls";
            default -> "stop";
        };
    }

    static ObjectNode usage(TokenUsage usage) {
        TokenUsage counted = usage == null ? TokenUsage.NONE : usage;
        ObjectNode node = Json.object().put("prompt_tokens", counted.inputTokens())
                .put("completion_tokens", counted.outputTokens()).put("total_tokens", counted.totalTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", counted.cachedInputTokens());
        node.putObject("completion_tokens_details").put("reasoning_tokens", counted.reasoningTokens());
        return node;
    }

    /** A chunk that tells of server-side work: {@code fields} are name, value pairs; null values are left out. */
    private ObjectNode progress(Event event, Object... fields) {
        ObjectNode chunk = chunk(Json.object(), null);
        ObjectNode extra = chunk.putObject("switchboard").put("event", event.name());
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i + 1] != null) {
                extra.set((String) fields[i], Json.MAPPER.valueToTree(fields[i + 1]));
            }
        }
        return chunk;
    }

    private ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = Json.object().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
        ArrayNode choices = chunk.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return chunk;
    }
}

package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/** Renders a reply plan as OpenAI Chat Completions JSON or {@code chat.completion.chunk} events. */
final class OpenAiWire {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OpenAiWire() {
    }

    static ObjectNode completion(ReplyPlan plan) {
        ObjectNode message = NODES.objectNode().put("role", "assistant");
        if (plan.hasText()) {
            message.put("content", plan.text());
        } else {
            message.putNull("content");
        }
        if (plan.hasReasoning()) {
            message.put("reasoning_content", plan.reasoning());
        }
        if (!plan.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolCallSpec call : plan.toolCalls()) {
                ObjectNode entry = calls.addObject().put("id", call.id()).put("type", "function");
                entry.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
            }
        }
        ObjectNode root = header(plan, "chat.completion");
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", plan.finishReason());
        root.set("usage", usage(plan));
        return root;
    }

    static void stream(ReplyPlan plan, ReplyChannel channel) throws IOException {
        channel.open("text/event-stream");
        channel.event(null, chunk(plan, NODES.objectNode().put("role", "assistant").put("content", ""), null));
        if (plan.reply().hangs()) {
            channel.hang(ReplyChannel.SSE_KEEP_ALIVE);
        }
        if (plan.hasReasoning()) {
            for (String piece : Chunks.words(plan.reasoning())) {
                channel.event(null, chunk(plan, NODES.objectNode().put("reasoning_content", piece), null));
            }
        }
        if (plan.text() != null) {
            for (String piece : Chunks.words(plan.text())) {
                channel.event(null, chunk(plan, NODES.objectNode().put("content", piece), null));
            }
        }
        List<ToolCallSpec> calls = plan.toolCalls();
        for (int index = 0; index < calls.size(); index++) {
            ToolCallSpec call = calls.get(index);
            ObjectNode opening = NODES.objectNode().put("index", index).put("id", call.id()).put("type", "function");
            opening.putObject("function").put("name", call.name()).put("arguments", "");
            channel.event(null, chunk(plan, toolCallDelta(opening), null));
            for (String piece : Chunks.pieces(call.argumentsJson())) {
                ObjectNode more = NODES.objectNode().put("index", index);
                more.putObject("function").put("arguments", piece);
                channel.event(null, chunk(plan, toolCallDelta(more), null));
            }
        }
        channel.event(null, chunk(plan, NODES.objectNode(), plan.finishReason()));
        ObjectNode usageChunk = header(plan, "chat.completion.chunk");
        usageChunk.putArray("choices");
        usageChunk.set("usage", usage(plan));
        channel.event(null, usageChunk);
        channel.done();
        channel.finish();
    }

    static ObjectNode error(String message, String type) {
        ObjectNode root = NODES.objectNode();
        root.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
        return root;
    }

    static ObjectNode models() {
        ObjectNode root = NODES.objectNode().put("object", "list");
        root.putArray("data").addObject()
                .put("id", ReplyPlan.DEFAULT_MODEL)
                .put("object", "model")
                .put("created", 1_700_000_000L)
                .put("owned_by", "switchboard-testkit");
        return root;
    }

    private static ObjectNode toolCallDelta(ObjectNode call) {
        ObjectNode delta = NODES.objectNode();
        delta.putArray("tool_calls").add(call);
        return delta;
    }

    private static ObjectNode chunk(ReplyPlan plan, ObjectNode delta, String finishReason) {
        ObjectNode root = header(plan, "chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return root;
    }

    private static ObjectNode header(ReplyPlan plan, String object) {
        return NODES.objectNode()
                .put("id", plan.id())
                .put("object", object)
                .put("created", plan.created())
                .put("model", plan.model());
    }

    private static JsonNode usage(ReplyPlan plan) {
        ObjectNode usage = NODES.objectNode()
                .put("prompt_tokens", plan.inputTokens())
                .put("completion_tokens", plan.outputTokens())
                .put("total_tokens", plan.inputTokens() + plan.outputTokens());
        usage.putObject("prompt_tokens_details").put("cached_tokens", plan.cachedTokens());
        usage.putObject("completion_tokens_details").put("reasoning_tokens", plan.reasoningTokens());
        return usage;
    }
}

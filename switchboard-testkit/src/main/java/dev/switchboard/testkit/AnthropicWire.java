package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** Renders a reply plan as an Anthropic Messages {@code message} or its SSE event sequence. */
final class AnthropicWire {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AnthropicWire() {
    }

    static ObjectNode message(ReplyPlan plan, ObjectMapper json) {
        ObjectNode root = messageHeader(plan);
        ArrayNode content = root.putArray("content");
        if (plan.hasReasoning()) {
            content.addObject().put("type", "thinking").put("thinking", plan.reasoning()).put("signature", signature(plan));
        }
        if (plan.hasText()) {
            content.addObject().put("type", "text").put("text", plan.text());
        }
        for (ToolCallSpec call : plan.toolCalls()) {
            ObjectNode block = content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name());
            block.set("input", call.argumentsNode(json));
        }
        root.put("stop_reason", plan.anthropicStopReason());
        root.putNull("stop_sequence");
        root.set("usage", usage(plan, plan.outputTokens()));
        return root;
    }

    static void stream(ReplyPlan plan, ReplyChannel channel) throws IOException {
        channel.open("text/event-stream");
        ObjectNode start = messageHeader(plan);
        start.putArray("content");
        start.putNull("stop_reason");
        start.putNull("stop_sequence");
        start.set("usage", usage(plan, 1));
        channel.event("message_start", typed("message_start").set("message", start));
        channel.event("ping", typed("ping"));
        if (plan.reply().hangs()) {
            channel.hang(ReplyChannel.SSE_KEEP_ALIVE);
        }
        int index = 0;
        if (plan.hasReasoning()) {
            blockStart(channel, index, NODES.objectNode().put("type", "thinking").put("thinking", "").put("signature", ""));
            for (String piece : Chunks.words(plan.reasoning())) {
                blockDelta(channel, index, NODES.objectNode().put("type", "thinking_delta").put("thinking", piece));
            }
            blockDelta(channel, index, NODES.objectNode().put("type", "signature_delta").put("signature", signature(plan)));
            blockStop(channel, index++);
        }
        if (plan.hasText()) {
            blockStart(channel, index, NODES.objectNode().put("type", "text").put("text", ""));
            for (String piece : Chunks.words(plan.text())) {
                blockDelta(channel, index, NODES.objectNode().put("type", "text_delta").put("text", piece));
            }
            blockStop(channel, index++);
        }
        for (ToolCallSpec call : plan.toolCalls()) {
            ObjectNode block = NODES.objectNode().put("type", "tool_use").put("id", call.id()).put("name", call.name());
            block.putObject("input");
            blockStart(channel, index, block);
            // The real API opens every tool_use with an empty partial_json; clients must tolerate it.
            blockDelta(channel, index, NODES.objectNode().put("type", "input_json_delta").put("partial_json", ""));
            for (String piece : Chunks.pieces(call.argumentsJson())) {
                blockDelta(channel, index, NODES.objectNode().put("type", "input_json_delta").put("partial_json", piece));
            }
            blockStop(channel, index++);
        }
        ObjectNode delta = typed("message_delta");
        delta.putObject("delta").put("stop_reason", plan.anthropicStopReason()).putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", plan.outputTokens());
        channel.event("message_delta", delta);
        channel.event("message_stop", typed("message_stop"));
        channel.finish();
    }

    static ObjectNode error(String message, String type) {
        ObjectNode root = typed("error");
        root.putObject("error").put("type", type).put("message", message);
        return root;
    }

    private static void blockStart(ReplyChannel channel, int index, ObjectNode block) throws IOException {
        ObjectNode event = typed("content_block_start").put("index", index);
        event.set("content_block", block);
        channel.event("content_block_start", event);
    }

    private static void blockDelta(ReplyChannel channel, int index, ObjectNode delta) throws IOException {
        ObjectNode event = typed("content_block_delta").put("index", index);
        event.set("delta", delta);
        channel.event("content_block_delta", event);
    }

    private static void blockStop(ReplyChannel channel, int index) throws IOException {
        channel.event("content_block_stop", typed("content_block_stop").put("index", index));
    }

    private static ObjectNode typed(String type) {
        return NODES.objectNode().put("type", type);
    }

    private static ObjectNode messageHeader(ReplyPlan plan) {
        return NODES.objectNode()
                .put("id", plan.id())
                .put("type", "message")
                .put("role", "assistant")
                .put("model", plan.model());
    }

    private static JsonNode usage(ReplyPlan plan, int outputTokens) {
        return NODES.objectNode()
                .put("input_tokens", plan.inputTokens())
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", plan.cachedTokens())
                .put("output_tokens", outputTokens);
    }

    private static String signature(ReplyPlan plan) {
        return "fake-signature-" + plan.id();
    }
}

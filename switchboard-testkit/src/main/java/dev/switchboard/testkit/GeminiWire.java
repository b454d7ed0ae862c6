package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Renders a reply plan as a Gemini {@code GenerateContentResponse} or the SSE chunks of {@code alt=sse} streaming. */
final class GeminiWire {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private GeminiWire() {
    }

    static ObjectNode response(ReplyPlan plan, ObjectMapper json) {
        List<ObjectNode> parts = new ArrayList<>();
        if (plan.hasReasoning()) {
            parts.add(thought(plan.reasoning()));
        }
        if (plan.hasText()) {
            parts.add(NODES.objectNode().put("text", plan.text()));
        }
        parts.addAll(functionCalls(plan, json));
        return chunk(plan, parts, true);
    }

    /** Reasoning and text arrive a word a chunk, each function call whole; the last chunk carries finish and usage. */
    static void stream(ReplyPlan plan, ReplyChannel channel, ObjectMapper json) throws IOException {
        channel.open("text/event-stream");
        if (plan.reply().hangs()) {
            channel.hang(ReplyChannel.SSE_KEEP_ALIVE);
        }
        List<ObjectNode> parts = new ArrayList<>();
        if (plan.hasReasoning()) {
            Chunks.words(plan.reasoning()).forEach(piece -> parts.add(thought(piece)));
        }
        if (plan.hasText()) {
            Chunks.words(plan.text()).forEach(piece -> parts.add(NODES.objectNode().put("text", piece)));
        }
        parts.addAll(functionCalls(plan, json));
        if (parts.isEmpty()) {
            parts.add(NODES.objectNode().put("text", ""));
        }
        for (int i = 0; i < parts.size(); i++) {
            channel.event(null, chunk(plan, List.of(parts.get(i)), i == parts.size() - 1));
        }
        channel.finish();
    }

    static ObjectNode error(int code, String message, String status) {
        ObjectNode root = NODES.objectNode();
        root.putObject("error").put("code", code).put("message", message).put("status", status);
        return root;
    }

    private static ObjectNode chunk(ReplyPlan plan, List<ObjectNode> parts, boolean last) {
        ObjectNode root = NODES.objectNode();
        ObjectNode candidate = root.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        content.putArray("parts").addAll(parts);
        content.put("role", "model");
        if (last) {
            candidate.put("finishReason", plan.geminiFinishReason());
        }
        candidate.put("index", 0);
        root.set("usageMetadata", usage(plan, last));
        root.put("modelVersion", plan.model());
        root.put("responseId", plan.id());
        return root;
    }

    private static ObjectNode thought(String text) {
        return NODES.objectNode().put("text", text).put("thought", true);
    }

    private static List<ObjectNode> functionCalls(ReplyPlan plan, ObjectMapper json) {
        List<ObjectNode> parts = new ArrayList<>();
        for (int i = 0; i < plan.toolCalls().size(); i++) {
            ToolCallSpec call = plan.toolCalls().get(i);
            ObjectNode part = NODES.objectNode();
            ObjectNode functionCall = part.putObject("functionCall");
            // The real API sends no call ids, so only an id the script named goes out.
            if (plan.reply().toolCalls().get(i).id() != null) {
                functionCall.put("id", call.id());
            }
            functionCall.put("name", call.name());
            functionCall.set("args", call.argumentsNode(json));
            // Thinking models sign the first function call so the thought can be sent back with the result.
            if (parts.isEmpty() && plan.hasReasoning()) {
                part.put("thoughtSignature", "fake-signature-" + plan.id());
            }
            parts.add(part);
        }
        return parts;
    }

    /** Until the last chunk only the prompt is counted, as the real API does. */
    private static ObjectNode usage(ReplyPlan plan, boolean last) {
        ObjectNode usage = NODES.objectNode().put("promptTokenCount", plan.inputTokens());
        if (!last) {
            return usage.put("totalTokenCount", plan.inputTokens());
        }
        // The scripted output count includes reasoning; Gemini counts thoughts apart from candidates.
        usage.put("candidatesTokenCount", Math.max(0, plan.outputTokens() - plan.reasoningTokens()));
        if (plan.reasoningTokens() > 0) {
            usage.put("thoughtsTokenCount", plan.reasoningTokens());
        }
        if (plan.cachedTokens() > 0) {
            usage.put("cachedContentTokenCount", plan.cachedTokens());
        }
        return usage.put("totalTokenCount", plan.inputTokens() + plan.outputTokens());
    }
}

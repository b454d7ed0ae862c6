package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;

/** Renders a reply plan as an Ollama {@code /api/chat} response or its newline-delimited JSON stream. */
final class OllamaWire {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OllamaWire() {
    }

    static ObjectNode response(ReplyPlan plan, ObjectMapper json) {
        ObjectNode message = NODES.objectNode().put("role", "assistant").put("content", plan.hasText() ? plan.text() : "");
        if (plan.hasReasoning()) {
            message.put("thinking", plan.reasoning());
        }
        if (!plan.toolCalls().isEmpty()) {
            toolCalls(plan, message, json);
        }
        return done(plan, message);
    }

    /** Reasoning and text arrive a word a line, all tool calls in one line, then a {@code done} line with the counts. */
    static void stream(ReplyPlan plan, ReplyChannel channel, ObjectMapper json) throws IOException {
        channel.open("application/x-ndjson");
        if (plan.reply().hangs()) {
            // A space keeps the connection busy without ending a line, so the client sees no event.
            channel.hang(ReplyChannel.JSON_KEEP_ALIVE);
        }
        if (plan.hasReasoning()) {
            for (String piece : Chunks.words(plan.reasoning())) {
                channel.line(line(plan, message("").put("thinking", piece)));
            }
        }
        if (plan.hasText()) {
            for (String piece : Chunks.words(plan.text())) {
                channel.line(line(plan, message(piece)));
            }
        }
        if (!plan.toolCalls().isEmpty()) {
            ObjectNode message = message("");
            toolCalls(plan, message, json);
            channel.line(line(plan, message));
        }
        channel.line(done(plan, message("")));
        channel.finish();
    }

    static ObjectNode error(String message) {
        return NODES.objectNode().put("error", message);
    }

    private static void toolCalls(ReplyPlan plan, ObjectNode message, ObjectMapper json) {
        ArrayNode calls = message.putArray("tool_calls");
        for (int index = 0; index < plan.toolCalls().size(); index++) {
            ToolCallSpec call = plan.toolCalls().get(index);
            ObjectNode function = calls.addObject().put("id", call.id()).putObject("function");
            function.put("index", index).put("name", call.name());
            function.set("arguments", call.argumentsNode(json));
        }
    }

    private static ObjectNode message(String content) {
        return NODES.objectNode().put("role", "assistant").put("content", content);
    }

    private static ObjectNode line(ReplyPlan plan, ObjectNode message) {
        ObjectNode root = NODES.objectNode()
                .put("model", plan.model())
                .put("created_at", Instant.ofEpochSecond(plan.created()).toString());
        root.set("message", message);
        return root.put("done", false);
    }

    /** Ollama's eval_count includes the thinking; it reports no cached or reasoning counts. */
    private static ObjectNode done(ReplyPlan plan, ObjectNode message) {
        return line(plan, message)
                .put("done", true)
                .put("done_reason", plan.ollamaDoneReason())
                .put("total_duration", 1_000_000L)
                .put("load_duration", 1_000L)
                .put("prompt_eval_count", plan.inputTokens())
                .put("prompt_eval_duration", 100_000L)
                .put("eval_count", plan.outputTokens())
                .put("eval_duration", 500_000L);
    }
}

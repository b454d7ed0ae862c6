package dev.switchboard.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;

/** A reply resolved against one request: ids assigned, model echoed, usage counted, finish reason chosen. */
record ReplyPlan(
        Reply reply,
        String id,
        long created,
        String model,
        String text,
        String reasoning,
        List<ToolCallSpec> toolCalls,
        String finishReason,
        int inputTokens,
        int outputTokens,
        int reasoningTokens,
        int cachedTokens) {

    static final String DEFAULT_MODEL = "fake-model";

    static ReplyPlan of(Reply reply, RecordedRequest request, String id, IntSupplier nextToolNumber) {
        String toolIdPrefix = request.wire() == Wire.ANTHROPIC ? "toolu_" : "call_";
        List<ToolCallSpec> calls = new ArrayList<>(reply.toolCalls().size());
        int argumentChars = 0;
        for (ToolCallSpec call : reply.toolCalls()) {
            String callId = call.id() != null ? call.id() : toolIdPrefix + nextToolNumber.getAsInt();
            calls.add(new ToolCallSpec(callId, call.name(), call.argumentsJson()));
            argumentChars += call.name().length() + call.argumentsJson().length();
        }
        String text = reply.text();
        String reasoning = reply.reasoning();
        int replyChars = length(text) + length(reasoning) + argumentChars;
        int reasoningTokens = reply.reasoningTokens() != null ? reply.reasoningTokens()
                : reasoning == null ? 0 : roughTokens(reasoning.length());
        String model = request.model() != null ? request.model() : DEFAULT_MODEL;
        return new ReplyPlan(
                reply,
                id,
                System.currentTimeMillis() / 1000,
                model,
                text,
                reasoning,
                List.copyOf(calls),
                openAiFinishReason(reply.finishReason(), !calls.isEmpty()),
                reply.inputTokens() != null ? reply.inputTokens() : roughTokens(request.rawBody().length()),
                reply.outputTokens() != null ? reply.outputTokens() : roughTokens(replyChars),
                reasoningTokens,
                reply.cachedTokens());
    }

    String anthropicStopReason() {
        return switch (finishReason) {
            case "stop" -> "end_turn";
            case "tool_calls", "function_call" -> "tool_use";
            case "length" -> "max_tokens";
            case "content_filter" -> "refusal";
            default -> finishReason;
        };
    }

    /** Gemini says STOP for tool calls too. */
    String geminiFinishReason() {
        return switch (finishReason) {
            case "stop", "tool_calls", "function_call" -> "STOP";
            case "length" -> "MAX_TOKENS";
            case "content_filter" -> "SAFETY";
            default -> finishReason.toUpperCase(Locale.ROOT);
        };
    }

    /** Ollama says stop for tool calls too. */
    String ollamaDoneReason() {
        return switch (finishReason) {
            case "tool_calls", "function_call" -> "stop";
            default -> finishReason;
        };
    }

    boolean hasText() {
        return text != null && (!text.isEmpty() || toolCalls.isEmpty());
    }

    boolean hasReasoning() {
        return reasoning != null;
    }

    private static String openAiFinishReason(String scripted, boolean hasToolCalls) {
        if (scripted == null) {
            return hasToolCalls ? "tool_calls" : "stop";
        }
        return switch (scripted) {
            case "end_turn", "stop_sequence" -> "stop";
            case "tool_use" -> "tool_calls";
            case "max_tokens" -> "length";
            case "refusal" -> "content_filter";
            default -> scripted;
        };
    }

    private static int roughTokens(int chars) {
        return Math.max(1, chars / 4);
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }
}

package dev.switchboard.llm.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.googleai.GoogleAiGeminiTokenUsage;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.FinishReason;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.session.TokenUsage;
import dev.switchboard.session.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Translates a LangChain4j chat response into the core's {@link LlmResponse}. */
final class Responses {

    private Responses() {
    }

    static LlmResponse toLlmResponse(LlmSettings settings, ChatResponse response) {
        AiMessage message = response.aiMessage();
        List<ToolCall> calls = new ArrayList<>();
        if (message.hasToolExecutionRequests()) {
            for (ToolExecutionRequest request : message.toolExecutionRequests()) {
                // Ollama and Gemini may omit ids; the core pairs results with calls by id.
                String id = blank(request.id()) ? "call_" + UUID.randomUUID().toString().replace("-", "") : request.id();
                String arguments = blank(request.arguments()) ? "{}" : request.arguments();
                calls.add(new ToolCall(id, request.name(), arguments));
            }
        }
        String model = blank(response.modelName()) ? settings.model() : response.modelName();
        return new LlmResponse(
                message.text() == null ? "" : message.text(),
                blank(message.thinking()) ? null : message.thinking(),
                calls,
                usage(response.tokenUsage()),
                finishReason(response.finishReason(), !calls.isEmpty()),
                settings.provider(),
                model);
    }

    /** Token counts in the core's terms: cached input is part of input, reasoning is part of output. */
    static TokenUsage usage(dev.langchain4j.model.output.TokenUsage usage) {
        if (usage == null) {
            return TokenUsage.NONE;
        }
        long input = count(usage.inputTokenCount());
        long output = count(usage.outputTokenCount());
        long reasoning = 0;
        long cached = 0;
        switch (usage) {
            case OpenAiTokenUsage openAi -> {
                if (openAi.outputTokensDetails() != null) {
                    reasoning = count(openAi.outputTokensDetails().reasoningTokens());
                }
                if (openAi.inputTokensDetails() != null) {
                    cached = count(openAi.inputTokensDetails().cachedTokens());
                }
            }
            case AnthropicTokenUsage anthropic -> {
                // Anthropic's input_tokens leaves out what was read from or written to the prompt cache.
                cached = count(anthropic.cacheReadInputTokens());
                input += cached + count(anthropic.cacheCreationInputTokens());
            }
            case GoogleAiGeminiTokenUsage gemini -> {
                // Gemini's candidate count leaves out the thoughts.
                reasoning = count(gemini.thoughtsTokenCount());
                output += reasoning;
                cached = count(gemini.cachedContentTokenCount());
            }
            default -> {
            }
        }
        return new TokenUsage(input, output, reasoning, cached);
    }

    static String finishReason(FinishReason reason, boolean hasToolCalls) {
        if (hasToolCalls && (reason == null || reason == FinishReason.STOP || reason == FinishReason.TOOL_EXECUTION)) {
            // Some compatible servers say "stop" even when they asked for tools.
            return "tool-calls";
        }
        if (reason == null) {
            return "stop";
        }
        return switch (reason) {
            case STOP -> "stop";
            case TOOL_EXECUTION -> "tool-calls";
            case LENGTH -> "length";
            case CONTENT_FILTER -> "content-filter";
            case OTHER -> "other";
        };
    }

    private static long count(Integer value) {
        return value == null ? 0 : value;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

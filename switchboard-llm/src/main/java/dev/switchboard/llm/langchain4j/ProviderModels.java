package dev.switchboard.llm.langchain4j;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.googleai.GeminiThinkingConfig;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.switchboard.llm.LlmException;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.llm.Providers;
import java.util.Locale;

/**
 * Builds the LangChain4j streaming model for one call's settings. Models are built per call because each is
 * bound to that call's closeable HTTP client; building one only fills in a few fields.
 */
final class ProviderModels {

    static final String OPENAI_URL = "https://api.openai.com/v1";
    static final String OLLAMA_URL = "http://localhost:11434";

    // Anthropic requires max_tokens; without a configured limit this leaves room for long tool arguments.
    private static final int ANTHROPIC_DEFAULT_MAX_TOKENS = 8192;
    // Servers that need no key (llama.cpp, vLLM, Ollama /v1) still get an Authorization header they ignore.
    private static final String PLACEHOLDER_KEY = "not-needed";

    private ProviderModels() {
    }

    /** Fails fast, before any network, on settings that can never work. */
    static void validate(LlmSettings settings) {
        String provider = settings.provider();
        if (provider == null || !Providers.KNOWN.contains(provider)) {
            throw new LlmException("unknown LLM provider '" + provider + "'; use one of " + Providers.KNOWN,
                    false, 0, null);
        }
        if (settings.model() == null || settings.model().isBlank()) {
            throw new LlmException("no model configured for provider " + provider, false, 0, null);
        }
        if (blank(settings.apiKey())) {
            String variable = switch (provider) {
                case Providers.OPENAI -> "OPENAI_API_KEY";
                case Providers.ANTHROPIC -> "ANTHROPIC_API_KEY";
                case Providers.GOOGLE -> "GOOGLE_API_KEY (or GEMINI_API_KEY)";
                default -> null;
            };
            if (variable != null) {
                throw new LlmException("no API key for " + provider + ": set " + variable
                        + " or the agent's llm.apiKey", false, 0, null);
            }
        }
        if (provider.equals(Providers.OPENAI_COMPATIBLE) && blank(settings.baseUrl())) {
            throw new LlmException("provider openai-compatible needs a baseUrl (for example http://localhost:8000/v1)",
                    false, 0, null);
        }
    }

    /** The URL the call goes to, for error messages. */
    static String baseUrl(LlmSettings settings) {
        if (!blank(settings.baseUrl())) {
            return settings.baseUrl();
        }
        return switch (settings.provider()) {
            case Providers.OPENAI -> OPENAI_URL;
            case Providers.ANTHROPIC -> "https://api.anthropic.com/v1";
            case Providers.GOOGLE -> "https://generativelanguage.googleapis.com/v1beta";
            case Providers.OLLAMA -> OLLAMA_URL;
            default -> "(no baseUrl)";
        };
    }

    /**
     * @param thinking whether Anthropic may think on this call; false when the conversation cannot carry the
     *     signed thinking it would demand back
     */
    static StreamingChatModel build(LlmSettings settings, HttpClientBuilder http, boolean thinking) {
        return switch (settings.provider()) {
            case Providers.OPENAI, Providers.OPENAI_COMPATIBLE -> openAi(settings, http);
            case Providers.ANTHROPIC -> anthropic(settings, http, thinking);
            case Providers.GOOGLE -> gemini(settings, http);
            case Providers.OLLAMA -> ollama(settings, http);
            default -> throw new IllegalStateException("unvalidated provider " + settings.provider());
        };
    }

    private static StreamingChatModel openAi(LlmSettings settings, HttpClientBuilder http) {
        boolean official = settings.provider().equals(Providers.OPENAI);
        OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder builder = OpenAiStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(blank(settings.baseUrl()) ? OPENAI_URL : settings.baseUrl())
                .apiKey(blank(settings.apiKey()) ? PLACEHOLDER_KEY : settings.apiKey())
                .modelName(settings.model())
                .temperature(settings.temperature())
                // DeepSeek, vLLM, llama.cpp and OpenRouter stream reasoning as reasoning_content / reasoning.
                .returnThinking(true)
                // DeepSeek and Qwen repeat the whole tool call id in every chunk; OpenAI sends it once.
                .accumulateToolCallId(false);
        if (settings.maxOutputTokens() != null) {
            // OpenAI's reasoning models refuse max_tokens; many compatible servers only know max_tokens.
            if (official) {
                builder.maxCompletionTokens(settings.maxOutputTokens());
            } else {
                builder.maxTokens(settings.maxOutputTokens());
            }
        }
        String effort = effort(settings);
        if (effort != null) {
            builder.reasoningEffort(effort);
        }
        return builder.build();
    }

    private static StreamingChatModel anthropic(LlmSettings settings, HttpClientBuilder http, boolean thinking) {
        Integer budget = thinking ? anthropicThinkingBudget(effort(settings)) : null;
        int maxTokens = settings.maxOutputTokens() != null ? settings.maxOutputTokens() : ANTHROPIC_DEFAULT_MAX_TOKENS;
        AnthropicStreamingChatModel.AnthropicStreamingChatModelBuilder builder = AnthropicStreamingChatModel.builder()
                .httpClientBuilder(http)
                .apiKey(settings.apiKey())
                .modelName(settings.model())
                .returnThinking(true);
        if (!blank(settings.baseUrl())) {
            builder.baseUrl(settings.baseUrl());
        }
        if (budget != null) {
            // Anthropic counts thinking inside max_tokens and wants temperature left at its default.
            builder.thinkingType("enabled")
                    .thinkingBudgetTokens(budget)
                    .maxTokens(Math.max(maxTokens, budget + 1024));
        } else {
            builder.maxTokens(maxTokens).temperature(settings.temperature());
        }
        return builder.build();
    }

    private static StreamingChatModel gemini(LlmSettings settings, HttpClientBuilder http) {
        GoogleAiGeminiStreamingChatModel.GoogleAiGeminiStreamingChatModelBuilder builder =
                GoogleAiGeminiStreamingChatModel.builder()
                        .httpClientBuilder(http)
                        .apiKey(settings.apiKey())
                        .modelName(settings.model())
                        .temperature(settings.temperature())
                        .maxOutputTokens(settings.maxOutputTokens())
                        // Thoughts and their signatures must come back separately from the answer.
                        .returnThinking(true)
                        .sendThinking(true);
        if (!blank(settings.baseUrl())) {
            builder.baseUrl(settings.baseUrl());
        }
        String effort = effort(settings);
        if (effort != null) {
            builder.thinkingConfig(GeminiThinkingConfig.builder()
                    .includeThoughts(true)
                    .thinkingBudget(geminiThinkingBudget(effort))
                    .build());
        }
        return builder.build();
    }

    private static StreamingChatModel ollama(LlmSettings settings, HttpClientBuilder http) {
        OllamaStreamingChatModel.OllamaStreamingChatModelBuilder builder = OllamaStreamingChatModel.builder()
                .httpClientBuilder(http)
                .baseUrl(blank(settings.baseUrl()) ? OLLAMA_URL : settings.baseUrl())
                .modelName(settings.model())
                .temperature(settings.temperature())
                .numPredict(settings.maxOutputTokens())
                .returnThinking(true);
        if (settings.reasoningEffort() != null) {
            builder.think(effort(settings) != null);
        }
        return builder.build();
    }

    /** The configured reasoning effort, or null when reasoning is off or left to the provider. */
    static String effort(LlmSettings settings) {
        String effort = settings.reasoningEffort();
        if (blank(effort)) {
            return null;
        }
        effort = effort.trim().toLowerCase(Locale.ROOT);
        return effort.equals("none") ? null : effort;
    }

    private static Integer anthropicThinkingBudget(String effort) {
        if (effort == null) {
            return null;
        }
        return switch (effort) {
            case "minimal" -> 1024;
            case "low" -> 2048;
            case "medium" -> 8192;
            case "high" -> 16384;
            case "xhigh" -> 32768;
            default -> 8192;
        };
    }

    private static int geminiThinkingBudget(String effort) {
        return switch (effort) {
            case "minimal" -> 512;
            case "low" -> 1024;
            case "medium" -> 8192;
            case "high" -> 16384;
            case "xhigh" -> 24576;
            default -> -1;
        };
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

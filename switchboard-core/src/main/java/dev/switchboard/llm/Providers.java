package dev.switchboard.llm;

import java.util.List;
import java.util.Map;

/** The LLM providers Switchboard can call, and the ones whose keys it can keep for clients (seed 004's list). */
public final class Providers {

    public static final String OPENAI = "openai";
    public static final String OPENAI_COMPATIBLE = "openai-compatible";
    public static final String ANTHROPIC = "anthropic";
    public static final String GOOGLE = "google";
    public static final String OLLAMA = "ollama";
    /** GGUF models run inside the server by llama.cpp; the model is a file under the home's {@code models/}. */
    public static final String LOCAL = "local";

    public static final List<String> KNOWN = List.of(OPENAI, OPENAI_COMPATIBLE, ANTHROPIC, GOOGLE, OLLAMA,
            LOCAL);

    /**
     * Every provider an API key can be stored for, each with the environment variable that holds its key when the
     * vault does not; the first five are the ones agents can use today.
     */
    public static final Map<String, String> KEY_VARIABLES = orderedMap(
            OPENAI, "OPENAI_API_KEY",
            // Switchboard's openai-compatible agents read the OpenAI variable (see the agent file docs)
            OPENAI_COMPATIBLE, "OPENAI_API_KEY",
            ANTHROPIC, "ANTHROPIC_API_KEY",
            GOOGLE, "GOOGLE_API_KEY",
            OLLAMA, "OLLAMA_API_KEY",
            "groq", "GROQ_API_KEY",
            "xai", "XAI_API_KEY",
            "cohere", "COHERE_API_KEY",
            "minimax", "MINIMAX_API_KEY",
            "glm", "ZHIPU_API_KEY",
            "openrouter", "OPENROUTER_API_KEY",
            "litellm", "LITELLM_API_KEY",
            "glama", "GLAMA_API_KEY",
            "vertex", "VERTEX_API_KEY",
            "bedrock", "AWS_BEARER_TOKEN_BEDROCK",
            LOCAL, "LOCAL_API_KEY",
            "dexto", "DEXTO_API_KEY");

    /** Providers that refuse calls without a key. */
    public static final List<String> NEED_KEY = List.of(OPENAI, ANTHROPIC, GOOGLE);

    private Providers() {
    }

    /** The name of the operator's vault entry that holds the provider's key. */
    public static String keyEntryName(String provider) {
        return "llm." + provider;
    }

    private static Map<String, String> orderedMap(String... pairs) {
        java.util.LinkedHashMap<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}

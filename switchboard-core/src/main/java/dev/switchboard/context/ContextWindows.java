package dev.switchboard.context;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The input windows of well-known models, by model name prefix, for agents that do not state their own. */
public final class ContextWindows {

    /** Longest prefix first, so {@code gpt-4o} wins over {@code gpt-4}. */
    private static final List<Map.Entry<String, Integer>> KNOWN = List.of(
            Map.entry("gpt-4.1", 1_047_576),
            Map.entry("gpt-4o", 128_000),
            Map.entry("gpt-4-turbo", 128_000),
            Map.entry("gpt-5", 400_000),
            Map.entry("gpt-4", 8_192),
            Map.entry("gpt-3.5", 16_385),
            Map.entry("o1", 200_000),
            Map.entry("o3", 200_000),
            Map.entry("o4", 200_000),
            Map.entry("claude", 200_000),
            Map.entry("gemini-1.5", 1_048_576),
            Map.entry("gemini-2", 1_048_576),
            Map.entry("gemini", 1_048_576),
            Map.entry("llama3", 8_192),
            Map.entry("llama-3", 8_192),
            Map.entry("mistral", 32_000),
            Map.entry("qwen", 32_000));

    private ContextWindows() {
    }

    /**
     * The window to plan for: the agent's own {@code maxInputTokens} when set, else the table's entry for the
     * model, else {@code fallback}.
     */
    public static int of(String model, Integer configured, int fallback) {
        if (configured != null && configured > 0) {
            return configured;
        }
        if (model != null) {
            String name = model.toLowerCase(Locale.ROOT);
            int slash = name.lastIndexOf('/');
            String bare = slash >= 0 ? name.substring(slash + 1) : name;
            for (Map.Entry<String, Integer> entry : KNOWN) {
                if (bare.startsWith(entry.getKey())) {
                    return entry.getValue();
                }
            }
        }
        return fallback;
    }
}

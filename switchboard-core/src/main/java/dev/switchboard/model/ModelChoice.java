package dev.switchboard.model;

import java.time.Instant;

/**
 * A model an agent or one session was switched to ({@code /api/llm/switch}); fields left null keep the agent's own.
 *
 * @param apiKey null or a reference ({@code $VAULT:name}, {@code $ENV_VAR}), never a key
 */
public record ModelChoice(String provider, String model, String baseUrl, String apiKey, Integer maxIterations,
        Integer maxInputTokens, Integer maxOutputTokens, Double temperature, String reasoningEffort,
        Instant updatedAt) {
}

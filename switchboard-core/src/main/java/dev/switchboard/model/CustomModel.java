package dev.switchboard.model;

import java.time.Instant;

/**
 * A model the catalog does not list, saved by an administrator ({@code /api/llm/custom-models}) so that agents and
 * sessions can be switched to it.
 *
 * @param apiKey null or a reference ({@code $VAULT:name}, {@code $ENV_VAR}), never a key
 */
public record CustomModel(String name, String provider, String baseUrl, String displayName, Integer maxInputTokens,
        Integer maxOutputTokens, String apiKey, String filePath, String reasoningEffort, Instant createdAt) {
}

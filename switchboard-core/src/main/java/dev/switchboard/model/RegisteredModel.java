package dev.switchboard.model;

import java.time.Instant;

/**
 * A named model binding of the registry ({@code /api/models}): what topic routes point at as primary or backup.
 *
 * @param apiKey null or a reference ({@code $VAULT:name}, {@code $ENV_VAR}), never a key
 */
public record RegisteredModel(String name, String provider, String model, String baseUrl, String apiKey,
        Integer maxOutputTokens, Double temperature, Instant createdAt, Instant updatedAt) {
}

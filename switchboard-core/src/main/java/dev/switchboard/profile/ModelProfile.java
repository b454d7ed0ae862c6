package dev.switchboard.profile;

import java.time.Instant;

/**
 * A named provider and model (with optional endpoint and sampling settings) that the default agent can be switched
 * to. A profile never holds a key: {@code apiKey} is null (the key comes from the agent file, the vault's provider
 * key or the environment, as for the agent itself) or a reference, {@code $VAULT:name} or {@code $ENV_VAR}.
 *
 * @param baseUrl the provider's API root, or null for the provider's default
 * @param maxTokens the most output tokens one model call may produce, or null for the agent's setting
 */
public record ModelProfile(
        String id,
        String name,
        String provider,
        String model,
        String baseUrl,
        String apiKey,
        Double temperature,
        Integer maxTokens,
        Instant createdAt,
        Instant updatedAt) {
}

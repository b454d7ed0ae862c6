package dev.switchboard.llm;

/**
 * How an agent talks to its model, as configured: {@code $ENV} references already resolved; an {@code apiKey} of
 * {@code $VAULT:name} is read from the vault for each call (see {@link dev.switchboard.vault.SecretReferences}).
 *
 * @param provider one of {@link Providers#KNOWN}
 * @param baseUrl the provider's API root, or null for the provider's default
 * @param timeoutSeconds the limit for one model call, from request to last byte
 */
public record LlmSettings(
        String provider,
        String model,
        String apiKey,
        String baseUrl,
        int maxIterations,
        Integer maxInputTokens,
        Integer maxOutputTokens,
        Double temperature,
        String reasoningEffort,
        int timeoutSeconds,
        int maxRetries) {

    /** The same settings with another API key, such as one just read from the vault. */
    public LlmSettings withApiKey(String key) {
        return new LlmSettings(provider, model, key, baseUrl, maxIterations, maxInputTokens, maxOutputTokens,
                temperature, reasoningEffort, timeoutSeconds, maxRetries);
    }

    /** A copy for display and logs, with the key hidden. */
    @Override
    public String toString() {
        return "LlmSettings[provider=" + provider + ", model=" + model + ", baseUrl=" + baseUrl
                + ", apiKey=" + (apiKey == null ? "none" : "***") + "]";
    }
}

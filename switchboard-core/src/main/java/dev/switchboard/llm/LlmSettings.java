package dev.switchboard.llm;

/**
 * How an agent talks to its model, as configured (secrets already resolved from {@code $ENV} references).
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

    /** A copy for display and logs, with the key hidden. */
    @Override
    public String toString() {
        return "LlmSettings[provider=" + provider + ", model=" + model + ", baseUrl=" + baseUrl
                + ", apiKey=" + (apiKey == null ? "none" : "***") + "]";
    }
}

package dev.switchboard.session;

/** Tokens spent by one or more model calls. Reasoning and cached tokens are parts of output and input. */
public record TokenUsage(long inputTokens, long outputTokens, long reasoningTokens, long cachedInputTokens) {

    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0);

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    public TokenUsage plus(TokenUsage other) {
        if (other == null) {
            return this;
        }
        return new TokenUsage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                reasoningTokens + other.reasoningTokens, cachedInputTokens + other.cachedInputTokens);
    }
}

package dev.switchboard.context;

/**
 * An agent's own {@code context:} settings, each replacing the server's where given (null: the server's).
 * Each value is checked alone as it is read; whether they fit together is checked against the server's settings
 * by {@link #applyTo}.
 */
public record ContextOverrides(Integer systemBudgetTokens, Double compactAt, Double keepRecentShare,
        Integer toolOutputKeepTurns, Integer toolOutputMaxChars, Integer defaultWindow) {

    public ContextOverrides {
        // checked against the defaults now, so that a file with a value that can never work is refused when read
        applyTo(ContextSettings.defaults(), systemBudgetTokens, compactAt, keepRecentShare, toolOutputKeepTurns,
                toolOutputMaxChars, defaultWindow, true);
    }

    /**
     * The server's settings with these in place. A combination that does not hold with the server's values (a
     * {@code keepRecentShare} above the server's {@code compactAt}) is refused with the reason.
     */
    public ContextSettings applyTo(ContextSettings server) {
        return applyTo(server, systemBudgetTokens, compactAt, keepRecentShare, toolOutputKeepTurns,
                toolOutputMaxChars, defaultWindow, false);
    }

    private static ContextSettings applyTo(ContextSettings s, Integer budget, Double compactAt, Double keepRecent,
            Integer keepTurns, Integer maxChars, Integer window, boolean aloneOnly) {
        if (aloneOnly) {
            // alone: a share between 0 and 1; how it relates to the other share depends on the server's settings
            if (compactAt != null && !(compactAt > 0 && compactAt <= 1)) {
                throw new IllegalArgumentException("context.compactAt must be above 0 and at most 1");
            }
            if (keepRecent != null && !(keepRecent > 0 && keepRecent < 1)) {
                throw new IllegalArgumentException("context.keepRecentShare must be above 0 and below 1");
            }
            if (compactAt != null && keepRecent != null && keepRecent >= compactAt) {
                throw new IllegalArgumentException("context.keepRecentShare must be below compactAt");
            }
            return new ContextSettings(budget == null ? s.systemBudgetTokens() : budget, 0.8, 0.4,
                    keepTurns == null ? s.toolOutputKeepTurns() : keepTurns,
                    maxChars == null ? s.toolOutputMaxChars() : maxChars,
                    window == null ? s.defaultWindow() : window);
        }
        return new ContextSettings(budget == null ? s.systemBudgetTokens() : budget,
                compactAt == null ? s.compactAt() : compactAt,
                keepRecent == null ? s.keepRecentShare() : keepRecent,
                keepTurns == null ? s.toolOutputKeepTurns() : keepTurns,
                maxChars == null ? s.toolOutputMaxChars() : maxChars,
                window == null ? s.defaultWindow() : window);
    }
}

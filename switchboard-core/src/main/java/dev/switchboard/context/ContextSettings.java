package dev.switchboard.context;

/**
 * How a run's context is kept in shape: the budget of contributed system-prompt sections and the management of the
 * model's window.
 *
 * @param systemBudgetTokens the most tokens that contributed sections (date, memories, profile, ...) may add to the
 *     system prompt; the agent's own prompt is never cut
 * @param compactAt the share of the model's window (0..1) past which older turns are summarized
 * @param keepRecentShare the share of the window kept verbatim, newest turns first, when compacting
 * @param toolOutputKeepTurns tool results of the last this many user turns are always sent whole
 * @param toolOutputMaxChars older tool results longer than this are replaced by a short placeholder in the request
 * @param defaultWindow the window assumed for a model that neither the agent ({@code llm.maxInputTokens}) nor the
 *     built-in table knows
 */
public record ContextSettings(int systemBudgetTokens, double compactAt, double keepRecentShare,
        int toolOutputKeepTurns, int toolOutputMaxChars, int defaultWindow) {

    public ContextSettings {
        if (systemBudgetTokens < 0) {
            throw new IllegalArgumentException("context.systemBudgetTokens must not be negative");
        }
        if (!(compactAt > 0 && compactAt <= 1)) {
            throw new IllegalArgumentException("context.compactAt must be above 0 and at most 1");
        }
        if (!(keepRecentShare > 0 && keepRecentShare < compactAt)) {
            throw new IllegalArgumentException("context.keepRecentShare must be above 0 and below compactAt");
        }
        if (toolOutputKeepTurns < 0 || toolOutputMaxChars < 0) {
            throw new IllegalArgumentException("context.toolOutputKeepTurns and toolOutputMaxChars must not be "
                    + "negative");
        }
        if (defaultWindow < 1000) {
            throw new IllegalArgumentException("context.defaultWindow must be at least 1000 tokens");
        }
    }

    /** The defaults: 2000 tokens of sections, compaction at 80% of the window keeping the newest 40%. */
    public static ContextSettings defaults() {
        return new ContextSettings(2000, 0.8, 0.4, 3, 2000, 32_000);
    }
}

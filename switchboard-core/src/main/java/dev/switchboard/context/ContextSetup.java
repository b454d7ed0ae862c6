package dev.switchboard.context;

import java.util.List;

/**
 * What the run engine needs to build each request's context: the contributors of system-prompt sections, the
 * settings, a token counter, and where compaction summaries are kept ({@code null}: no window management).
 */
public record ContextSetup(List<ContextContributor> contributors, ContextSettings settings, TokenCounter counter,
        ContextSummaryStore summaries) {

    public ContextSetup {
        contributors = List.copyOf(contributors);
    }

    /** The agent's own prompt only, history sent whole: for tests of other parts of the run. */
    public static ContextSetup none() {
        return new ContextSetup(List.of(), ContextSettings.defaults(), TokenCounter.ESTIMATE, null);
    }
}

package dev.switchboard.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContextAssemblyTest {

    static final ContextRequest REQUEST = new ContextRequest("alice", "s1", "default", "hello",
            Instant.parse("2025-03-04T05:06:07Z"));

    static ContextContributor fixed(String title, String text, int priority) {
        return request -> Optional.of(new ContextSection(title, text, priority));
    }

    @Test
    void keepsTheHighestPrioritiesThatFitTheBudgetAndDropsTheRest() {
        ContextContributor small = fixed("Small", "x".repeat(40), 10);
        ContextContributor big = fixed("Big", "y".repeat(400), 50);
        ContextContributor top = fixed("Top", "z".repeat(40), 90);
        // with their headings the small sections cost 12 and 13 tokens, the big one 102
        ContextAssembly assembly = new ContextAssembly(List.of(small, big, top), TokenCounter.ESTIMATE, 40);

        List<ContextSection> kept = assembly.sections(REQUEST, "m");

        assertThat(kept).extracting(ContextSection::title).containsExactly("Top", "Small");
        String prompt = assembly.systemPrompt("You are helpful.", REQUEST, "m");
        assertThat(prompt).startsWith("You are helpful.\n\n## Top\n").contains("## Small\n").doesNotContain("yyy");
    }

    @Test
    void aLargerBudgetKeepsEverySectionInPriorityOrder() {
        ContextAssembly assembly = new ContextAssembly(List.of(fixed("Low", "a", 1), fixed("High", "b", 2)),
                TokenCounter.ESTIMATE, 1000);

        assertThat(assembly.systemPrompt("", REQUEST, "m")).isEqualTo("## High\nb\n\n## Low\na");
    }

    @Test
    void theAgentsOwnPromptIsNeverCutAndABrokenOrSilentContributorIsSkipped() {
        ContextContributor broken = request -> {
            throw new IllegalStateException("index unavailable");
        };
        ContextContributor silent = request -> Optional.empty();
        ContextAssembly assembly = new ContextAssembly(List.of(broken, silent, new DateContributor()),
                TokenCounter.ESTIMATE, 0);

        assertThat(assembly.systemPrompt("Static " + "w".repeat(5000), REQUEST, "m"))
                .isEqualTo("Static " + "w".repeat(5000));
        ContextAssembly withBudget = new ContextAssembly(List.of(broken, silent, new DateContributor()),
                TokenCounter.ESTIMATE, 100);
        assertThat(withBudget.systemPrompt("Static", REQUEST, "m"))
                .isEqualTo("Static\n\n## Current date\nTuesday, 4 March 2025, 05:06 UTC");
    }

    @Test
    void contributorsSeeTheRequest() {
        ContextContributor echo = request -> Optional.of(new ContextSection("Echo",
                request.ownerId() + "/" + request.sessionId() + "/" + request.userMessage(), 1));

        assertThat(new ContextAssembly(List.of(echo), TokenCounter.ESTIMATE, 100).systemPrompt(null, REQUEST, "m"))
                .isEqualTo("## Echo\nalice/s1/hello");
    }

    @Test
    void windowsComeFromTheAgentThenTheTableThenTheDefault() {
        assertThat(ContextWindows.of("gpt-4o-mini", 5000, 32_000)).isEqualTo(5000);
        assertThat(ContextWindows.of("gpt-4o-mini", null, 32_000)).isEqualTo(128_000);
        assertThat(ContextWindows.of("anthropic/claude-sonnet-4", null, 32_000)).isEqualTo(200_000);
        assertThat(ContextWindows.of("my-local-model", null, 32_000)).isEqualTo(32_000);
    }
}

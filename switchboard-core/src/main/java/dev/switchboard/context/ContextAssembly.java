package dev.switchboard.context;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a run's system prompt: the agent's own text first (never cut), then the contributors' sections, highest
 * priority first, as many as fit the token budget.
 */
public final class ContextAssembly {

    private static final Logger LOG = LoggerFactory.getLogger(ContextAssembly.class);

    private final List<ContextContributor> contributors;
    private final TokenCounter counter;
    private final int budgetTokens;

    public ContextAssembly(List<ContextContributor> contributors, TokenCounter counter, int budgetTokens) {
        this.contributors = List.copyOf(contributors);
        this.counter = counter;
        this.budgetTokens = budgetTokens;
    }

    /** The sections kept for this request, in the order they appear in the prompt. */
    public List<ContextSection> sections(ContextRequest request, String model) {
        return sections(request, model, budgetTokens);
    }

    /** The same within another budget, such as an agent's own. */
    public List<ContextSection> sections(ContextRequest request, String model, int budgetTokens) {
        List<ContextSection> offered = new ArrayList<>();
        for (ContextContributor contributor : contributors) {
            try {
                Optional<ContextSection> section = contributor.contribute(request);
                section.filter(s -> s.text() != null && !s.text().isBlank()).ifPresent(offered::add);
            } catch (RuntimeException e) {
                // one broken source of context (a search index, a file) must not stop the conversation
                LOG.warn("Context contributor {} failed for session {}: {}", contributor.getClass().getSimpleName(),
                        request.sessionId(), e.toString());
            }
        }
        // stable: equal priorities keep the contributors' registration order
        offered.sort(Comparator.comparingInt(ContextSection::priority).reversed());
        int bound = 0;
        for (ContextSection section : offered) {
            bound += TokenCounter.UTF8_BOUND.count(model, render(section));
        }
        if (bound <= budgetTokens) {
            // everything fits even counted as bytes: no tokenizer needed to decide
            return offered;
        }
        List<ContextSection> kept = new ArrayList<>();
        int left = budgetTokens;
        for (ContextSection section : offered) {
            int cost = counter.count(model, render(section));
            if (cost <= left) {
                kept.add(section);
                left -= cost;
            } else {
                LOG.debug("Context section '{}' ({} tokens) left out of session {}: {} tokens of budget left",
                        section.title(), cost, request.sessionId(), left);
            }
        }
        return kept;
    }

    /** The whole system prompt: {@code staticText} (may be blank) followed by the kept sections. */
    public String systemPrompt(String staticText, ContextRequest request, String model) {
        return systemPrompt(staticText, request, model, budgetTokens);
    }

    /** The same within another budget, such as an agent's own. */
    public String systemPrompt(String staticText, ContextRequest request, String model, int budgetTokens) {
        StringBuilder prompt = new StringBuilder(staticText == null ? "" : staticText.strip());
        for (ContextSection section : sections(request, model, budgetTokens)) {
            if (!prompt.isEmpty()) {
                prompt.append("\n\n");
            }
            prompt.append(render(section));
        }
        return prompt.toString();
    }

    static String render(ContextSection section) {
        return "## " + section.title() + "\n" + section.text().strip();
    }
}

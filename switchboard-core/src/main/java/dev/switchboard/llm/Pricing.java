package dev.switchboard.llm;

import dev.switchboard.model.ModelCatalog;
import dev.switchboard.session.TokenUsage;
import java.util.Optional;

/** Known prices per million tokens, from the bundled {@link ModelCatalog}, to estimate what a call cost. */
public final class Pricing {

    /** Prices in US dollars per million tokens. */
    public record Price(double inputPerM, double outputPerM, double cacheReadPerM, double cacheWritePerM) {
    }

    private Pricing() {
    }

    /** The price of a model, matching dated variants ({@code gpt-4o-2024-08-06}) to their family. */
    public static Optional<Price> of(String model) {
        return ModelCatalog.bundled().match(model).map(m -> m.price());
    }

    /** The estimated cost of the usage in US dollars, or null when the model's price is unknown. */
    public static Double estimate(String model, TokenUsage usage) {
        return of(model).map(p -> {
            long cached = Math.min(usage.cachedInputTokens(), usage.inputTokens());
            double cost = (usage.inputTokens() - cached) * p.inputPerM()
                    + cached * p.cacheReadPerM()
                    + usage.outputTokens() * p.outputPerM();
            return cost / 1_000_000d;
        }).orElse(null);
    }
}

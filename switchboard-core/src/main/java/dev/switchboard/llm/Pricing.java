package dev.switchboard.llm;

import dev.switchboard.session.TokenUsage;
import java.util.Map;
import java.util.Optional;

/** Known prices per million tokens, to estimate what a call cost. */
public final class Pricing {

    /** Prices in US dollars per million tokens. */
    public record Price(double inputPerM, double outputPerM, double cacheReadPerM) {
    }

    // Public list prices; models missing here get no estimate rather than a wrong one.
    private static final Map<String, Price> PRICES = Map.ofEntries(
            Map.entry("gpt-4o", new Price(2.50, 10.00, 1.25)),
            Map.entry("gpt-4o-mini", new Price(0.15, 0.60, 0.075)),
            Map.entry("gpt-4.1", new Price(2.00, 8.00, 0.50)),
            Map.entry("gpt-4.1-mini", new Price(0.40, 1.60, 0.10)),
            Map.entry("gpt-4.1-nano", new Price(0.10, 0.40, 0.025)),
            Map.entry("gpt-5", new Price(1.25, 10.00, 0.125)),
            Map.entry("gpt-5-mini", new Price(0.25, 2.00, 0.025)),
            Map.entry("gpt-5-nano", new Price(0.05, 0.40, 0.005)),
            Map.entry("o3", new Price(2.00, 8.00, 0.50)),
            Map.entry("o4-mini", new Price(1.10, 4.40, 0.275)),
            Map.entry("claude-opus-4-1", new Price(15.00, 75.00, 1.50)),
            Map.entry("claude-sonnet-4-5", new Price(3.00, 15.00, 0.30)),
            Map.entry("claude-sonnet-4-0", new Price(3.00, 15.00, 0.30)),
            Map.entry("claude-haiku-4-5", new Price(1.00, 5.00, 0.10)),
            Map.entry("claude-3-5-haiku-latest", new Price(0.80, 4.00, 0.08)),
            Map.entry("gemini-2.5-pro", new Price(1.25, 10.00, 0.31)),
            Map.entry("gemini-2.5-flash", new Price(0.30, 2.50, 0.075)),
            Map.entry("gemini-2.5-flash-lite", new Price(0.10, 0.40, 0.025)));

    private Pricing() {
    }

    /** The price of a model, matching dated variants ({@code gpt-4o-2024-08-06}) to their family. */
    public static Optional<Price> of(String model) {
        if (model == null) {
            return Optional.empty();
        }
        String name = model.contains("/") ? model.substring(model.lastIndexOf('/') + 1) : model;
        Price exact = PRICES.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        String best = null;
        for (String known : PRICES.keySet()) {
            if (name.startsWith(known + "-") && (best == null || known.length() > best.length())) {
                best = known;
            }
        }
        return Optional.ofNullable(best).map(PRICES::get);
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

package dev.switchboard.context;

/** Counts how many tokens a text costs a model, to keep prompts within budgets and windows. */
@FunctionalInterface
public interface TokenCounter {

    /** The number of tokens {@code text} takes for {@code model} (null text counts nothing). */
    int count(String model, String text);

    /**
     * A tokenizer-free estimate for when none is known: one token per four characters, rounded up, which is close for
     * English prose on current models and errs high for code.
     */
    TokenCounter ESTIMATE = (model, text) -> text == null ? 0 : (text.length() + 3) / 4;
}

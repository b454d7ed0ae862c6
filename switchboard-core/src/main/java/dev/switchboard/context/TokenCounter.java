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

    /**
     * An upper bound needing no tokenizer: the text's UTF-8 length, since every token of a byte-level BPE stands for
     * at least one byte. When the bound already fits a budget, the exact count cannot change the decision.
     */
    TokenCounter UTF8_BOUND = (model, text) -> {
        if (text == null) {
            return 0;
        }
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    };
}

package dev.switchboard.llm.langchain4j;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.switchboard.context.TokenCounter;
import java.util.Locale;

/**
 * Counts tokens with OpenAI's tokenizers (jtokkit): exact for OpenAI models ({@code o200k_base} for the GPT-4o,
 * GPT-4.1, GPT-5 and o-series families, {@code cl100k_base} for older ones) and a close estimate for other
 * providers' models, whose tokenizers are not public or not bundled; it errs within about 10–20% for Claude and
 * Gemini on English text, which the compaction threshold's headroom absorbs.
 */
public final class JtokkitTokenCounter implements TokenCounter {

    /**
     * Loads an encoding's tables (tens of megabytes) on its first use, not at start: most servers need one of the
     * two, and a start should not wait for either.
     */
    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
    private volatile Encoding o200k;
    private volatile Encoding cl100k;

    @Override
    public int count(String model, String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return encodingOf(model).countTokensOrdinary(text);
    }

    private Encoding encodingOf(String model) {
        String name = model == null ? "" : model.toLowerCase(Locale.ROOT);
        int slash = name.lastIndexOf('/');
        name = slash >= 0 ? name.substring(slash + 1) : name;
        boolean older = name.startsWith("gpt-3.5") || (name.startsWith("gpt-4") && !name.startsWith("gpt-4o")
                && !name.startsWith("gpt-4.1"));
        if (older) {
            Encoding encoding = cl100k;
            if (encoding == null) {
                encoding = registry.getEncoding(EncodingType.CL100K_BASE);
                cl100k = encoding;
            }
            return encoding;
        }
        Encoding encoding = o200k;
        if (encoding == null) {
            encoding = registry.getEncoding(EncodingType.O200K_BASE);
            o200k = encoding;
        }
        return encoding;
    }
}

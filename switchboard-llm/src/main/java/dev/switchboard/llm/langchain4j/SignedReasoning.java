package dev.switchboard.llm.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reasoning of recent assistant turns that asked for tools, with the provider's signatures.
 *
 * <p>Anthropic (with thinking on) and Gemini 3 reject a tool loop whose assistant turn comes back without the
 * signed reasoning they produced. The core's {@code Message} keeps the reasoning text but not the signature, so
 * this client remembers both, keyed by the turn's first tool call id, for the calls that follow.
 */
final class SignedReasoning {

    /** What a turn carried besides its text and tool calls. */
    record Turn(String thinking, Map<String, Object> attributes) {
    }

    private static final int CAPACITY = 2_000;

    private final Map<String, Turn> turns = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Turn> eldest) {
            return size() > CAPACITY;
        }
    };

    void remember(String firstToolCallId, AiMessage message) {
        if (firstToolCallId == null || message.attributes().isEmpty()) {
            return;
        }
        synchronized (turns) {
            turns.put(firstToolCallId, new Turn(message.thinking(), new LinkedHashMap<>(message.attributes())));
        }
    }

    Turn recall(String firstToolCallId) {
        if (firstToolCallId == null) {
            return null;
        }
        synchronized (turns) {
            return turns.get(firstToolCallId);
        }
    }
}

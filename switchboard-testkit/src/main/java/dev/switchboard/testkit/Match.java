package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** Decides whether a scripted rule applies to a recorded request. */
@FunctionalInterface
public interface Match {

    boolean test(RecordedRequest request);

    default Match and(Match other) {
        Objects.requireNonNull(other, "other");
        return r -> test(r) && other.test(r);
    }

    static Match any() {
        return r -> true;
    }

    /** The last user message that carries text contains {@code fragment}; Anthropic and Gemini tool-result turns are skipped. */
    static Match lastUserMessageContains(String fragment) {
        Objects.requireNonNull(fragment, "fragment");
        return r -> {
            String text = r.lastUserText();
            return text != null && text.contains(fragment);
        };
    }

    /**
     * OpenAI and Ollama: the last message has role {@code tool}; Anthropic: the last user message holds a tool_result
     * block; Gemini: the last content holds a {@code functionResponse} part.
     */
    static Match lastMessageIsToolResult() {
        return r -> {
            JsonNode messages = r.messages();
            if (messages.isEmpty()) {
                return false;
            }
            JsonNode last = messages.get(messages.size() - 1);
            switch (r.wire()) {
                case OPENAI, OLLAMA -> {
                    return "tool".equals(last.path("role").asText());
                }
                case GEMINI -> {
                    for (JsonNode part : last.path("parts")) {
                        if (part.has("functionResponse")) {
                            return true;
                        }
                    }
                    return false;
                }
                case ANTHROPIC -> {
                    // checked below
                }
            }
            for (int i = messages.size() - 1; i >= 0; i--) {
                JsonNode message = messages.get(i);
                if ("user".equals(message.path("role").asText())) {
                    for (JsonNode block : message.path("content")) {
                        if ("tool_result".equals(block.path("type").asText())) {
                            return true;
                        }
                    }
                    return false;
                }
            }
            return false;
        };
    }

    /** Any text anywhere in the conversation (messages, and Anthropic's or Gemini's top-level system) contains it. */
    static Match anyMessageContains(String fragment) {
        Objects.requireNonNull(fragment, "fragment");
        return r -> r.conversationContains(fragment);
    }

    /** The request's system prompt, as {@link RecordedRequest#systemPrompt()} finds it, contains {@code fragment}. */
    static Match systemPromptContains(String fragment) {
        Objects.requireNonNull(fragment, "fragment");
        return r -> {
            String system = r.systemPrompt();
            return system != null && system.contains(fragment);
        };
    }

    static Match toolOffered(String toolName) {
        Objects.requireNonNull(toolName, "toolName");
        return r -> r.toolNames().contains(toolName);
    }

    static Match wire(Wire wire) {
        Objects.requireNonNull(wire, "wire");
        return r -> r.wire() == wire;
    }
}

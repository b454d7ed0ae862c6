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

    /** The last user message that carries text contains {@code fragment}; Anthropic tool-result turns are skipped. */
    static Match lastUserMessageContains(String fragment) {
        Objects.requireNonNull(fragment, "fragment");
        return r -> {
            String text = r.lastUserText();
            return text != null && text.contains(fragment);
        };
    }

    /** OpenAI: the last message has role {@code tool}; Anthropic: the last user message holds a tool_result block. */
    static Match lastMessageIsToolResult() {
        return r -> {
            JsonNode messages = r.messages();
            if (messages.isEmpty()) {
                return false;
            }
            if (r.wire() == Wire.OPENAI) {
                return "tool".equals(messages.get(messages.size() - 1).path("role").asText());
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

    /** Any text anywhere in the conversation (messages, and Anthropic's top-level system) contains {@code fragment}. */
    static Match anyMessageContains(String fragment) {
        Objects.requireNonNull(fragment, "fragment");
        return r -> r.conversationContains(fragment);
    }

    /** OpenAI system/developer messages, or Anthropic's top-level {@code system}, contain {@code fragment}. */
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

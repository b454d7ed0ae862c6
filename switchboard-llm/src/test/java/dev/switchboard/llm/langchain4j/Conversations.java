package dev.switchboard.llm.langchain4j;

import dev.switchboard.content.Content;
import dev.switchboard.llm.LlmRequest;
import dev.switchboard.llm.LlmSettings;
import dev.switchboard.llm.ToolSpec;
import dev.switchboard.session.Message;
import dev.switchboard.session.Role;
import dev.switchboard.session.ToolCall;
import java.time.Instant;
import java.util.List;

/** Builds the core messages and requests the adapter tests send. */
final class Conversations {

    private Conversations() {
    }

    static LlmRequest request(LlmSettings settings, List<Message> messages, List<ToolSpec> tools) {
        return new LlmRequest(settings, "You are a test.", messages, tools);
    }

    static Message user(String text) {
        return Message.user("m-" + text.hashCode(), "s1", Content.text(text), Instant.now());
    }

    static Message assistantCalling(ToolCall call) {
        return new Message("m-a", "s1", "r1", Role.ASSISTANT, List.of(), null, List.of(call), null, null, null, null,
                null, null, null, Instant.now());
    }

    static Message toolResult(String callId, String tool, String output) {
        return new Message("m-t", "s1", "r1", Role.TOOL, Content.text(output), null, List.of(), callId, tool, true,
                null, null, null, null, Instant.now());
    }
}

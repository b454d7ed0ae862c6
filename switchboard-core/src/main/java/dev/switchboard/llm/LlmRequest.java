package dev.switchboard.llm;

import dev.switchboard.session.Message;
import java.util.List;

/** One model call: the system prompt, the conversation so far and the tools on offer. */
public record LlmRequest(LlmSettings settings, String systemPrompt, List<Message> messages, List<ToolSpec> tools) {

    public LlmRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}

package dev.switchboard.run;

import dev.switchboard.content.Content;
import dev.switchboard.session.Message;
import dev.switchboard.session.Role;
import dev.switchboard.session.ToolCall;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Prepares stored history for a model call. */
final class History {

    private History() {
    }

    /**
     * A mutable copy of the history in which every tool call has a result: a run interrupted between a
     * model's tool call and its result would otherwise make providers reject the whole conversation.
     */
    static List<Message> forModel(List<Message> stored) {
        Set<String> answered = new HashSet<>();
        for (Message message : stored) {
            if (message.role() == Role.TOOL && message.toolCallId() != null) {
                answered.add(message.toolCallId());
            }
        }
        List<Message> repaired = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            Message message = stored.get(i);
            repaired.add(message);
            if (message.role() != Role.ASSISTANT || message.toolCalls().isEmpty()) {
                continue;
            }
            // results follow their assistant turn; add the missing ones right after the last present one
            int j = i + 1;
            while (j < stored.size() && stored.get(j).role() == Role.TOOL) {
                repaired.add(stored.get(j));
                j++;
            }
            for (ToolCall call : message.toolCalls()) {
                if (!answered.contains(call.id())) {
                    repaired.add(new Message(null, message.sessionId(), message.runId(), Role.TOOL,
                            Content.text("Error: the run was interrupted before this tool finished"), null,
                            List.of(), call.id(), call.name(), false, null, null, null, null, message.timestamp()));
                }
            }
            i = j - 1;
        }
        return repaired;
    }
}

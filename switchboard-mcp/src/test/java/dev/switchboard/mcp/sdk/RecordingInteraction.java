package dev.switchboard.mcp.sdk;

import dev.switchboard.approval.ApprovalDecision;
import dev.switchboard.event.EventPayload;
import dev.switchboard.llm.Cancellation;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.session.Message;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolInteraction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A run's side of a tool call, scripted: canned answers to questions and model calls, events recorded. */
final class RecordingInteraction implements ToolInteraction {

    record Elicitation(String message, Map<String, Object> requestedSchema, Map<String, Object> metadata) {
    }

    record Sampling(String server, String systemPrompt, List<Message> messages, Integer maxTokens) {
    }

    final List<EventPayload> published = new CopyOnWriteArrayList<>();
    final List<Elicitation> elicitations = new CopyOnWriteArrayList<>();
    final List<Sampling> samplings = new CopyOnWriteArrayList<>();
    volatile ApprovalDecision elicitAnswer = ApprovalDecision.denied("no answer scripted");
    volatile Function<Sampling, LlmResponse> sampleAnswer = s -> {
        throw new IllegalStateException("no model answer scripted");
    };

    ToolContext context(String callId, Path workspace) {
        return new ToolContext("owner-1", "agent-1", "session-1", "run-1", callId, new Cancellation(), workspace,
                this);
    }

    <T extends EventPayload> List<T> published(Class<T> type) {
        return published.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public ApprovalDecision elicit(String message, Map<String, Object> requestedSchema,
            Map<String, Object> metadata) {
        elicitations.add(new Elicitation(message, requestedSchema, metadata));
        return elicitAnswer;
    }

    @Override
    public void publish(EventPayload payload) {
        published.add(payload);
    }

    @Override
    public LlmResponse sample(String server, String systemPrompt, List<Message> messages, Integer maxTokens) {
        Sampling sampling = new Sampling(server, systemPrompt, messages, maxTokens);
        samplings.add(sampling);
        return sampleAnswer.apply(sampling);
    }
}

package dev.switchboard.mcp.sdk;

import dev.switchboard.approval.ApprovalDecision;
import dev.switchboard.content.Content;
import dev.switchboard.event.EventPayload;
import dev.switchboard.llm.LlmResponse;
import dev.switchboard.session.Message;
import dev.switchboard.session.Role;
import dev.switchboard.tool.ToolContext;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one MCP server asks of us while its tools run: a model call (sampling), a person's answer (elicitation),
 * and the log lines and progress it reports. Each goes to the run of the tool call in flight on that connection.
 */
final class ServerRequests {

    private static final Logger log = LoggerFactory.getLogger(ServerRequests.class);

    private final String server;
    private final CallsInFlight calls;

    ServerRequests(String server, CallsInFlight calls) {
        this.server = server;
        this.calls = calls;
    }

    /** Answers {@code sampling/createMessage} with the agent's model; a refusal becomes an MCP error. */
    McpSchema.CreateMessageResult sample(McpSchema.CreateMessageRequest request) {
        ToolContext context = calls.mostRecent().map(call -> call.context).orElseThrow(() -> error(
                "MCP server '" + server + "' asked for a model call while none of its tools was running"));
        List<Message> messages = request.messages().stream().map(m -> message(m, context)).toList();
        LlmResponse response;
        try {
            response = context.interaction().sample(server, request.systemPrompt(), messages, request.maxTokens());
        } catch (RuntimeException e) {
            throw error("The model call was not made: " + e.getMessage());
        }
        String text = response.text() == null ? "" : response.text();
        return new McpSchema.CreateMessageResult(McpSchema.Role.ASSISTANT, new McpSchema.TextContent(text),
                response.model() == null ? "unknown" : response.model(), stopReason(response.finishReason()));
    }

    /** Answers {@code elicitation/create} (form mode) with the person's answer; nobody to ask means decline. */
    McpSchema.ElicitResult elicit(McpSchema.ElicitFormRequest request) {
        var call = calls.mostRecent();
        if (call.isEmpty()) {
            log.debug("MCP server '{}' asked a question while none of its tools was running; declined", server);
            return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null);
        }
        ApprovalDecision decision = call.get().context.interaction()
                .elicit(request.message(), request.requestedSchema(), Map.of("server", server));
        return switch (decision.status()) {
            case APPROVED -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT,
                    decision.formData() == null ? Map.of() : decision.formData());
            case DENIED -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.DECLINE, null);
            case CANCELLED, PENDING -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.CANCEL, null);
        };
    }

    void log(McpSchema.LoggingMessageNotification notification) {
        String level = notification.level() == null ? "info" : notification.level().name().toLowerCase(Locale.ROOT);
        log.debug("MCP server '{}' [{}] {}: {}", server, level, notification.logger(), notification.data());
        calls.mostRecent().ifPresent(call -> publish(call, new EventPayload.ToolLog(call.context.callId(), server,
                level, notification.logger(), notification.data())));
    }

    void progress(McpSchema.ProgressNotification notification) {
        calls.byToken(notification.progressToken()).ifPresent(call -> publish(call, new EventPayload.ToolProgress(
                call.context.callId(), call.qualifiedName,
                notification.progress() == null ? 0 : notification.progress(), notification.total(),
                notification.message())));
    }

    private void publish(CallsInFlight.Call call, EventPayload payload) {
        try {
            call.context.interaction().publish(payload);
        } catch (RuntimeException e) {
            // a listener's failure must not break the connection's notification handling
            log.warn("Could not publish {} of MCP server '{}'", payload.name(), server, e);
        }
    }

    private static Message message(McpSchema.SamplingMessage sampling, ToolContext context) {
        String text = ToolResultText.describe(sampling.content());
        Role role = sampling.role() == McpSchema.Role.ASSISTANT ? Role.ASSISTANT : Role.USER;
        return new Message(UUID.randomUUID().toString(), context.sessionId(), context.runId(), role,
                Content.text(text), null, List.of(), null, null, null, null, null, null, null, Instant.now());
    }

    private static McpSchema.CreateMessageResult.StopReason stopReason(String finishReason) {
        return switch (finishReason == null ? "" : finishReason) {
            case "stop" -> McpSchema.CreateMessageResult.StopReason.END_TURN;
            case "length" -> McpSchema.CreateMessageResult.StopReason.MAX_TOKENS;
            default -> McpSchema.CreateMessageResult.StopReason.UNKNOWN;
        };
    }

    private static McpError error(String message) {
        return McpError.builder(McpSchema.ErrorCodes.INVALID_REQUEST).message(message).build();
    }
}

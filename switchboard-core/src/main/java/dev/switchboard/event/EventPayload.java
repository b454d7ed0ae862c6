package dev.switchboard.event;

import dev.switchboard.session.TokenUsage;
import java.util.List;
import java.util.Map;

/** What an event says; one record per event name. */
public sealed interface EventPayload {

    /** The wire name shared by every face. */
    String name();

    /** A run began processing a user message. */
    record RunStarted(String messageId) implements EventPayload {
        public String name() { return "run:started"; }
    }

    /** A model call is about to start. */
    record Thinking(int step) implements EventPayload {
        public String name() { return "llm:thinking"; }
    }

    /** A piece of streamed model output; {@code chunkType} is {@code text} or {@code reasoning}. */
    record Chunk(String chunkType, String content) implements EventPayload {
        public String name() { return "llm:chunk"; }
    }

    /** The model asked for a tool; {@code args} is the model's JSON text. */
    record ToolCallRequested(String toolName, String args, String callId) implements EventPayload {
        public String name() { return "llm:tool-call"; }
    }

    /**
     * A question waits for the person behind the session: may a tool run, or fill in a form (an elicitation,
     * whose {@code metadata.requestedSchema} describes the form). Answer it with {@code POST /api/approvals/{id}}.
     */
    record ApprovalRequested(String approvalId, String type, String toolName, String callId, String args,
            String message, Map<String, Object> metadata, long timeout) implements EventPayload {
        public String name() { return "approval:request"; }
    }

    /** A question was resolved: answered, timed out (denied, with the reason) or cancelled with its run. */
    record ApprovalResponded(String approvalId, String status, String reason, boolean rememberChoice)
            implements EventPayload {
        public String name() { return "approval:response"; }
    }

    /** A running tool reported progress; {@code total} is null when the tool does not know it. */
    record ToolProgress(String callId, String toolName, double progress, Double total, String message)
            implements EventPayload {
        public String name() { return "tool:progress"; }
    }

    /** An MCP server logged something while one of its tools ran for this session. */
    record ToolLog(String callId, String server, String level, String logger, String data)
            implements EventPayload {
        public String name() { return "tool:log"; }
    }

    /** A tool began executing. */
    record ToolRunning(String toolName, String callId) implements EventPayload {
        public String name() { return "tool:running"; }
    }

    /** A tool finished; {@code result} is its output text, {@code error} set when it failed. */
    record ToolResult(String callId, String toolName, boolean success, String result, String error)
            implements EventPayload {
        public String name() { return "llm:tool-result"; }
    }

    /** A model call finished. */
    record Response(String content, String reasoning, String provider, String model, TokenUsage tokenUsage,
            Double estimatedCost, String finishReason, List<String> toolCallIds) implements EventPayload {
        public String name() { return "llm:response"; }
    }

    /**
     * A model call failed with a rate limit, a server error or a timeout, and the run goes on with the next model of
     * its route: {@code failedProvider}/{@code failedModel} failed ({@code status} is the provider's HTTP status, 0
     * when none came), {@code provider}/{@code model} took over for the rest of the run.
     */
    record ModelFailover(String failedProvider, String failedModel, int status, String error, String provider,
            String model) implements EventPayload {
        public String name() { return "llm:failover"; }
    }

    /** Something went wrong; {@code recoverable} tells whether retrying the message may succeed. */
    record Error(String error, String code, boolean recoverable) implements EventPayload {
        public String name() { return "llm:error"; }
    }

    /** A message joined the session's queue behind a busy run. */
    record MessageQueued(String messageId, int position, String kind) implements EventPayload {
        public String name() { return "message:queued"; }
    }

    /** A queued message left the queue to be processed. */
    record MessageDequeued(String messageId, int remaining) implements EventPayload {
        public String name() { return "message:dequeued"; }
    }

    /** The session's title changed. */
    record TitleUpdated(String title) implements EventPayload {
        public String name() { return "session:title-updated"; }
    }

    /** The agent's plan changed (its {@code todo_write} tool): the whole list, in order. */
    record PlanUpdated(List<PlanItem> items) implements EventPayload {
        public PlanUpdated {
            items = List.copyOf(items);
        }

        public String name() { return "plan:updated"; }
    }

    /** One step of an agent's plan; {@code status} is {@code pending}, {@code in_progress} or {@code completed}. */
    record PlanItem(String id, String content, String status) {
    }

    /**
     * The conversation passed its share of the model's window: older turns are being summarized ({@code tokens} is the
     * estimated request size, {@code window} the model's input window, {@code messages} how many turns are summarized).
     */
    record ContextCompacting(int tokens, int window, int messages) implements EventPayload {
        public String name() { return "context:compacting"; }
    }

    /**
     * Older turns were summarized; later requests send the summary in their place. Stored history is unchanged.
     * {@code summarizedMessages} counts every turn the summary covers, earlier summaries included.
     */
    record ContextCompacted(int summarizedMessages, int tokensBefore, int tokensAfter) implements EventPayload {
        public String name() { return "context:compacted"; }
    }

    /**
     * A run ended. {@code finishReason}: {@code stop}, {@code length}, {@code tool_calls} (it stopped at calls of
     * functions its caller executes), {@code max-iterations}, {@code cancelled}, {@code error} or
     * {@code interrupted}.
     */
    record RunComplete(String finishReason, int stepCount, long durationMs, TokenUsage tokenUsage,
            Double estimatedCost) implements EventPayload {
        public String name() { return "run:complete"; }
    }
}

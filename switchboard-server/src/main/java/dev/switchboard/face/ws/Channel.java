package dev.switchboard.face.ws;

import dev.switchboard.event.EventPayload;
import java.util.Optional;

/** The channels a {@code /ws} client subscribes to, and which channel each event of a run is delivered on. */
public enum Channel {
    /** An agent started or finished working, a message queued, the plan or title changed. */
    AGENT_STATUS("agent.status"),
    /** What the agent says: streamed text and reasoning, each model call's response, errors. */
    AGENT_MESSAGE("agent.message"),
    /** Tool calls: asked for, running, progress, logs, results. */
    AGENT_TOOL_CALL("agent.tool_call"),
    /** Questions waiting for the person (tool approvals, forms) and their answers. */
    APPROVALS("approvals"),
    /** The user's notifications, as they are created. */
    NOTIFICATIONS("notifications");

    private final String wireName;

    Channel(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The channel named {@code name} on the wire, if any. */
    public static Optional<Channel> named(String name) {
        for (Channel channel : values()) {
            if (channel.wireName.equals(name)) {
                return Optional.of(channel);
            }
        }
        return Optional.empty();
    }

    /** The channel an event goes out on; the switch is exhaustive, so a new kind of event must be placed here. */
    public static Channel of(EventPayload payload) {
        return switch (payload) {
            case EventPayload.RunStarted ignored -> AGENT_STATUS;
            case EventPayload.RunComplete ignored -> AGENT_STATUS;
            case EventPayload.MessageQueued ignored -> AGENT_STATUS;
            case EventPayload.MessageDequeued ignored -> AGENT_STATUS;
            case EventPayload.TitleUpdated ignored -> AGENT_STATUS;
            case EventPayload.PlanUpdated ignored -> AGENT_STATUS;
            case EventPayload.ContextCompacting ignored -> AGENT_STATUS;
            case EventPayload.ContextCompacted ignored -> AGENT_STATUS;
            case EventPayload.ModelFailover ignored -> AGENT_STATUS;
            case EventPayload.Thinking ignored -> AGENT_MESSAGE;
            case EventPayload.Chunk ignored -> AGENT_MESSAGE;
            case EventPayload.Response ignored -> AGENT_MESSAGE;
            case EventPayload.Error ignored -> AGENT_MESSAGE;
            case EventPayload.ToolCallRequested ignored -> AGENT_TOOL_CALL;
            case EventPayload.ToolRunning ignored -> AGENT_TOOL_CALL;
            case EventPayload.ToolProgress ignored -> AGENT_TOOL_CALL;
            case EventPayload.ToolLog ignored -> AGENT_TOOL_CALL;
            case EventPayload.ToolResult ignored -> AGENT_TOOL_CALL;
            case EventPayload.ApprovalRequested ignored -> APPROVALS;
            case EventPayload.ApprovalResponded ignored -> APPROVALS;
        };
    }
}

package dev.switchboard.tool;

import dev.switchboard.llm.Cancellation;
import java.nio.file.Path;

/**
 * Where a tool call happens: whose session, which agent, the run's cancel signal, the agent's workspace and the
 * way back to the person and the model.
 *
 * @param sessionId null when the call does not come from a conversation (a direct call through the API)
 * @param workspace the folder the agent's file and command tools are confined to
 */
public record ToolContext(String ownerId, String agentId, String sessionId, String runId, String callId,
        Cancellation cancellation, Path workspace, ToolInteraction interaction) {

    public ToolContext {
        interaction = interaction == null ? ToolInteraction.NONE : interaction;
        cancellation = cancellation == null ? new Cancellation() : cancellation;
    }
}

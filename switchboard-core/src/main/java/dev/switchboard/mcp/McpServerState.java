package dev.switchboard.mcp;

import dev.switchboard.agent.McpServerDeclaration;
import java.time.Instant;
import java.util.List;

/**
 * One MCP server of an agent as it stands now.
 *
 * @param status {@code connecting}, {@code connected}, {@code reconnecting}, {@code failed} or {@code disabled}
 * @param error the last connection failure, or null
 * @param persisted whether the agent's file declared it when the agent was opened (false: added at runtime);
 *     the file may have changed since, so the API asks the file itself
 * @param serverInfo the name and version the server reported, or null before it connected
 */
public record McpServerState(
        String agentId,
        String name,
        McpServerDeclaration declaration,
        String status,
        String error,
        List<McpToolInfo> tools,
        Instant connectedAt,
        int reconnectAttempts,
        boolean persisted,
        String serverInfo) {

    public McpServerState {
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public boolean connected() {
        return "connected".equals(status);
    }
}

package dev.switchboard.tool;

import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.mcp.McpConnections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An agent's tools: the built-in tools its file lists, then the tools of its connected MCP servers. */
public final class BuiltInAndMcpTools implements AgentTools {

    /** How long a run waits for its agent's strict MCP servers to connect before it fails. */
    private static final Duration READY_WAIT = Duration.ofSeconds(60);

    private final ToolRegistry builtIns;
    private final McpConnections mcp;

    public BuiltInAndMcpTools(ToolRegistry builtIns, McpConnections mcp) {
        this.builtIns = builtIns;
        this.mcp = mcp;
    }

    @Override
    public List<Tool> of(AgentDefinition agent) {
        List<Tool> tools = new ArrayList<>(builtIns.select(agent.tools()));
        tools.addAll(mcp.tools(agent.id()));
        return tools;
    }

    @Override
    public Optional<String> unavailable(AgentDefinition agent) {
        return mcp.awaitReady(agent.id(), READY_WAIT);
    }
}

package dev.switchboard.mcp.sdk;

import dev.switchboard.llm.ToolSpec;
import dev.switchboard.mcp.McpToolInfo;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOrigin;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.tool.ToolRisk;

/** One tool of an MCP server as the agent's model sees it, under its namespaced name. */
final class McpToolAdapter implements Tool {

    private final McpConnection connection;
    private final McpToolInfo info;

    McpToolAdapter(McpConnection connection, McpToolInfo info) {
        this.connection = connection;
        this.info = info;
    }

    @Override
    public ToolSpec spec() {
        return new ToolSpec(info.qualifiedName(), info.description() == null ? "" : info.description(),
                info.inputSchema());
    }

    /** Always {@link ToolRisk#ACTS}: what a server says of its own tools (readOnlyHint) cannot be trusted. */
    @Override
    public ToolRisk risk() {
        return ToolRisk.ACTS;
    }

    @Override
    public ToolOrigin origin() {
        return ToolOrigin.mcp(info.server(), info.name());
    }

    @Override
    public ToolOutcome execute(String arguments, ToolContext context) {
        return connection.call(info.name(), arguments, context);
    }
}

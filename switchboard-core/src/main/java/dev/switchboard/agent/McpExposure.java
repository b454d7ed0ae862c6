package dev.switchboard.agent;

import java.util.List;

/**
 * What Switchboard's own MCP endpoint ({@code /mcp}) offers of an agent.
 *
 * @param enabled whether the agent is offered as a tool that takes a message and returns its answer
 * @param tools the agent's own tools (built-in or from its MCP servers) also offered directly, by name;
 *     calls to them follow the agent's permissions
 */
public record McpExposure(boolean enabled, List<String> tools) {

    public static final McpExposure DEFAULT = new McpExposure(true, List.of());

    public McpExposure {
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}

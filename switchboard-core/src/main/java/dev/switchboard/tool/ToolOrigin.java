package dev.switchboard.tool;

/**
 * Where a tool comes from.
 *
 * @param source {@code internal} (built into the server) or {@code mcp}
 * @param server the MCP server's name, null for internal tools
 * @param originalName the name the tool has at its source (an MCP tool's own name, before namespacing)
 */
public record ToolOrigin(String source, String server, String originalName) {

    public static final String INTERNAL = "internal";
    public static final String MCP = "mcp";

    public static ToolOrigin internal(String name) {
        return new ToolOrigin(INTERNAL, null, name);
    }

    public static ToolOrigin mcp(String server, String name) {
        return new ToolOrigin(MCP, server, name);
    }
}

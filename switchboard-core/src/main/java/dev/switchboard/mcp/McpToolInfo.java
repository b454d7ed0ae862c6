package dev.switchboard.mcp;

/**
 * A tool an MCP server offers.
 *
 * @param name the server's own name for it
 * @param qualifiedName the name agents and models see: {@code mcp__<server>__<name>}
 * @param inputSchema the JSON Schema of its arguments, as JSON text
 * @param readOnly the server's hint that the tool only reads (a hint: it does not relax approvals)
 */
public record McpToolInfo(String server, String name, String qualifiedName, String title, String description,
        String inputSchema, boolean readOnly) {
}

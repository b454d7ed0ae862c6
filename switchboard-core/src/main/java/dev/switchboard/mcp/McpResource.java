package dev.switchboard.mcp;

/**
 * A resource an MCP server offers.
 *
 * @param size in bytes, or null when the server does not say
 */
public record McpResource(String server, String uri, String name, String description, String mimeType,
        Long size) {
}

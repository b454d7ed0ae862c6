package dev.switchboard.prompt;

import java.util.List;

/**
 * A prompt as the API lists it, whatever its source.
 *
 * @param name {@code <server>:<prompt>} for an MCP server's prompt, the plain name for a custom one
 * @param source {@code mcp} or {@code custom}
 * @param server the MCP server offering it, or null
 * @param resourceUri the attached resource of a custom prompt ({@code blob:<id>}), or null
 */
public record PromptInfo(String name, String title, String description, List<PromptArgument> arguments,
        String source, String server, String resourceUri) {

    public PromptInfo {
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
    }
}

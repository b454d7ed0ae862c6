package dev.switchboard.mcp;

import dev.switchboard.prompt.PromptArgument;
import java.util.List;

/** A prompt an MCP server offers. */
public record McpPromptInfo(String server, String name, String title, String description,
        List<PromptArgument> arguments) {

    public McpPromptInfo {
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
    }
}

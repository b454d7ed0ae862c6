package dev.switchboard.agent;

import dev.switchboard.llm.LlmSettings;
import java.util.List;
import java.util.Map;

/**
 * An agent as its YAML file declares it.
 *
 * @param llm null when no usable provider is configured; a message then fails with a clear error
 * @param llmProblem why {@code llm} is null, naming what to configure
 * @param tools names of the built-in tools it may use
 * @param mcpServers MCP server declarations by name, validated but used by the tools feature
 * @param permissions tool approval policy, validated but used by the tools feature
 */
public record AgentDefinition(
        String id,
        String name,
        String description,
        String systemPrompt,
        LlmSettings llm,
        String llmProblem,
        List<String> tools,
        Map<String, McpServerDeclaration> mcpServers,
        Permissions permissions,
        String greeting) {

    public AgentDefinition {
        tools = tools == null ? List.of() : List.copyOf(tools);
        mcpServers = mcpServers == null ? Map.of() : Map.copyOf(mcpServers);
    }
}

package dev.switchboard.agent;

import dev.switchboard.llm.LlmSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An agent as its YAML file declares it.
 *
 * @param llm null when no usable provider is configured; a message then fails with a clear error
 * @param llmProblem why {@code llm} is null, naming what to configure
 * @param tools names of the built-in tools it may use
 * @param mcpServers the MCP servers it connects to, by name
 * @param permissions when its tool calls need a person's approval
 * @param workspace the folder its file and command tools are confined to (also its MCP roots)
 * @param exposure what the server's own MCP endpoint offers of this agent
 * @param context the agent's own context settings in place of the server's, or null for the server's
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
        String greeting,
        Path workspace,
        McpExposure exposure,
        dev.switchboard.context.ContextOverrides context) {

    /** An agent with the server's context settings. */
    public AgentDefinition(String id, String name, String description, String systemPrompt, LlmSettings llm,
            String llmProblem, List<String> tools, Map<String, McpServerDeclaration> mcpServers,
            Permissions permissions, String greeting, Path workspace, McpExposure exposure) {
        this(id, name, description, systemPrompt, llm, llmProblem, tools, mcpServers, permissions, greeting,
                workspace, exposure, null);
    }

    /** The settings this agent's runs use: the server's, with the agent's own in place where it gives them. */
    public dev.switchboard.context.ContextSettings contextSettings(dev.switchboard.context.ContextSettings server) {
        return context == null ? server : context.applyTo(server);
    }

    public AgentDefinition {
        tools = tools == null ? List.of() : List.copyOf(tools);
        // declaration order is kept: servers connect and list in the order the file gives
        mcpServers = mcpServers == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(mcpServers));
        permissions = permissions == null ? Permissions.DEFAULT : permissions;
        exposure = exposure == null ? McpExposure.DEFAULT : exposure;
    }
}

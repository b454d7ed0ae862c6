package dev.switchboard.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.llm.Providers;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The shape of {@code agents/<id>.yml}, validated as it is read. */
record AgentFile(
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("systemPrompt") String systemPrompt,
        @JsonProperty("greeting") String greeting,
        @JsonProperty("llm") Llm llm,
        @JsonProperty("tools") List<String> tools,
        @JsonProperty("mcpServers") Map<String, McpServer> mcpServers,
        @JsonProperty("permissions") PermissionsSection permissions,
        @JsonProperty("workspace") String workspace,
        @JsonProperty("expose") Expose expose,
        @JsonProperty("enabled") Boolean enabled,
        @JsonProperty("context") ContextSection context) {

    static final Set<String> EFFORTS = Set.of("none", "minimal", "low", "medium", "high", "xhigh");

    /** The same file with another {@code llm:} section, such as one a provider/model profile replaces. */
    AgentFile withLlm(Llm newLlm) {
        return new AgentFile(name, description, systemPrompt, greeting, newLlm, tools, mcpServers, permissions,
                workspace, expose, enabled, context);
    }

    /**
     * The {@code context:} section: the agent's own values of the server's {@code context.*} settings (see
     * {@link dev.switchboard.context.ContextSettings}), each optional.
     */
    record ContextSection(
            @JsonProperty("systemBudgetTokens") Integer systemBudgetTokens,
            @JsonProperty("compactAt") Double compactAt,
            @JsonProperty("keepRecentShare") Double keepRecentShare,
            @JsonProperty("toolOutputKeepTurns") Integer toolOutputKeepTurns,
            @JsonProperty("toolOutputMaxChars") Integer toolOutputMaxChars,
            @JsonProperty("defaultWindow") Integer defaultWindow) {

        ContextSection {
            toOverrides(systemBudgetTokens, compactAt, keepRecentShare, toolOutputKeepTurns, toolOutputMaxChars,
                    defaultWindow);
        }

        dev.switchboard.context.ContextOverrides toOverrides() {
            return toOverrides(systemBudgetTokens, compactAt, keepRecentShare, toolOutputKeepTurns,
                    toolOutputMaxChars, defaultWindow);
        }

        private static dev.switchboard.context.ContextOverrides toOverrides(Integer budget, Double compactAt,
                Double keepRecent, Integer keepTurns, Integer maxChars, Integer window) {
            return new dev.switchboard.context.ContextOverrides(budget, compactAt, keepRecent, keepTurns, maxChars,
                    window);
        }
    }

    /** The {@code llm:} section; every field optional, missing ones come from the environment or defaults. */
    record Llm(
            @JsonProperty("provider") String provider,
            @JsonProperty("model") String model,
            @JsonProperty("apiKey") String apiKey,
            @JsonProperty("baseURL") String baseURL,
            @JsonProperty("maxIterations") Integer maxIterations,
            @JsonProperty("maxInputTokens") Integer maxInputTokens,
            @JsonProperty("maxOutputTokens") Integer maxOutputTokens,
            @JsonProperty("temperature") Double temperature,
            @JsonProperty("reasoningEffort") String reasoningEffort,
            @JsonProperty("timeoutSeconds") Integer timeoutSeconds,
            @JsonProperty("maxRetries") Integer maxRetries) {

        Llm {
            if (provider != null && !Providers.KNOWN.contains(provider)) {
                throw new IllegalArgumentException("provider '" + provider + "' is not known (known: "
                        + String.join(", ", Providers.KNOWN) + ")");
            }
            positive("maxIterations", maxIterations);
            positive("maxInputTokens", maxInputTokens);
            positive("maxOutputTokens", maxOutputTokens);
            positive("timeoutSeconds", timeoutSeconds);
            if (maxRetries != null && maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative");
            }
            if (temperature != null && (temperature < 0 || temperature > 2)) {
                throw new IllegalArgumentException("temperature must be between 0 and 2");
            }
            if (reasoningEffort != null && !EFFORTS.contains(reasoningEffort)) {
                throw new IllegalArgumentException("reasoningEffort must be one of none, minimal, low, medium, high, xhigh");
            }
            if (baseURL != null && !baseURL.matches("https?://.+")) {
                throw new IllegalArgumentException("baseURL must be an http:// or https:// URL");
            }
        }
    }

    /** One entry of {@code mcpServers:}. */
    record McpServer(
            @JsonProperty("type") String type,
            @JsonProperty("command") String command,
            @JsonProperty("args") List<String> args,
            @JsonProperty("env") Map<String, String> env,
            @JsonProperty("url") String url,
            @JsonProperty("headers") Map<String, String> headers,
            @JsonProperty("timeout") Integer timeout,
            @JsonProperty("connectionMode") String connectionMode,
            @JsonProperty("enabled") Boolean enabled) {

        McpServer {
            type = type == null ? (command != null ? "stdio" : "http") : type;
            if (!Set.of("stdio", "sse", "http").contains(type)) {
                throw new IllegalArgumentException("type must be stdio, sse or http");
            }
            if (type.equals("stdio") && (command == null || command.isBlank())) {
                throw new IllegalArgumentException("command is required for a stdio server");
            }
            if (!type.equals("stdio") && (url == null || !url.matches("https?://.+"))) {
                throw new IllegalArgumentException("url must be an http(s) URL for an " + type + " server");
            }
            if (connectionMode != null && !Set.of("strict", "lenient").contains(connectionMode)) {
                throw new IllegalArgumentException("connectionMode must be strict or lenient");
            }
            positive("timeout", timeout);
        }

        /** The declaration the core works with, defaults filled in. */
        McpServerDeclaration toDeclaration() {
            return new McpServerDeclaration(type, command, args == null ? List.of() : args,
                    env == null ? Map.of() : env, url, headers == null ? Map.of() : headers,
                    timeout == null ? 30_000 : timeout, connectionMode == null ? "lenient" : connectionMode,
                    enabled == null || enabled);
        }
    }

    /** The {@code expose:} section: what Switchboard's own MCP endpoint offers of this agent. */
    record Expose(
            @JsonProperty("mcp") Boolean mcp,
            @JsonProperty("tools") List<String> tools) {
    }

    /** The {@code permissions:} section. */
    record PermissionsSection(
            @JsonProperty("mode") String mode,
            @JsonProperty("timeout") Integer timeout,
            @JsonProperty("alwaysAllow") List<String> alwaysAllow,
            @JsonProperty("alwaysDeny") List<String> alwaysDeny) {

        PermissionsSection {
            if (mode != null && !Set.of("manual", "auto-approve", "auto-deny").contains(mode)) {
                throw new IllegalArgumentException("mode must be manual, auto-approve or auto-deny");
            }
            positive("timeout", timeout);
        }
    }

    private static void positive(String name, Integer value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(name + " must be greater than 0");
        }
    }
}

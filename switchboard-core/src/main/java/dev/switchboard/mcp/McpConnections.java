package dev.switchboard.mcp;

import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.UpstreamException;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The port to the MCP servers agents use. Each agent owns its connections, named as in its {@code mcpServers}
 * (or as added through the API); a connection keeps itself alive, reconnecting with backoff, and keeps its lists
 * of tools, resources and prompts current.
 *
 * <p>Methods that name a server throw {@link NotFoundException} when the agent has no such server, and
 * {@link UpstreamException} when the server is known but cannot answer now.
 */
public interface McpConnections extends AutoCloseable {

    /**
     * Connects the agent's enabled declared servers in the background. A {@code strict} server that fails makes
     * {@link #awaitReady} fail for the agent; a {@code lenient} one is logged and retried.
     */
    void open(AgentDefinition agent);

    /**
     * Waits until the agent's strict servers have connected (or failed), at most {@code timeout}.
     *
     * @return why the agent cannot run, naming the servers, or empty when it can
     */
    Optional<String> awaitReady(String agentId, Duration timeout);

    /** The agent's servers with their states, in declaration order. */
    List<McpServerState> servers(String agentId);

    McpServerState server(String agentId, String name);

    /**
     * Adds a server to the agent and connects it. A {@code strict} server that cannot connect is not added.
     *
     * @throws InvalidInputException when the name is taken or the declaration cannot work (a command not found)
     * @throws UpstreamException when a strict server cannot connect
     */
    McpServerState add(String agentId, String name, McpServerDeclaration declaration);

    /** Replaces a server's declaration and reconnects it. */
    McpServerState update(String agentId, String name, McpServerDeclaration declaration);

    /** Disconnects and forgets the server (its process, if any, is stopped). */
    void remove(String agentId, String name);

    /** Drops the connection and connects again. */
    McpServerState restart(String agentId, String name);

    /** The tools of the agent's connected servers, namespaced {@code mcp__<server>__<tool>}. */
    List<Tool> tools(String agentId);

    /** One server's tools, with their own names. */
    List<McpToolInfo> toolsOf(String agentId, String server);

    /**
     * Calls one server's tool by its own name. A server that fails or disconnects during the call gives a failed
     * outcome, not an exception.
     */
    ToolOutcome call(String agentId, String server, String tool, String arguments, ToolContext context);

    /** The resources of one server, or of all connected servers of the agent when {@code server} is null. */
    List<McpResource> resources(String agentId, String server);

    McpResourceContents readResource(String agentId, String server, String uri);

    /** The prompts of all connected servers of the agent. */
    List<McpPromptInfo> prompts(String agentId);

    McpPromptResult prompt(String agentId, String server, String name, Map<String, String> arguments);

    @Override
    void close();
}

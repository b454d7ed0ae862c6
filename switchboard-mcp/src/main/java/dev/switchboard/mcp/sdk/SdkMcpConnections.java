package dev.switchboard.mcp.sdk;

import dev.switchboard.agent.AgentDefinition;
import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.UpstreamException;
import dev.switchboard.mcp.McpConnections;
import dev.switchboard.mcp.McpPromptInfo;
import dev.switchboard.mcp.McpPromptResult;
import dev.switchboard.mcp.McpResource;
import dev.switchboard.mcp.McpResourceContents;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.mcp.McpToolInfo;
import dev.switchboard.tool.Tool;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import dev.switchboard.vault.SecretReferences;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link McpConnections} over the official MCP Java SDK: stdio, SSE and streamable HTTP servers, each kept
 * connected by its own {@link McpConnection}.
 */
public final class SdkMcpConnections implements McpConnections {

    /** How long {@link #add}, {@link #update} and {@link #restart} wait past the server's timeout to connect. */
    private static final Duration CONNECT_GRACE = Duration.ofSeconds(5);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private final Transports transports;
    private final ReconnectPolicy policy;
    private final Map<String, AgentServers> agents = new ConcurrentHashMap<>();

    /**
     * Connections without a vault: a {@code $VAULT:} reference in a declaration fails that server with a clear error.
     *
     * @param env where {@code $VAR} / {@code ${VAR}} in declared env and header values are read from; stdio servers
     *     do not inherit it (they get only PATH, HOME, the locale and their declared env)
     */
    public SdkMcpConnections(Map<String, String> env) {
        this(env, SecretReferences.NONE, ReconnectPolicy.DEFAULT);
    }

    /** @param secrets where {@code $VAULT:name} references are read, on each connection attempt */
    public SdkMcpConnections(Map<String, String> env, SecretReferences secrets) {
        this(env, secrets, ReconnectPolicy.DEFAULT);
    }

    public SdkMcpConnections(Map<String, String> env, ReconnectPolicy policy) {
        this(env, SecretReferences.NONE, policy);
    }

    public SdkMcpConnections(Map<String, String> env, SecretReferences secrets, ReconnectPolicy policy) {
        this.transports = new Transports(env, secrets);
        this.policy = policy;
    }

    /** One agent's servers in declaration order, and the workspace they get as their root. */
    private static final class AgentServers {
        final Map<String, McpConnection> byName = new LinkedHashMap<>();
        volatile Path workspace;

        synchronized List<McpConnection> all() {
            return List.copyOf(byName.values());
        }

        synchronized McpConnection get(String name) {
            return byName.get(name);
        }

        synchronized McpConnection remove(String name) {
            return byName.remove(name);
        }
    }

    @Override
    public void open(AgentDefinition agent) {
        AgentServers servers = agents.computeIfAbsent(agent.id(), id -> new AgentServers());
        List<McpConnection> replaced = new ArrayList<>();
        List<McpConnection> started = new ArrayList<>();
        synchronized (servers) {
            servers.workspace = agent.workspace();
            // opening again (the agent's file changed) replaces what the file declared; runtime additions stay
            for (McpConnection existing : servers.byName.values()) {
                if (existing.persisted() || agent.mcpServers().containsKey(existing.name())) {
                    replaced.add(existing);
                }
            }
            replaced.forEach(existing -> servers.byName.remove(existing.name()));
            agent.mcpServers().forEach((name, declaration) -> {
                McpConnection connection = new McpConnection(agent.id(), name, declaration, true,
                        agent.workspace(), transports, policy);
                servers.byName.put(name, connection);
                started.add(connection);
            });
        }
        closeAll(replaced);
        started.forEach(McpConnection::start);
    }

    @Override
    public Optional<String> awaitReady(String agentId, Duration timeout) {
        AgentServers servers = agents.get(agentId);
        if (servers == null) {
            return Optional.empty();
        }
        Instant deadline = Instant.now().plus(timeout);
        List<String> problems = new ArrayList<>();
        for (McpConnection connection : servers.all()) {
            if (!connection.strict() || !connection.enabled()) {
                continue;
            }
            boolean settled = connection.awaitSettled(Duration.between(Instant.now(), deadline));
            McpServerState state = connection.state();
            if (!state.connected()) {
                problems.add("MCP server '" + connection.name() + "' " + (settled
                        ? "failed: " + (state.error() == null ? state.status() : state.error())
                        : "did not connect within " + timeout.toMillis() + " ms"));
            }
        }
        return problems.isEmpty() ? Optional.empty()
                : Optional.of("Agent '" + agentId + "' needs its strict MCP servers: " + String.join("; ", problems));
    }

    @Override
    public List<McpServerState> servers(String agentId) {
        AgentServers servers = agents.get(agentId);
        return servers == null ? List.of() : servers.all().stream().map(McpConnection::state).toList();
    }

    @Override
    public McpServerState server(String agentId, String name) {
        return connection(agentId, name).state();
    }

    @Override
    public McpServerState add(String agentId, String name, McpServerDeclaration declaration) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException("name", "An MCP server needs a name");
        }
        transports.check(declaration);
        AgentServers servers = agents.computeIfAbsent(agentId, id -> new AgentServers());
        McpConnection connection;
        synchronized (servers) {
            if (servers.byName.containsKey(name)) {
                throw new InvalidInputException("name", "Agent '" + agentId + "' already has an MCP server named '"
                        + name + "'");
            }
            connection = new McpConnection(agentId, name, declaration, false, servers.workspace, transports,
                    policy);
            servers.byName.put(name, connection);
        }
        McpServerState state = settle(connection.start(), declaration);
        if (connection.strict() && connection.enabled() && !state.connected()) {
            synchronized (servers) {
                servers.byName.remove(name, connection);
            }
            connection.close();
            throw new UpstreamException("MCP server '" + name + "' could not connect: "
                    + (state.error() == null ? "no answer in time" : state.error()),
                    Map.of("server", name, "agentId", agentId));
        }
        return state;
    }

    @Override
    public McpServerState update(String agentId, String name, McpServerDeclaration declaration) {
        transports.check(declaration);
        return replace(agentId, name, declaration);
    }

    @Override
    public void remove(String agentId, String name) {
        AgentServers servers = agents.get(agentId);
        McpConnection removed = servers == null ? null : servers.remove(name);
        if (removed == null) {
            throw new NotFoundException("mcp server", name);
        }
        removed.close();
    }

    @Override
    public McpServerState restart(String agentId, String name) {
        return replace(agentId, name, connection(agentId, name).declaration());
    }

    @Override
    public List<Tool> tools(String agentId) {
        AgentServers servers = agents.get(agentId);
        if (servers == null) {
            return List.of();
        }
        List<Tool> tools = new ArrayList<>();
        for (McpConnection connection : servers.all()) {
            for (McpToolInfo info : connection.tools()) {
                tools.add(new McpToolAdapter(connection, info));
            }
        }
        return tools;
    }

    @Override
    public List<McpToolInfo> toolsOf(String agentId, String server) {
        return connection(agentId, server).live().catalog().tools();
    }

    @Override
    public ToolOutcome call(String agentId, String server, String tool, String arguments, ToolContext context) {
        return connection(agentId, server).call(tool, arguments, context);
    }

    @Override
    public List<McpResource> resources(String agentId, String server) {
        if (server != null) {
            return connection(agentId, server).live().catalog().resources();
        }
        AgentServers servers = agents.get(agentId);
        return servers == null ? List.of()
                : servers.all().stream().flatMap(c -> c.resources().stream()).toList();
    }

    @Override
    public McpResourceContents readResource(String agentId, String server, String uri) {
        return connection(agentId, server).readResource(uri);
    }

    @Override
    public List<McpPromptInfo> prompts(String agentId) {
        AgentServers servers = agents.get(agentId);
        return servers == null ? List.of() : servers.all().stream().flatMap(c -> c.prompts().stream()).toList();
    }

    @Override
    public McpPromptResult prompt(String agentId, String server, String name, Map<String, String> arguments) {
        return connection(agentId, server).prompt(name, arguments);
    }

    /** Stops every server at once, waiting only briefly: the server's shutdown must not hang on one of them. */
    @Override
    public void close() {
        List<McpConnection> all = new ArrayList<>();
        agents.values().forEach(servers -> all.addAll(servers.all()));
        agents.clear();
        closeAll(all);
    }

    private McpConnection connection(String agentId, String name) {
        AgentServers servers = agents.get(agentId);
        McpConnection connection = servers == null ? null : servers.get(name);
        if (connection == null) {
            throw new NotFoundException("mcp server", name);
        }
        return connection;
    }

    /** Swaps a server's connection for a fresh one with {@code declaration}, keeping its place and origin. */
    private McpServerState replace(String agentId, String name, McpServerDeclaration declaration) {
        McpConnection old = connection(agentId, name);
        AgentServers servers = agents.get(agentId);
        McpConnection fresh = new McpConnection(agentId, name, declaration, old.persisted(), servers.workspace,
                transports, policy);
        synchronized (servers) {
            if (!servers.byName.replace(name, old, fresh)) {
                throw new NotFoundException("mcp server", name);
            }
        }
        old.close();
        return settle(fresh.start(), declaration);
    }

    private static McpServerState settle(McpConnection connection, McpServerDeclaration declaration) {
        connection.awaitSettled(Transports.timeout(declaration).plus(CONNECT_GRACE));
        return connection.state();
    }

    private static void closeAll(List<McpConnection> connections) {
        List<Thread> closing = connections.stream()
                .map(c -> Thread.ofVirtual().name("mcp-close-" + c.name()).start(c::close))
                .toList();
        Instant deadline = Instant.now().plus(CLOSE_WAIT);
        for (Thread thread : closing) {
            try {
                Duration left = Duration.between(Instant.now(), deadline);
                if (left.isNegative() || !thread.join(left)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

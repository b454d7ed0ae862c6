package dev.switchboard.mcp.sdk;

import dev.switchboard.agent.McpServerDeclaration;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.UpstreamException;
import dev.switchboard.mcp.McpPromptInfo;
import dev.switchboard.mcp.McpPromptResult;
import dev.switchboard.mcp.McpResource;
import dev.switchboard.mcp.McpResourceContents;
import dev.switchboard.mcp.McpServerState;
import dev.switchboard.mcp.McpToolInfo;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MCP server of one agent, kept connected: a supervisor thread connects, waits for the session to be lost,
 * and connects again with exponential backoff. A strict server whose first connection fails stays failed (the
 * agent cannot run without it); everything else is retried until the connection is closed.
 */
final class McpConnection implements AutoCloseable {

    static final String CONNECTING = "connecting";
    static final String CONNECTED = "connected";
    static final String RECONNECTING = "reconnecting";
    static final String FAILED = "failed";
    static final String DISABLED = "disabled";

    private static final Logger log = LoggerFactory.getLogger(McpConnection.class);

    private final String agentId;
    private final String name;
    private final McpServerDeclaration declaration;
    private final boolean persisted;
    private final Path workspace;
    private final Transports transports;
    private final ReconnectPolicy policy;
    private final CallsInFlight calls = new CallsInFlight();
    /** Completes when the first connection attempt has succeeded or failed. */
    private final CompletableFuture<Void> settled = new CompletableFuture<>();

    private volatile State state;
    private volatile McpSession session;
    private volatile boolean closed;
    private Thread supervisor;

    private record State(String status, String error, Instant connectedAt, int reconnectAttempts,
            String serverInfo) {
    }

    McpConnection(String agentId, String name, McpServerDeclaration declaration, boolean persisted, Path workspace,
            Transports transports, ReconnectPolicy policy) {
        this.agentId = agentId;
        this.name = name;
        this.declaration = declaration;
        this.persisted = persisted;
        this.workspace = workspace;
        this.transports = transports;
        this.policy = policy;
        this.state = new State(declaration.enabled() ? CONNECTING : DISABLED, null, null, 0, null);
    }

    /** Starts connecting in the background (nothing for a disabled server). */
    synchronized McpConnection start() {
        if (!declaration.enabled()) {
            settled.complete(null);
        } else if (supervisor == null && !closed) {
            supervisor = Thread.ofVirtual().name("mcp-" + agentId + "-" + name).start(this::supervise);
        }
        return this;
    }

    String name() {
        return name;
    }

    McpServerDeclaration declaration() {
        return declaration;
    }

    boolean persisted() {
        return persisted;
    }

    boolean strict() {
        return "strict".equalsIgnoreCase(declaration.connectionMode());
    }

    boolean enabled() {
        return declaration.enabled();
    }

    /** Waits, at most {@code limit}, for the first connection attempt to end; true when it did. */
    boolean awaitSettled(Duration limit) {
        try {
            settled.get(Math.max(0, limit.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("settled never fails", e);
        }
    }

    McpServerState state() {
        State now = state;
        McpSession live = session;
        return new McpServerState(agentId, name, declaration, now.status(), now.error(),
                live == null ? List.of() : live.catalog().tools(), now.connectedAt(), now.reconnectAttempts(),
                persisted, now.serverInfo());
    }

    boolean connected() {
        return session != null;
    }

    List<McpToolInfo> tools() {
        McpSession live = session;
        return live == null ? List.of() : live.catalog().tools();
    }

    List<McpResource> resources() {
        McpSession live = session;
        return live == null ? List.of() : live.catalog().resources();
    }

    List<McpPromptInfo> prompts() {
        McpSession live = session;
        return live == null ? List.of() : live.catalog().prompts();
    }

    /** The live session, for requests that must reach the server now. */
    McpSession live() {
        McpSession live = session;
        if (live == null) {
            State now = state;
            throw new UpstreamException("MCP server '" + name + "' is not connected (" + now.status()
                    + (now.error() == null ? "" : ": " + now.error()) + ")", Map.of("server", name,
                    "status", now.status()));
        }
        return live;
    }

    McpResourceContents readResource(String uri) {
        return live().readResource(uri);
    }

    McpPromptResult prompt(String prompt, Map<String, String> arguments) {
        return live().prompt(prompt, arguments);
    }

    /** Calls one of the server's tools by its own name; never throws for the server's or connection's faults. */
    ToolOutcome call(String tool, String arguments, ToolContext context) {
        McpSession live = session;
        if (live == null) {
            State now = state;
            return ToolOutcome.failure("MCP server '" + name + "' is not connected (" + now.status()
                    + (now.error() == null ? "" : ": " + now.error()) + ")");
        }
        Map<String, Object> parsed;
        try {
            parsed = Json.readObject(arguments);
        } catch (IllegalArgumentException e) {
            return ToolOutcome.failure("Arguments for '" + tool + "' are not valid: " + e.getMessage());
        }
        ToolContext callContext = context != null ? context
                : new ToolContext(null, agentId, null, null, null, null, workspace, null);
        return live.call(tool, parsed, callContext, ToolNames.qualified(name, tool));
    }

    /** Stops connecting, fails the calls in flight and stops the server (its process, for stdio). */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = supervisor;
        }
        if (running != null) {
            running.interrupt();
        }
        McpSession live = session;
        session = null;
        calls.abortAll("MCP server '" + name + "' was disconnected");
        if (live != null) {
            live.close();
        }
        settled.complete(null);
    }

    private void supervise() {
        Duration delay = policy.initialDelay();
        boolean everConnected = false;
        int attempts = 0;
        while (!closed) {
            McpSession opened;
            try {
                opened = McpSession.open(name, transports.create(agentId, name, declaration), Transports.timeout(declaration),
                        workspace, calls, policy.healthCheckEvery());
            } catch (InvalidInputException e) {
                // a declaration that cannot work will not work on the next try either
                fail(e.getMessage(), attempts);
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                String reason = McpSession.describe(e);
                if (strict() && !everConnected) {
                    fail(reason, attempts);
                    return;
                }
                attempts++;
                log.warn("MCP server '{}' of agent '{}' could not connect (attempt {}, next in {} ms): {}", name,
                        agentId, attempts, delay.toMillis(), reason);
                state = new State(RECONNECTING, reason, null, attempts, state.serverInfo());
                settled.complete(null);
                if (!pause(delay)) {
                    return;
                }
                delay = policy.next(delay);
                continue;
            }
            if (!adopt(opened)) {
                return;
            }
            everConnected = true;
            attempts = 0;
            delay = policy.initialDelay();
            String reason;
            try {
                reason = opened.awaitLoss();
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            session = null;
            // the status changes before the waiting calls hear of it: they then see the connection as it is
            state = new State(RECONNECTING, reason, null, 0, state.serverInfo());
            calls.abortAll("MCP server '" + name + "' disconnected during the call: " + reason);
            log.warn("MCP server '{}' of agent '{}' was lost: {}; reconnecting", name, agentId, reason);
            opened.discard();
            if (!pause(delay)) {
                return;
            }
        }
    }

    /** Makes a freshly opened session the live one, unless the connection was closed meanwhile. */
    private boolean adopt(McpSession opened) {
        synchronized (this) {
            if (!closed) {
                session = opened;
                state = new State(CONNECTED, null, Instant.now(), 0, opened.serverInfo());
            }
        }
        if (closed) {
            opened.close();
            return false;
        }
        log.info("MCP server '{}' of agent '{}' connected ({})", name, agentId, opened.serverInfo());
        settled.complete(null);
        return true;
    }

    private void fail(String reason, int attempts) {
        log.warn("MCP server '{}' of agent '{}' failed: {}", name, agentId, reason);
        state = new State(FAILED, reason, null, attempts, state.serverInfo());
        settled.complete(null);
    }

    /** Waits before the next attempt; false when the connection was closed meanwhile. */
    private boolean pause(Duration delay) {
        try {
            Thread.sleep(delay);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }
}

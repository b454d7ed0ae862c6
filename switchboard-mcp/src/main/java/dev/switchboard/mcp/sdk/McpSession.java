package dev.switchboard.mcp.sdk;

import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.UpstreamException;
import dev.switchboard.mcp.McpPromptResult;
import dev.switchboard.mcp.McpResourceContents;
import dev.switchboard.tool.ToolContext;
import dev.switchboard.tool.ToolOutcome;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;

/**
 * One live, initialized SDK client of one server. It knows when it is lost (the process exited, a ping went
 * unanswered) and never lets a caller wait past the request timeout; {@link McpConnection} replaces it then.
 */
final class McpSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(McpSession.class);
    private static final McpSchema.Implementation CLIENT = new McpSchema.Implementation("switchboard",
            "Switchboard", "0.1.0");
    /** How long past the SDK's own timeout a caller waits before giving up on the SDK too. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private static final ExecutorService VIRTUAL_THREADS = Executors.newVirtualThreadPerTaskExecutor();

    private final String server;
    private final McpSyncClient client;
    private final Catalog catalog;
    private final CallsInFlight calls;
    private final Duration timeout;
    private final CompletableFuture<String> lost;
    private final String serverInfo;
    private final Semaphore checkNow = new Semaphore(0);
    private volatile Thread healthCheck;

    private McpSession(String server, McpSyncClient client, Catalog catalog, CallsInFlight calls, Duration timeout,
            CompletableFuture<String> lost, String serverInfo) {
        this.server = server;
        this.client = client;
        this.catalog = catalog;
        this.calls = calls;
        this.timeout = timeout;
        this.lost = lost;
        this.serverInfo = serverInfo;
    }

    /**
     * Connects, initializes and lists what the server offers.
     *
     * @param workspace offered to the server as its root, or null for none
     * @throws RuntimeException why the server could not be reached, in words
     */
    static McpSession open(String server, Transports.Connector connector, Duration timeout, Path workspace,
            CallsInFlight calls, Duration healthCheckEvery) {
        Catalog catalog = new Catalog(server);
        ServerRequests requests = new ServerRequests(server, calls);
        McpClient.SyncSpec spec = McpClient.sync(connector.transport())
                .clientInfo(CLIENT)
                .requestTimeout(timeout)
                .initializationTimeout(timeout)
                .sampling(requests::sample)
                .elicitation(requests::elicit)
                .loggingConsumer(requests::log)
                .progressConsumer(requests::progress)
                .toolsChangeConsumer(catalog::toolsChanged)
                .resourcesChangeConsumer(catalog::resourcesChanged)
                .promptsChangeConsumer(catalog::promptsChanged);
        if (workspace != null) {
            spec.roots(new McpSchema.Root(workspace.toUri().toString(), "workspace"));
        }
        McpSyncClient client = spec.build();
        CompletableFuture<String> lost = new CompletableFuture<>();
        connector.ended().thenAccept(lost::complete);
        try {
            McpSchema.InitializeResult init = firstOf(() -> {
                McpSchema.InitializeResult result = client.initialize();
                catalog.load(client);
                return result;
            }, lost, timeout.plus(GRACE));
            McpSchema.Implementation info = init.serverInfo();
            McpSession session = new McpSession(server, client, catalog, calls, timeout, lost,
                    info == null ? null : info.name() + " " + info.version());
            session.healthCheck = Thread.ofVirtual().name("mcp-health-" + server)
                    .start(() -> session.watchHealth(healthCheckEvery));
            return session;
        } catch (RuntimeException e) {
            // nothing to be graceful with: a graceful close would wait for a server that is not there
            client.close();
            throw e;
        }
    }

    Catalog catalog() {
        return catalog;
    }

    String serverInfo() {
        return serverInfo;
    }

    /** Blocks until the connection is lost; returns why. */
    String awaitLoss() throws InterruptedException {
        try {
            return lost.get();
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause());
        }
    }

    /** Calls a tool; every way it can go wrong becomes a failed outcome. */
    ToolOutcome call(String tool, Map<String, Object> arguments, ToolContext context, String qualifiedName) {
        CallsInFlight.Call call = calls.begin(context, qualifiedName);
        AutoCloseable stopOnCancel = context.cancellation().onCancel(() -> call.abort("Cancelled"));
        if (lost.isDone()) {
            // lost between the caller's look at the connection and now: the calls it aborted did not include this
            call.abort("MCP server '" + server + "' disconnected: " + lost.join());
        }
        try {
            McpSchema.CallToolRequest request = McpSchema.CallToolRequest.builder()
                    .name(tool).arguments(arguments).progressToken(call.token).build();
            call.start(() -> client.callTool(request));
            McpSchema.CallToolResult result = call.result.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
            String text = ToolResultText.of(result);
            if (Boolean.TRUE.equals(result.isError())) {
                return ToolOutcome.failure(text.isBlank() ? "The tool reported an error" : text);
            }
            return ToolOutcome.success(text);
        } catch (TimeoutException e) {
            call.abort("timed out");
            return timedOut(tool);
        } catch (ExecutionException e) {
            return failedCall(tool, Exceptions.unwrap(e.getCause()));
        } catch (InterruptedException e) {
            call.abort("interrupted");
            Thread.currentThread().interrupt();
            return ToolOutcome.failure("Interrupted while waiting for MCP server '" + server + "'");
        } finally {
            call.close();
            closeQuietly(stopOnCancel);
        }
    }

    McpResourceContents readResource(String uri) {
        McpSchema.ReadResourceResult result = answer("read resource '" + uri + "'",
                () -> client.readResource(new McpSchema.ReadResourceRequest(uri)), "mcp resource", uri);
        return CoreRecords.contents(result);
    }

    McpPromptResult prompt(String name, Map<String, String> arguments) {
        Map<String, Object> values = arguments == null ? Map.of() : Map.copyOf(arguments);
        McpSchema.GetPromptResult result = answer("get prompt '" + name + "'",
                () -> client.getPrompt(new McpSchema.GetPromptRequest(name, values)), "mcp prompt", name);
        return CoreRecords.promptResult(result);
    }

    /** Closes gracefully: a stdio server gets SIGTERM and is awaited, briefly. */
    @Override
    public void close() {
        stopWatching();
        close(client);
    }

    /** Closes at once, for a session already lost: a graceful close would wait for a server that is gone. */
    void discard() {
        stopWatching();
        client.close();
    }

    private void stopWatching() {
        lost.complete("the connection was closed");
        Thread checker = healthCheck;
        if (checker != null) {
            checker.interrupt();
        }
    }

    private ToolOutcome failedCall(String tool, Throwable cause) {
        if (cause instanceof CallsInFlight.Aborted aborted) {
            return ToolOutcome.failure(aborted.getMessage());
        }
        if (cause instanceof McpError error) {
            return ToolOutcome.failure("MCP server '" + server + "' refused '" + tool + "': " + error.getMessage());
        }
        if (cause instanceof TimeoutException) {
            return timedOut(tool);
        }
        // not an answer from the server: the connection may be broken, find out now rather than at the next ping
        checkNow.release();
        return ToolOutcome.failure("MCP server '" + server + "' failed during '" + tool + "': " + describe(cause));
    }

    private ToolOutcome timedOut(String tool) {
        checkNow.release();
        return ToolOutcome.failure("MCP server '" + server + "' did not answer '" + tool + "' within "
                + timeout.toMillis() + " ms");
    }

    /** A request other than a tool call: errors become the core's failures. */
    private <T> T answer(String what, Supplier<T> request, String kind, String id) {
        try {
            return firstOf(request, lost, timeout.plus(GRACE));
        } catch (RuntimeException e) {
            Throwable cause = Exceptions.unwrap(e);
            if (cause instanceof McpError error && error.getJsonRpcError() != null
                    && error.getJsonRpcError().code() == McpSchema.ErrorCodes.RESOURCE_NOT_FOUND) {
                throw new NotFoundException(kind, id);
            }
            if (!(cause instanceof McpError)) {
                checkNow.release();
            }
            throw new UpstreamException("MCP server '" + server + "' could not " + what + ": " + describe(cause),
                    Map.of("server", server));
        }
    }

    private void watchHealth(Duration every) {
        while (!lost.isDone()) {
            try {
                checkNow.tryAcquire(every.toMillis(), TimeUnit.MILLISECONDS);
                checkNow.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            if (lost.isDone()) {
                return;
            }
            try {
                firstOf(client::ping, lost, timeout.plus(GRACE));
            } catch (RuntimeException e) {
                lost.complete("it stopped answering pings: " + describe(Exceptions.unwrap(e)));
            }
        }
    }

    /**
     * Runs a blocking SDK request, but stops waiting as soon as the connection is lost (the SDK would wait for its
     * timeout) or after {@code limit}.
     */
    private static <T> T firstOf(Supplier<T> request, CompletableFuture<String> lost, Duration limit) {
        CompletableFuture<T> result = CompletableFuture.supplyAsync(request, VIRTUAL_THREADS);
        try {
            CompletableFuture.anyOf(result, lost).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(false);
            throw new IllegalStateException("no answer within " + limit.toMillis() + " ms");
        } catch (ExecutionException e) {
            // the request failed: reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (result.isDone() && !result.isCompletedExceptionally()) {
            return result.join();
        }
        if (lost.isDone()) {
            throw new IllegalStateException(lost.join());
        }
        try {
            return result.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Closes gracefully, but never waits long: the SDK's own limit is 10 s. */
    private static void close(McpSyncClient client) {
        Thread closing = Thread.ofVirtual().start(() -> {
            try {
                client.closeGracefully();
            } catch (RuntimeException e) {
                log.debug("Graceful close of an MCP client failed", e);
            }
        });
        try {
            if (!closing.join(CLOSE_WAIT)) {
                log.debug("An MCP client did not close within {} ms; closing it at once", CLOSE_WAIT.toMillis());
                client.close();
            }
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("Could not unregister a cancel action", e);
        }
    }

    /** An exception in words, down to its root cause, for statuses and tool errors. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage();
        String rootMessage = root.getMessage();
        if (root != e && rootMessage != null && (message == null || !message.contains(rootMessage))) {
            message = (message == null ? "" : message + ": ") + rootMessage;
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}

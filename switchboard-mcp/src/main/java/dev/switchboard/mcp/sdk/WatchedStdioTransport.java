package dev.switchboard.mcp.sdk;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The SDK's stdio transport, told when its process exits. The SDK itself does not notice a dead server: calls would
 * wait for their timeout. The last lines the process wrote to stderr go into the reason, since they usually say why.
 */
final class WatchedStdioTransport extends StdioClientTransport {

    private static final Logger log = LoggerFactory.getLogger(WatchedStdioTransport.class);
    private static final int TAIL_LINES = 5;

    private final String server;
    private final CompletableFuture<String> exited = new CompletableFuture<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private volatile int stderrLines;

    WatchedStdioTransport(String server, ServerParameters parameters) {
        super(parameters, Json.MCP);
        this.server = server;
        setStdErrorHandler(this::stderr);
    }

    /** Starts from an empty environment: the process gets only what {@link Transports} chose to give it. */
    @Override
    protected ProcessBuilder getProcessBuilder() {
        ProcessBuilder builder = new ProcessBuilder();
        builder.environment().clear();
        return builder;
    }

    /** Completes with a reason once the process has exited. */
    CompletableFuture<String> exited() {
        return exited;
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        // the process exists once the SDK's connect has run; only then can its exit be awaited
        return super.connect(handler)
                .doOnSuccess(started -> Thread.ofVirtual().name("mcp-exit-" + server).start(this::watchExit))
                .doOnError(e -> exited.complete("the server process could not start: " + McpSession.describe(e)));
    }

    private void watchExit() {
        try {
            awaitForExit();
        } catch (RuntimeException e) {
            log.debug("Stopped watching the process of MCP server '{}'", server, e);
            return;
        }
        awaitStderrDrained();
        String tail;
        synchronized (stderrTail) {
            tail = String.join("\n", stderrTail);
        }
        exited.complete("the server process exited" + (tail.isEmpty() ? "" : "; its last output:\n" + tail));
    }

    /**
     * The SDK reads stderr on a thread of its own, which may still be draining the pipe when the exit is noticed:
     * waits until no line has come for a moment (at most a second), so that the reason holds what the process said.
     */
    private void awaitStderrDrained() {
        long deadline = System.nanoTime() + 1_000_000_000L;
        long quietSince = System.nanoTime();
        int seen = stderrLines;
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (stderrLines != seen) {
                seen = stderrLines;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > (seen == 0 ? 300_000_000L : 100_000_000L)) {
                return;
            }
        }
    }

    private void stderr(String line) {
        stderrLines++;
        log.debug("MCP server '{}' stderr: {}", server, line);
        synchronized (stderrTail) {
            if (stderrTail.size() == TAIL_LINES) {
                stderrTail.removeFirst();
            }
            stderrTail.addLast(line);
        }
    }
}

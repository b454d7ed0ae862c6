package dev.switchboard.mcp.sdk;

import dev.switchboard.tool.ToolContext;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The tool calls one connection is waiting on, so that what the server sends meanwhile reaches the right run.
 * Progress carries the call's token and finds its call exactly; log lines, sampling and elicitation requests carry
 * nothing the SDK lets us match, so they go to the most recent call (the usual case is one call at a time).
 */
final class CallsInFlight {

    private final Map<String, Call> byToken = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();

    /** Registers a call; close the returned call when it ends. */
    Call begin(ToolContext context, String qualifiedName) {
        long order = counter.incrementAndGet();
        Call call = new Call("switchboard-" + order, order, context, qualifiedName);
        byToken.put(call.token, call);
        return call;
    }

    Optional<Call> byToken(Object progressToken) {
        return progressToken == null ? Optional.empty() : Optional.ofNullable(byToken.get(progressToken.toString()));
    }

    Optional<Call> mostRecent() {
        return byToken.values().stream().max((a, b) -> Long.compare(a.order, b.order));
    }

    /** Ends every waiting call with {@code reason}, as when the connection is lost. */
    void abortAll(String reason) {
        byToken.values().forEach(call -> call.abort(reason));
    }

    /** One waiting call: its context, the progress token sent with it and the result it waits for. */
    final class Call implements AutoCloseable {

        final String token;
        final ToolContext context;
        final String qualifiedName;
        final CompletableFuture<McpSchema.CallToolResult> result = new CompletableFuture<>();
        private final long order;
        private volatile Thread worker;

        private Call(String token, long order, ToolContext context, String qualifiedName) {
            this.token = token;
            this.order = order;
            this.context = context;
            this.qualifiedName = qualifiedName;
        }

        /** Runs the blocking SDK call on its own virtual thread, so that an abort can interrupt it. */
        void start(Supplier<McpSchema.CallToolResult> request) {
            if (result.isDone()) {
                return;
            }
            Thread started = Thread.ofVirtual().name("mcp-call-" + token).start(() -> {
                try {
                    result.complete(request.get());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
            worker = started;
            if (result.isCompletedExceptionally()) {
                // aborted while starting, before abort() could see the worker
                started.interrupt();
            }
        }

        /** Stops waiting: the caller gets {@link Aborted} with the reason. */
        void abort(String reason) {
            if (result.completeExceptionally(new Aborted(reason))) {
                Thread running = worker;
                if (running != null) {
                    // unblocks the SDK's wait and drops its pending request
                    running.interrupt();
                }
            }
        }

        @Override
        public void close() {
            byToken.remove(token, this);
        }
    }

    /** A call ended before its server answered. */
    static final class Aborted extends RuntimeException {
        Aborted(String reason) {
            super(reason, null, false, false);
        }
    }
}

package dev.switchboard.face.mcp;

import io.javalin.http.Context;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * One HTTP response of the MCP endpoint, as the SDK's session sees it: the messages it sends become either one
 * JSON body or a Server-Sent Events stream.
 *
 * <p>A response to a POSTed request stays undecided until the first message: when that is the request's own answer
 * it goes out as {@code application/json}; anything sent before it (progress, log messages), or a keep-alive
 * during a long call, turns the response into an SSE stream that ends with the answer. A client that accepts only
 * JSON gets the answer alone, one that accepts only SSE always a stream. The GET stream is SSE from the start.
 */
final class McpResponse implements McpStreamableServerTransport {

    private enum Mode { UNDECIDED, JSON, SSE }

    private final Context ctx;
    private final McpJsonMapper mapper;
    private final Object requestId;
    private final boolean sseAccepted;
    private final boolean jsonAccepted;
    private final CountDownLatch ended = new CountDownLatch(1);
    private Mode mode = Mode.UNDECIDED;
    private OutputStream out;
    private boolean closed;
    private boolean answered;

    private McpResponse(Context ctx, McpJsonMapper mapper, Object requestId, boolean sseAccepted,
            boolean jsonAccepted) {
        this.ctx = ctx;
        this.mapper = mapper;
        this.requestId = requestId;
        this.sseAccepted = sseAccepted;
        this.jsonAccepted = jsonAccepted;
    }

    /** The response to a POSTed request with id {@code requestId}, in a form the client accepts. */
    static McpResponse forRequest(Context ctx, McpJsonMapper mapper, Object requestId, boolean sseAccepted,
            boolean jsonAccepted) {
        return new McpResponse(ctx, mapper, requestId, sseAccepted, jsonAccepted);
    }

    /** The server-to-client stream a GET opens: its headers go out at once. */
    static McpResponse listening(Context ctx, McpJsonMapper mapper) {
        McpResponse response = new McpResponse(ctx, mapper, null, true, false);
        synchronized (response) {
            response.startSse();
            response.write(": stream open\n\n");
        }
        return response;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return Mono.fromRunnable(() -> send(message));
    }

    private synchronized void send(McpSchema.JSONRPCMessage message) {
        if (closed) {
            return;
        }
        boolean answer = requestId != null && message instanceof McpSchema.JSONRPCResponse response
                && Objects.equals(response.id(), requestId);
        String json;
        try {
            json = mapper.writeValueAsString(message);
        } catch (IOException e) {
            throw new IllegalStateException("An MCP message could not be written as JSON", e);
        }
        if (mode == Mode.UNDECIDED) {
            if ((answer && jsonAccepted) || !sseAccepted) {
                if (!answer) {
                    // a client that takes only JSON hears nothing but the answer
                    return;
                }
                mode = Mode.JSON;
                ctx.status(200);
                ctx.res().setContentType("application/json");
                byte[] body = json.getBytes(StandardCharsets.UTF_8);
                ctx.res().setContentLength(body.length);
                answered = true;
                writeBytes(body);
                end();
                return;
            }
            startSse();
        }
        write("event: message\ndata: " + json + "\n\n");
        if (answer) {
            answered = true;
            end();
        }
    }

    /** A sign of life while a call takes long: makes an undecided response a stream and writes a comment. */
    synchronized void keepAlive() {
        if (closed || !sseAccepted) {
            return;
        }
        if (mode == Mode.UNDECIDED) {
            startSse();
        }
        write(": keep-alive\n\n");
    }

    /** Whether the request's answer went out. */
    synchronized boolean answered() {
        return answered;
    }

    /** Whether nothing has been written yet, so the handler may still answer with a status of its own. */
    synchronized boolean untouched() {
        return mode == Mode.UNDECIDED;
    }

    /** Waits until the response has ended (answered, closed, or its client gone), at most {@code millis}. */
    boolean awaitEnd(long millis) throws InterruptedException {
        return ended.await(millis, TimeUnit.MILLISECONDS);
    }

    boolean isOpen() {
        return ended.getCount() > 0;
    }

    private void startSse() {
        mode = Mode.SSE;
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
    }

    private void write(String text) {
        writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private void writeBytes(byte[] bytes) {
        try {
            if (out == null) {
                out = ctx.res().getOutputStream();
            }
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // the client went away: nothing more can reach it
            end();
        }
    }

    private void end() {
        closed = true;
        ended.countDown();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return mapper.convertValue(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    @Override
    public synchronized void close() {
        end();
    }
}

package dev.switchboard.face.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.face.api.Json;
import io.javalin.http.Context;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The streamable HTTP transport of MCP (spec 2025-03-26 and later) on Javalin routes, so that every request has
 * passed the server's API-key check and the face's Host/Origin guard before it gets here. The SDK's sessions do the
 * protocol; this class does HTTP: {@code POST} carries JSON-RPC messages, {@code GET} opens the session's
 * server-to-client stream, {@code DELETE} ends the session.
 *
 * <p>A session belongs to the caller and the route it was opened on ({@code /mcp} or one
 * {@code /mcp/{acpSessionToken}}); anywhere else its id is unknown (404). Sessions unused for an hour are dropped
 * when a new one starts. No event store is kept, so streams cannot be resumed with {@code Last-Event-ID}.
 */
final class StreamableHttpTransport implements McpStreamableServerTransportProvider {

    private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpTransport.class);

    /** Keys of the transport context a tool call sees. */
    static final String OWNER = "dev.switchboard/owner";
    static final String TOKEN = "dev.switchboard/token";
    static final String RESPONSE = "dev.switchboard/response";

    static final List<String> PROTOCOL_VERSIONS = List.of("2025-03-26", "2025-06-18", "2025-11-25");
    private static final long IDLE_MILLIS = Duration.ofHours(1).toMillis();
    private static final long DRAIN_MILLIS = 3000;

    /** One open MCP session and where it was opened. */
    private static final class Entry {
        final McpStreamableServerSession session;
        final String ownerId;
        final String token;
        final AtomicReference<McpResponse> listening = new AtomicReference<>();
        volatile long lastUsed = System.currentTimeMillis();

        Entry(McpStreamableServerSession session, Caller caller) {
            this.session = session;
            this.ownerId = caller.ownerId();
            this.token = caller.token();
        }

        boolean openedBy(Caller caller) {
            return ownerId.equals(caller.ownerId()) && java.util.Objects.equals(token, caller.token());
        }
    }

    private final McpJsonMapper mapper;
    private final long keepAliveMillis;
    private final Runnable beforeToolRequest;
    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private volatile McpStreamableServerSession.Factory sessionFactory;
    private volatile boolean closing;
    /** Guards {@link #inFlight}, the POSTed requests not answered yet. */
    private final Object requests = new Object();
    private int inFlight;

    /**
     * @param beforeToolRequest runs before a {@code tools/list} or {@code tools/call} is handled, so the tools on
     *     offer are current
     */
    StreamableHttpTransport(McpJsonMapper mapper, int keepAliveSeconds, Runnable beforeToolRequest) {
        this.mapper = mapper;
        this.keepAliveMillis = TimeUnit.SECONDS.toMillis(keepAliveSeconds);
        this.beforeToolRequest = beforeToolRequest;
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        this.sessionFactory = sessionFactory;
    }

    @Override
    public List<String> protocolVersions() {
        return PROTOCOL_VERSIONS;
    }

    /** {@code POST}: one JSON-RPC request, notification or response. */
    void post(Context ctx, Caller caller) throws IOException {
        if (closing) {
            fail(ctx, 503, -32000, "The server is shutting down");
            return;
        }
        String contentType = ctx.header("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).contains("application/json")) {
            fail(ctx, 415, -32000, "Unsupported Media Type: Content-Type must be application/json");
            return;
        }
        String accept = ctx.header("Accept") == null ? "" : ctx.header("Accept").toLowerCase(Locale.ROOT);
        boolean anything = accept.isBlank() || accept.contains("*/*");
        boolean sse = anything || accept.contains("text/event-stream");
        boolean json = anything || accept.contains("application/json") || accept.contains("application/*");
        if (!sse && !json) {
            fail(ctx, 406, -32000, "Not Acceptable: the client must accept application/json or text/event-stream");
            return;
        }
        McpSchema.JSONRPCMessage message = read(ctx);
        if (message == null) {
            return;
        }
        if (message instanceof McpSchema.JSONRPCRequest request
                && McpSchema.METHOD_INITIALIZE.equals(request.method())) {
            initialize(ctx, caller, request);
            return;
        }
        Entry entry = session(ctx, caller);
        if (entry == null) {
            return;
        }
        McpTransportContext context = context(caller, null);
        switch (message) {
            case McpSchema.JSONRPCNotification notification -> {
                entry.session.accept(notification).contextWrite(c -> c.put(McpTransportContext.KEY, context))
                        .block();
                ctx.status(202);
            }
            case McpSchema.JSONRPCResponse response -> {
                try {
                    entry.session.accept(response).contextWrite(c -> c.put(McpTransportContext.KEY, context))
                            .block();
                } catch (RuntimeException e) {
                    LOG.debug("An MCP client answered a request the server does not wait for: {}", e.toString());
                }
                ctx.status(202);
            }
            case McpSchema.JSONRPCRequest request -> handle(ctx, caller, entry, request, sse, json);
            default -> fail(ctx, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: not a JSON-RPC message");
        }
    }

    private void initialize(Context ctx, Caller caller, McpSchema.JSONRPCRequest request) throws IOException {
        McpSchema.InitializeRequest params;
        try {
            params = mapper.convertValue(request.params(), McpSchema.InitializeRequest.class);
        } catch (RuntimeException e) {
            respond(ctx, 200, McpSchema.JSONRPCResponse.error(request.id(), new McpSchema.JSONRPCResponse.JSONRPCError(
                    McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid initialize parameters: " + e.getMessage())));
            return;
        }
        if (params == null || params.protocolVersion() == null) {
            respond(ctx, 200, McpSchema.JSONRPCResponse.error(request.id(), new McpSchema.JSONRPCResponse.JSONRPCError(
                    McpSchema.ErrorCodes.INVALID_PARAMS, "initialize needs params.protocolVersion")));
            return;
        }
        dropIdleSessions();
        McpStreamableServerSession.McpStreamableServerSessionInit init = sessionFactory.startSession(params);
        McpSchema.InitializeResult result = init.initResult().block();
        sessions.put(init.session().getId(), new Entry(init.session(), caller));
        ctx.header(HttpHeaders.MCP_SESSION_ID, init.session().getId());
        respond(ctx, 200, McpSchema.JSONRPCResponse.result(request.id(), result));
    }

    private void handle(Context ctx, Caller caller, Entry entry, McpSchema.JSONRPCRequest request, boolean sse,
            boolean json) throws IOException {
        if (McpSchema.METHOD_TOOLS_LIST.equals(request.method())
                || McpSchema.METHOD_TOOLS_CALL.equals(request.method())) {
            beforeToolRequest.run();
        }
        McpResponse response = McpResponse.forRequest(ctx, mapper, request.id(), sse, json);
        McpTransportContext context = context(caller, response);
        synchronized (requests) {
            inFlight++;
        }
        try {
            entry.session.responseStream(response).handle(request)
                    .contextWrite(c -> c.put(McpTransportContext.KEY, context))
                    .block();
        } catch (RuntimeException e) {
            LOG.warn("MCP request {} failed", request.method(), e);
        } finally {
            entry.lastUsed = System.currentTimeMillis();
            synchronized (requests) {
                inFlight--;
                requests.notifyAll();
            }
        }
        if (!response.answered() && response.untouched()) {
            respond(ctx, 500, McpSchema.JSONRPCResponse.error(request.id(), new McpSchema.JSONRPCResponse.JSONRPCError(
                    McpSchema.ErrorCodes.INTERNAL_ERROR, "The server failed to answer; the error is in its log")));
        }
        response.close();
    }

    /** {@code GET}: the session's stream of server-initiated messages, open until the session or client ends. */
    void get(Context ctx, Caller caller) throws IOException, InterruptedException {
        if (closing) {
            fail(ctx, 503, -32000, "The server is shutting down");
            return;
        }
        String accept = ctx.header("Accept");
        if (accept == null || !accept.toLowerCase(Locale.ROOT).contains("text/event-stream")) {
            fail(ctx, 406, -32000, "Not Acceptable: GET opens an SSE stream; accept text/event-stream");
            return;
        }
        Entry entry = session(ctx, caller);
        if (entry == null) {
            return;
        }
        McpResponse stream;
        synchronized (entry) {
            McpResponse earlier = entry.listening.get();
            if (earlier != null && earlier.isOpen()) {
                fail(ctx, 409, -32000, "Conflict: this session already has an open GET stream");
                return;
            }
            stream = McpResponse.listening(ctx, mapper);
            entry.listening.set(stream);
        }
        McpStreamableServerSession.McpStreamableServerSessionStream listening = entry.session.listeningStream(stream);
        try {
            while (!stream.awaitEnd(keepAliveMillis) && !closing) {
                stream.keepAlive();
                entry.lastUsed = System.currentTimeMillis();
            }
        } finally {
            listening.close();
            entry.listening.compareAndSet(stream, null);
            entry.lastUsed = System.currentTimeMillis();
        }
    }

    /** {@code DELETE}: ends the session. */
    void delete(Context ctx, Caller caller) throws IOException {
        Entry entry = session(ctx, caller);
        if (entry == null) {
            return;
        }
        end(ctx.header(HttpHeaders.MCP_SESSION_ID), entry);
        ctx.status(204);
    }

    private void end(String id, Entry entry) {
        sessions.remove(id, entry);
        McpResponse listening = entry.listening.getAndSet(null);
        if (listening != null) {
            listening.close();
        }
        try {
            entry.session.delete().block(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debug("Ending MCP session {} did not go cleanly: {}", id, e.toString());
        }
    }

    private void dropIdleSessions() {
        long cutoff = System.currentTimeMillis() - IDLE_MILLIS;
        sessions.forEach((id, entry) -> {
            McpResponse listening = entry.listening.get();
            if (entry.lastUsed < cutoff && (listening == null || !listening.isOpen())) {
                LOG.debug("Dropping MCP session {}, unused for an hour", id);
                end(id, entry);
            }
        });
    }

    /** The session the request names, or null after answering 400 (no id) or 404 (unknown here). */
    private Entry session(Context ctx, Caller caller) throws IOException {
        String id = ctx.header(HttpHeaders.MCP_SESSION_ID);
        if (id == null || id.isBlank()) {
            fail(ctx, 400, -32000, "Bad Request: the Mcp-Session-Id header is required; initialize first");
            return null;
        }
        Entry entry = sessions.get(id);
        if (entry == null || !entry.openedBy(caller)) {
            fail(ctx, 404, -32001, "Session not found: initialize a new one");
            return null;
        }
        String version = ctx.header(HttpHeaders.PROTOCOL_VERSION);
        if (version != null && !PROTOCOL_VERSIONS.contains(version.strip())) {
            fail(ctx, 400, -32000, "Bad Request: unsupported MCP-Protocol-Version '" + version + "'; supported: "
                    + String.join(", ", PROTOCOL_VERSIONS));
            return null;
        }
        entry.lastUsed = System.currentTimeMillis();
        return entry;
    }

    /** The posted JSON-RPC message, or null after answering 400 for a malformed one. */
    private McpSchema.JSONRPCMessage read(Context ctx) throws IOException {
        String body = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            fail(ctx, 400, McpSchema.ErrorCodes.PARSE_ERROR, "Parse error: the body is not JSON");
            return null;
        }
        if (node != null && node.isArray()) {
            fail(ctx, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: batches are not supported; send "
                    + "one JSON-RPC message per request");
            return null;
        }
        if (node == null || !node.isObject() || !"2.0".equals(node.path("jsonrpc").asText())) {
            fail(ctx, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: expected one JSON-RPC 2.0 message");
            return null;
        }
        try {
            return McpSchema.deserializeJsonRpcMessage(mapper, body);
        } catch (IOException | RuntimeException e) {
            fail(ctx, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: " + e.getMessage());
            return null;
        }
    }

    private McpTransportContext context(Caller caller, McpResponse response) {
        Map<String, Object> values = new HashMap<>();
        values.put(OWNER, caller.ownerId());
        if (caller.token() != null) {
            values.put(TOKEN, caller.token());
        }
        if (response != null) {
            values.put(RESPONSE, response);
        }
        return McpTransportContext.create(values);
    }

    /** A JSON-RPC error about the HTTP request itself, so it answers no message id ({@code "id": null}). */
    private static void fail(Context ctx, int status, int code, String message) {
        ObjectNode body = Json.object().put("jsonrpc", "2.0").putNull("id");
        body.putObject("error").put("code", code).put("message", message);
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    private void respond(Context ctx, int status, McpSchema.JSONRPCResponse message) throws IOException {
        ctx.status(status).contentType("application/json").result(mapper.writeValueAsString(message));
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Mono.fromRunnable(() -> sessions.values().forEach(entry -> {
            try {
                entry.session.sendNotification(method, params).block(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("Could not notify MCP session {}: {}", entry.session.getId(), e.toString());
            }
        }));
    }

    /**
     * Refuses new requests (503), lets the ones in progress answer for a few seconds (the face has already told
     * calls waiting for an agent to give up), then ends every session and its GET stream.
     */
    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> {
            closing = true;
            awaitRequests(DRAIN_MILLIS);
            sessions.forEach(this::end);
        });
    }

    private void awaitRequests(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (requests) {
            long left;
            while (inFlight > 0 && (left = deadline - System.currentTimeMillis()) > 0) {
                try {
                    requests.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}

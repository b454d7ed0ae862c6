package dev.switchboard.face.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.content.ContentPart;
import dev.switchboard.event.Event;
import dev.switchboard.event.EventHub;
import dev.switchboard.event.EventPayload;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.ContentInput;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.JsonCheck;
import dev.switchboard.face.api.Routes;
import dev.switchboard.face.api.Wire;
import dev.switchboard.face.ws.Audience;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.SwitchboardException;
import dev.switchboard.failure.UnauthorizedException;
import dev.switchboard.identity.Authenticator;
import dev.switchboard.identity.OneTimeCodes;
import dev.switchboard.run.RunEngine;
import dev.switchboard.run.Submission;
import dev.switchboard.session.Message;
import dev.switchboard.session.Session;
import dev.switchboard.session.SessionDirectory;
import dev.switchboard.session.Sessions;
import dev.switchboard.user.Principal;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.socket.engineio.server.Emitter;
import io.socket.engineio.server.EngineIoServer;
import io.socket.engineio.server.EngineIoServerOptions;
import io.socket.engineio.server.EngineIoSocket;
import io.socket.engineio.server.parser.Packet;
import io.socket.socketio.server.SocketIoServer;
import io.socket.socketio.server.SocketIoSocket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Socket.IO (seed 003) on the main port: protocol v5 over Engine.IO 4, polling and websocket transports, through
 * {@code io.socket:socket.io-server}. Clients {@code chat:join}, {@code chat:message} and {@code chat:close}; the
 * server streams each joined conversation as {@code chat:stream} chunks and {@code chat:done}, and tells every
 * socket of the user about {@code agent:status} and {@code bus:message}. All of it projects the one event stream.
 *
 * <p>The transport routes are public (a Socket.IO client sends its credentials only in the namespace's CONNECT
 * packet, {@code auth: {token}}, after the Engine.IO handshake); the CONNECT itself is refused with a
 * {@code connect_error} unless it carries a valid token there, in the handshake's query or its Authorization header.
 */
public final class SocketIoFace implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SocketIoFace.class);
    static final String PATH = "/socket.io/";
    private static final int HISTORY = 50;

    private final Authenticator authenticator;
    private final OneTimeCodes codes;
    private final Sessions sessions;
    private final RunEngine engine;
    private final EventHub events;
    private final SessionDirectory directory;
    private final ContentInput contentInput;
    private final EngineIoServer engineIo;
    private final Audience<ChatSocket> audience = new Audience<>();
    /** Who each Engine.IO connection authenticated as, by its id, between CONNECT and the socket's creation. */
    private final Map<String, Principal> authenticated = new ConcurrentHashMap<>();
    private AutoCloseable tap;

    public SocketIoFace(Authenticator authenticator, OneTimeCodes codes, Sessions sessions, RunEngine engine,
            EventHub events, SessionDirectory directory, ContentInput contentInput) {
        this.authenticator = authenticator;
        this.codes = codes;
        this.sessions = sessions;
        this.engine = engine;
        this.events = events;
        this.directory = directory;
        this.contentInput = contentInput;
        EngineIoServerOptions options = EngineIoServerOptions.newFromDefault();
        // the server's own CORS policy answers browsers; Engine.IO's would allow every origin with credentials
        options.setCorsHandlingDisabled(true);
        options.setMaxTimeoutThreadPoolSize(2);
        this.engineIo = new EngineIoServer(options);
        SocketIoServer socketIo = new SocketIoServer(engineIo);
        // registered after the Socket.IO server's own listener, so that it can wrap that listener's data handler
        engineIo.on("connection", args -> guard((EngineIoSocket) args[0]));
        socketIo.namespace("/").on("connection", args -> connected((SocketIoSocket) args[0]));
    }

    /** Starts following every session's events for {@code agent:status}; call once. */
    public SocketIoFace start() {
        tap = events.tap(this::status);
        return this;
    }

    /** Follows the agent bus: each stored message goes out as {@code bus:message}. */
    public SocketIoFace follow(BusFeed bus) {
        bus.onMessage(this::busMessage);
        return this;
    }

    public void register(Routes routes) {
        routes.open().get(PATH, this::poll).post(PATH, this::poll);
        routes.websocket(PATH, ctx -> { }, this::configure);
    }

    private void poll(Context ctx) throws Exception {
        LongPoll.handle(engineIo, ctx.req(), ctx.res());
    }

    private void configure(WsConfig ws) {
        String adapter = EngineIoSocketOverJavalin.class.getName();
        ws.onConnect(ctx -> {
            EngineIoSocketOverJavalin socket = new EngineIoSocketOverJavalin(ctx);
            ctx.attribute(adapter, socket);
            engineIo.handleWebSocket(socket);
        });
        ws.onMessage(ctx -> adapterOf(ctx).emit("message", ctx.message()));
        ws.onBinaryMessage(ctx -> adapterOf(ctx).emit("message", (Object) ctx.data()));
        ws.onClose(ctx -> {
            EngineIoSocketOverJavalin socket = adapterOf(ctx);
            if (socket != null) {
                socket.emit("close");
            }
        });
        ws.onError(ctx -> {
            EngineIoSocketOverJavalin socket = adapterOf(ctx);
            if (socket != null) {
                socket.emit("error", "write error", String.valueOf(ctx.error()));
            }
        });
    }

    private static EngineIoSocketOverJavalin adapterOf(WsContext ctx) {
        return ctx.attribute(EngineIoSocketOverJavalin.class.getName());
    }

    /**
     * Puts the credential check in front of the Socket.IO client's handler of this connection's data: a CONNECT
     * packet passes only with a valid credential, and is otherwise answered with CONNECT_ERROR.
     */
    private void guard(EngineIoSocket connection) {
        List<Emitter.Listener> inner = connection.listeners("data");
        connection.off("data");
        connection.on("data", (Emitter.Listener) args -> {
            if (args.length > 0 && args[0] instanceof String text && text.startsWith("0")) {
                String namespace = "/";
                String payload = text.substring(1);
                if (payload.startsWith("/")) {
                    int comma = payload.indexOf(',');
                    namespace = comma < 0 ? payload : payload.substring(0, comma);
                    payload = comma < 0 ? "" : payload.substring(comma + 1);
                }
                try {
                    authenticated.put(connection.getId(), authenticate(payload, connection));
                } catch (SwitchboardException e) {
                    String prefix = namespace.equals("/") ? "" : namespace + ",";
                    JSONObject error = new JSONObject().put("message", e.getMessage())
                            .put("data", new JSONObject().put("code", e.code()));
                    connection.send(new Packet<>(Packet.MESSAGE, "4" + prefix + error));
                    return;
                }
            }
            for (Emitter.Listener listener : inner) {
                listener.call(args);
            }
        });
        connection.on("close", (Emitter.Listener) args -> authenticated.remove(connection.getId()));
    }

    private Principal authenticate(String connectPayload, EngineIoSocket connection) {
        String token = null;
        if (!connectPayload.isBlank()) {
            try {
                JsonNode auth = Json.MAPPER.readTree(connectPayload);
                token = auth.path("token").isTextual() ? auth.path("token").asText() : null;
            } catch (java.io.IOException e) {
                throw new InvalidInputException("auth", "the CONNECT packet's auth must be a JSON object");
            }
        }
        if (token == null) {
            token = connection.getInitialQuery().get("token");
        }
        if (token == null) {
            List<String> authorization = connection.getInitialHeaders().entrySet().stream()
                    .filter(h -> h.getKey().equalsIgnoreCase("Authorization")).map(Map.Entry::getValue)
                    .findFirst().orElse(List.of());
            if (!authorization.isEmpty() && authorization.getFirst().regionMatches(true, 0, "Bearer ", 0, 7)) {
                token = authorization.getFirst().substring(7).strip();
            }
        }
        if (token == null || token.isBlank()) {
            throw new UnauthorizedException("Credentials are required: connect with auth: {token: '<token>'}");
        }
        String credential = token.strip();
        Principal principal = codes.redeemWsTicket(credential).orElseGet(() -> authenticator.authenticate(credential));
        if (!principal.may(Principal.WRITE)) {
            throw new ForbiddenException("This token lacks the 'write' scope, which chat needs",
                    Map.of("required", Principal.WRITE));
        }
        return principal;
    }

    private void connected(SocketIoSocket socket) {
        Principal principal = authenticated.remove(socket.getClient().getId());
        if (principal == null) {
            // cannot happen behind the guard; refuse anyway rather than serve an anonymous socket
            socket.disconnect(true);
            return;
        }
        ChatSocket chat = new ChatSocket(socket, principal);
        audience.add(principal.userId(), principal.isAdmin(), chat);
        socket.on("chat:join", args -> handle(chat, "chat:join", args, this::join));
        socket.on("chat:message", args -> handle(chat, "chat:message", args, this::message));
        socket.on("chat:close", args -> handle(chat, "chat:close", args, this::closeChat));
        socket.on("disconnect", args -> {
            chat.leaveAll();
            audience.remove(principal.userId(), chat);
        });
    }

    /** What one client event does; returns the acknowledgement's payload. */
    @FunctionalInterface
    private interface Action {
        ObjectNode apply(ChatSocket chat, Body body);
    }

    /** Runs a client event; failures go back on the acknowledgement and as a {@code chat:stream} error chunk. */
    private void handle(ChatSocket chat, String event, Object[] args, Action action) {
        SocketIoSocket.ReceivedByLocalAcknowledgementCallback ack =
                args.length > 0 && args[args.length - 1] instanceof SocketIoSocket.ReceivedByLocalAcknowledgementCallback a
                        ? a : null;
        ObjectNode reply;
        try {
            Object first = args.length > 0 && args[0] != ack ? args[0] : null;
            ObjectNode body;
            if (first == null) {
                body = Json.object();
            } else if (first instanceof JSONObject object) {
                body = (ObjectNode) Json.MAPPER.readTree(object.toString());
            } else {
                throw new InvalidInputException("data", event + " takes one object argument");
            }
            reply = action.apply(chat, Body.of(body));
        } catch (SwitchboardException e) {
            reply = Json.object();
            ObjectNode error = reply.putObject("error").put("code", e.code()).put("message", e.getMessage());
            error.set("details", Json.MAPPER.valueToTree(e.details()));
            ObjectNode chunk = Json.object().put("kind", "error").put("event", event).put("code", e.code())
                    .put("content", e.getMessage());
            chunk.set("details", Json.MAPPER.valueToTree(e.details()));
            emit(chat, "chat:stream", chunk);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.error("Socket.IO {} failed unexpectedly", event, e);
            reply = Json.object();
            reply.putObject("error").put("code", "internal_error")
                    .put("message", "The server failed unexpectedly; the error is in its log");
        }
        if (ack != null) {
            ack.sendAcknowledgement(new JSONObject(reply.toString()));
        }
    }

    /** {@code chat:join {agentId?, sessionId?}}: opens (or creates) the conversation and follows its runs. */
    private ObjectNode join(ChatSocket chat, Body body) {
        JsonCheck.onlyFields(body, "agentId", "sessionId", "conversationId");
        String sessionId = Optional.ofNullable(body.optionalString("sessionId"))
                .orElse(body.optionalString("conversationId"));
        String agentId = body.optionalString("agentId");
        ChatSocket.Joined joined = joinSession(chat, sessionId, agentId);
        ObjectNode reply = Json.object().put("agentId", joined.agentId).put("sessionId", joined.sessionId);
        ArrayNode messages = reply.putArray("messages");
        List<Message> history = sessions.history(chat.principal.userId(), joined.sessionId);
        history.subList(Math.max(0, history.size() - HISTORY), history.size())
                .forEach(m -> messages.add(Wire.message(m)));
        emit(chat, "chat:joined", reply);
        return reply;
    }

    private ChatSocket.Joined joinSession(ChatSocket chat, String sessionId, String agentId) {
        String owner = chat.principal.userId();
        Session session = sessionId == null
                ? sessions.create(owner, null, agentId)
                : agentId == null ? sessions.getOrCreate(owner, sessionId) : sessions.getOrCreate(owner, sessionId,
                        agentId);
        directory.remember(session);
        ChatSocket.Joined existing = chat.joined.get(session.id());
        if (existing != null) {
            return existing;
        }
        ChatSocket.Joined joined = new ChatSocket.Joined(session.id(), session.agentId());
        chat.joined.put(session.id(), joined);
        joined.subscription = events.of(session.id()).subscribe(-1, event -> stream(chat, joined, event));
        return joined;
    }

    /** {@code chat:message {agentId?, sessionId?, content}}: a run in the joined conversation (joined if needed). */
    private ObjectNode message(ChatSocket chat, Body body) {
        JsonCheck.onlyFields(body, "agentId", "sessionId", "conversationId", "content", "message");
        String sessionId = Optional.ofNullable(body.optionalString("sessionId"))
                .orElse(body.optionalString("conversationId"));
        String agentId = body.optionalString("agentId");
        String field = body.get("content") != null ? "content" : "message";
        List<ContentPart> content = contentInput.read(body.get(field), field);
        ChatSocket.Joined joined = sessionId != null ? chat.joined.get(sessionId)
                : agentId != null ? chat.withAgent(agentId) : null;
        if (joined == null) {
            joined = joinSession(chat, sessionId, agentId);
        }
        Session session = sessions.get(chat.principal.userId(), joined.sessionId);
        Submission submission = engine.submit(session, content, "default", Map.of());
        return Json.object().put("accepted", true).put("agentId", joined.agentId)
                .put("sessionId", submission.sessionId()).put("messageId", submission.messageId())
                .put("queued", !submission.startedNow());
    }

    /** {@code chat:close {agentId?, sessionId?}}: stops following that conversation, or every one when unnamed. */
    private ObjectNode closeChat(ChatSocket chat, Body body) {
        JsonCheck.onlyFields(body, "agentId", "sessionId", "conversationId");
        String sessionId = Optional.ofNullable(body.optionalString("sessionId"))
                .orElse(body.optionalString("conversationId"));
        String agentId = body.optionalString("agentId");
        int closed = 0;
        for (ChatSocket.Joined j : List.copyOf(chat.joined.values())) {
            if ((sessionId == null || j.sessionId.equals(sessionId)) && (agentId == null || j.agentId.equals(agentId))) {
                chat.leave(j);
                closed++;
            }
        }
        return Json.object().put("closed", closed);
    }

    /** A joined conversation's event as {@code chat:stream} chunks and {@code chat:done}. */
    private void stream(ChatSocket chat, ChatSocket.Joined joined, Event event) {
        ObjectNode chunk = Json.object().put("agentId", joined.agentId).put("sessionId", joined.sessionId);
        if (event.runId() != null) {
            chunk.put("runId", event.runId());
        }
        chunk.put("seq", event.seq());
        switch (event.payload()) {
            case EventPayload.RunStarted started -> joined.text.setLength(0);
            case EventPayload.Chunk c -> {
                boolean thinking = "reasoning".equals(c.chunkType());
                if (!thinking) {
                    joined.text.append(c.content());
                }
                emit(chat, "chat:stream", chunk.put("kind", thinking ? "thinking" : "token").put("content", c.content()));
            }
            case EventPayload.ToolCallRequested call -> {
                chunk.put("kind", "tool_start").put("toolName", call.toolName()).put("callId", call.callId());
                chunk.set("args", argsOf(call.args()));
                emit(chat, "chat:stream", chunk);
            }
            case EventPayload.ToolResult result -> emit(chat, "chat:stream", chunk.put("kind", "tool_end")
                    .put("toolName", result.toolName()).put("callId", result.callId())
                    .put("success", result.success()).put("content", result.result()).put("error", result.error()));
            case EventPayload.Error error -> emit(chat, "chat:stream", chunk.put("kind", "error")
                    .put("content", error.error()).put("code", error.code()).put("recoverable", error.recoverable()));
            case EventPayload.RunComplete done -> {
                chunk.put("content", joined.text.toString()).put("finishReason", done.finishReason())
                        .put("stepCount", done.stepCount()).put("durationMs", done.durationMs());
                emit(chat, "chat:done", chunk);
            }
            default -> {
                // the rest is status (agent:status), approvals and progress, which chat does not show
            }
        }
    }

    private static JsonNode argsOf(String args) {
        try {
            return Json.MAPPER.readTree(args);
        } catch (java.io.IOException e) {
            return Json.MAPPER.getNodeFactory().textNode(args);
        }
    }

    /** The tap: a run starting or ending in any session, as {@code agent:status} to its owner's sockets. */
    private void status(Event event) {
        if (audience.isEmpty()) {
            return;
        }
        String status = switch (event.payload()) {
            case EventPayload.RunStarted started -> "running";
            case EventPayload.RunComplete done -> "error".equals(done.finishReason()) ? "error" : "idle";
            default -> null;
        };
        if (status == null) {
            return;
        }
        directory.find(event.sessionId()).ifPresent(session -> {
            ObjectNode json = Json.object().put("agentId", session.agentId()).put("sessionId", event.sessionId())
                    .put("status", status);
            if (event.runId() != null) {
                json.put("runId", event.runId());
            }
            JSONObject payload = new JSONObject(json.toString());
            audience.forEach(session.ownerId(), chat -> chat.socket.send("agent:status", payload));
        });
    }

    private void busMessage(BusFeed.Notice notice) {
        if (audience.isEmpty()) {
            return;
        }
        JSONObject payload = new JSONObject(Json.write(notice.body()));
        audience.forEach(notice.ownerId() == null ? "" : notice.ownerId(),
                chat -> chat.socket.send("bus:message", payload));
    }

    private static void emit(ChatSocket chat, String event, ObjectNode payload) {
        chat.socket.send(event, new JSONObject(payload.toString()));
    }

    @Override
    public void close() {
        if (tap != null) {
            try {
                tap.close();
            } catch (Exception e) {
                LOG.warn("Could not remove the Socket.IO event tap: {}", e.toString());
            }
        }
        audience.forEachConnection(ChatSocket::leaveAll);
        engineIo.shutdown();
    }
}

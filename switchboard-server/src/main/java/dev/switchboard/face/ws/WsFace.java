package dev.switchboard.face.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.approval.Approval;
import dev.switchboard.approval.ApprovalDecision;
import dev.switchboard.approval.ApprovalGate;
import dev.switchboard.approval.ApprovalStatus;
import dev.switchboard.content.ContentPart;
import dev.switchboard.event.Event;
import dev.switchboard.event.EventHub;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.ContentInput;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.JsonCheck;
import dev.switchboard.face.api.Routes;
import dev.switchboard.face.api.Wire;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.SwitchboardException;
import dev.switchboard.failure.UnauthorizedException;
import dev.switchboard.identity.Authenticator;
import dev.switchboard.identity.OneTimeCodes;
import dev.switchboard.run.RunEngine;
import dev.switchboard.run.Submission;
import dev.switchboard.session.Session;
import dev.switchboard.session.SessionDirectory;
import dev.switchboard.session.Sessions;
import dev.switchboard.user.Principal;
import io.javalin.http.Context;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsConnectContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws} (seed 002): one WebSocket per client that follows every session of its user as a projection of the
 * event stream. Clients subscribe to channels ({@link Channel}), send chat messages, answer approvals and, after a
 * reconnect, replay what they missed from the last event id they saw ({@code <sessionId>:<seq>}).
 */
public final class WsFace implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WsFace.class);
    private static final String PRINCIPAL = "switchboard.ws.principal";
    /** RFC 6455 close codes: a message breaking the policy (rate), the server going away. */
    static final int POLICY_VIOLATION = 1008;
    private static final int GOING_AWAY = 1001;
    private static final int MAX_ID = 200;
    private static final Set<String> ANSWERS = Set.of("approved", "denied", "cancelled");

    /**
     * Per-connection limits.
     *
     * @param maxFrameBytes a larger text frame closes the connection with 1009 (message too big)
     * @param messagesPerSecond more client messages within a second close it with 1008 after an error frame
     * @param maxQueuedFrames frames waiting to be written to a client that does not read; one more closes it with
     *     1008 and drops them (see {@link Subscriber})
     */
    public record Limits(int maxFrameBytes, int messagesPerSecond, int maxQueuedFrames) {
        public static final Limits DEFAULT = new Limits(64 * 1024, 20, 1024);
    }

    private final Authenticator authenticator;
    private final OneTimeCodes codes;
    private final Sessions sessions;
    private final RunEngine engine;
    private final ApprovalGate approvals;
    private final EventHub events;
    private final SessionDirectory directory;
    private final ContentInput contentInput;
    private final Limits limits;
    private final Clock clock;
    private final Audience<Subscriber> audience = new Audience<>();
    private AutoCloseable tap;

    public WsFace(Authenticator authenticator, OneTimeCodes codes, Sessions sessions, RunEngine engine,
            ApprovalGate approvals, EventHub events, SessionDirectory directory, ContentInput contentInput,
            Limits limits, Clock clock) {
        this.authenticator = authenticator;
        this.codes = codes;
        this.sessions = sessions;
        this.engine = engine;
        this.approvals = approvals;
        this.events = events;
        this.directory = directory;
        this.contentInput = contentInput;
        this.limits = limits;
        this.clock = clock;
    }

    /** Starts following every session's events; call once. */
    public WsFace start() {
        tap = events.tap(this::deliver);
        return this;
    }

    /** Follows {@code feed}: each new notification goes to its owner's connections on {@code notifications}. */
    public WsFace follow(NotificationFeed feed) {
        feed.onCreated(this::notification);
        return this;
    }

    public void register(Routes routes) {
        routes.get("/ws", this::plainGet);
        routes.websocket("/ws", this::beforeUpgrade, this::configure);
    }

    /** How many connections are open now. */
    public int connections() {
        return audience.size();
    }

    /** A plain GET (no upgrade) from a signed-in caller: say how to connect. */
    private void plainGet(Context ctx) {
        ctx.status(426).header("Upgrade", "websocket").json(Json.object().set("error", Json.object()
                .put("code", "upgrade_required")
                .put("message", "GET /ws opens a WebSocket: send 'Connection: Upgrade' and 'Upgrade: websocket', "
                        + "with ?token=<access token, API key or personal token> or ?ticket=<ws-ticket>")
                .set("details", Json.object())));
    }

    /**
     * Checks the caller before the upgrade: a browser cannot send headers here, so the credential comes in the
     * query ({@code token}: access token, API key or personal token, or a single-use {@code ticket} from
     * {@code GET /api/auth/ws-ticket}), or else in the {@code Authorization} header. Refusing throws, so the
     * upgrade is answered 401 and no socket opens.
     */
    private void beforeUpgrade(Context ctx) {
        Principal principal = authenticate(ctx.queryParam("ticket"), ctx.queryParam("token"),
                ctx.header("Authorization"));
        if (!principal.may(Principal.READ)) {
            throw new ForbiddenException("This token lacks the 'read' scope", Map.of("required", Principal.READ));
        }
        ctx.attribute(PRINCIPAL, principal);
    }

    private Principal authenticate(String ticket, String token, String authorization) {
        if (ticket != null && !ticket.isBlank()) {
            return codes.redeemWsTicket(ticket.strip()).orElseThrow(() -> new UnauthorizedException(
                    "The ticket is not valid: it is unknown, used or expired"));
        }
        String presented = token;
        if ((presented == null || presented.isBlank()) && authorization != null
                && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7);
        }
        if (presented == null || presented.isBlank()) {
            throw new UnauthorizedException("Credentials are required: connect to /ws?token=<token> or "
                    + "/ws?ticket=<ticket from GET /api/auth/ws-ticket>");
        }
        String credential = presented.strip();
        // a ticket may also come as the token, as seed 002's clients pass whatever they hold
        Optional<Principal> byTicket = codes.redeemWsTicket(credential);
        return byTicket.orElseGet(() -> authenticator.authenticate(credential));
    }

    private void configure(WsConfig ws) {
        ws.onConnect(this::connected);
        ws.onMessage(this::received);
        ws.onBinaryMessage(ctx -> ctx.closeSession(1003, "binary frames are not accepted; send JSON text"));
        ws.onClose(this::closed);
        ws.onError(ctx -> LOG.debug("WebSocket error on {}: {}", ctx.sessionId(), String.valueOf(ctx.error())));
    }

    private void connected(WsConnectContext ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            ctx.closeSession(POLICY_VIOLATION, "not authenticated");
            return;
        }
        // Jetty enforces it: a larger frame closes the connection with 1009 before it is buffered whole
        ctx.session.setMaxTextMessageSize(limits.maxFrameBytes());
        ctx.session.setMaxBinaryMessageSize(1024);
        Subscriber subscriber = new Subscriber(SocketOutlet.of(ctx.session), principal, limits.maxQueuedFrames());
        ctx.attribute(Subscriber.class.getName(), subscriber);
        audience.add(principal.userId(), principal.isAdmin(), subscriber);
        ArrayNode channels = Json.MAPPER.createArrayNode();
        for (Channel channel : Channel.values()) {
            channels.add(channel.wireName());
        }
        ObjectNode hello = Json.object().put("type", "connected").put("userId", principal.userId());
        hello.set("channels", channels);
        hello.put("maxFrameBytes", limits.maxFrameBytes()).put("messagesPerSecond", limits.messagesPerSecond());
        subscriber.send(hello.toString());
    }

    private void closed(WsCloseContext ctx) {
        Subscriber subscriber = ctx.attribute(Subscriber.class.getName());
        if (subscriber != null) {
            audience.remove(subscriber.principal.userId(), subscriber);
        }
    }

    private void received(WsMessageContext ctx) {
        Subscriber subscriber = ctx.attribute(Subscriber.class.getName());
        if (subscriber == null) {
            return;
        }
        if (!subscriber.admit(clock.millis(), limits.messagesPerSecond())) {
            subscriber.send(error(null, "rate_limited", "More than " + limits.messagesPerSecond()
                    + " messages in a second; the connection is closed", Map.of()).toString());
            subscriber.closeAfterQueued(POLICY_VIOLATION, "message rate limit exceeded");
            return;
        }
        String ref = null;
        try {
            ObjectNode message = parse(ctx.message());
            JsonNode id = message.get("id");
            if (id != null && id.isTextual() && id.asText().length() <= MAX_ID) {
                ref = id.asText();
            }
            ObjectNode reply = handle(subscriber, Body.of(message));
            if (reply != null) {
                if (ref != null) {
                    reply.put("id", ref);
                }
                subscriber.send(reply.toString());
            }
        } catch (SwitchboardException e) {
            subscriber.send(error(ref, e.code(), e.getMessage(), e.details()).toString());
        } catch (RuntimeException e) {
            LOG.error("A /ws message failed unexpectedly", e);
            subscriber.send(error(ref, "internal_error", "The server failed unexpectedly; the error is in its log",
                    Map.of()).toString());
        }
    }

    private static ObjectNode parse(String text) {
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("message", "malformed JSON: " + e.getOriginalMessage());
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw new InvalidInputException("message", "must be a JSON object with a 'type'");
        }
        return object;
    }

    private ObjectNode handle(Subscriber subscriber, Body body) {
        String type = body.requiredString("type");
        return switch (type) {
            case "subscribe" -> subscribe(subscriber, body);
            case "unsubscribe" -> unsubscribe(subscriber, body);
            case "message" -> chat(subscriber, body);
            case "approval" -> answer(subscriber, body);
            case "replay" -> replay(subscriber, body);
            case "ping" -> Json.object().put("type", "pong");
            default -> throw new InvalidInputException("type", "must be one of subscribe, unsubscribe, message, "
                    + "approval, replay, ping");
        };
    }

    private ObjectNode subscribe(Subscriber subscriber, Body body) {
        JsonCheck.onlyFields(body, "type", "id", "channels", "lastEventId");
        Set<Channel> now = subscriber.subscribe(channels(body));
        ObjectNode reply = Json.object().put("type", "subscribed");
        reply.set("channels", names(now));
        if (body.get("lastEventId") != null) {
            subscriber.send(reply.toString());
            return replay(subscriber, body);
        }
        return reply;
    }

    private ObjectNode unsubscribe(Subscriber subscriber, Body body) {
        JsonCheck.onlyFields(body, "type", "id", "channels");
        Set<Channel> now = subscriber.unsubscribe(channels(body));
        ObjectNode reply = Json.object().put("type", "unsubscribed");
        reply.set("channels", names(now));
        return reply;
    }

    private static Set<Channel> channels(Body body) {
        JsonNode list = body.get("channels");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new InvalidInputException("channels", "must be a non-empty array of channel names");
        }
        EnumSet<Channel> channels = EnumSet.noneOf(Channel.class);
        for (JsonNode name : list) {
            channels.add(Channel.named(name.asText()).orElseThrow(() -> new InvalidInputException("channels",
                    "unknown channel '" + name.asText() + "'; known: agent.status, agent.message, agent.tool_call, "
                            + "approvals, notifications")));
        }
        return channels;
    }

    private static ArrayNode names(Set<Channel> channels) {
        ArrayNode names = Json.MAPPER.createArrayNode();
        channels.forEach(channel -> names.add(channel.wireName()));
        return names;
    }

    /** A chat message, as {@code POST /api/message} takes it: an ordinary run of the session. */
    private ObjectNode chat(Subscriber subscriber, Body body) {
        JsonCheck.onlyFields(body, "type", "id", "sessionId", "agentId", "content");
        requireWrite(subscriber);
        String sessionId = body.optionalString("sessionId");
        String agentId = body.optionalString("agentId");
        List<ContentPart> content = contentInput.read(body.get("content"), "content");
        String owner = subscriber.principal.userId();
        Session session = sessionId == null
                ? sessions.create(owner, null, agentId)
                : agentId == null ? sessions.getOrCreate(owner, sessionId) : sessions.getOrCreate(owner, sessionId,
                        agentId);
        directory.remember(session);
        Submission submission = engine.submit(session, content, "default", Map.of());
        return Json.object().put("type", "message.accepted")
                .put("sessionId", submission.sessionId())
                .put("agentId", session.agentId())
                .put("messageId", submission.messageId())
                .put("queued", !submission.startedNow());
    }

    private ObjectNode answer(Subscriber subscriber, Body body) {
        JsonCheck.onlyFields(body, "type", "id", "approvalId", "status", "reason", "rememberChoice", "formData");
        requireWrite(subscriber);
        String approvalId = body.requiredString("approvalId");
        String status = body.requiredString("status");
        if (!ANSWERS.contains(status)) {
            throw new InvalidInputException("status", "must be one of approved, denied, cancelled");
        }
        JsonNode formData = body.get("formData");
        if (formData != null && !formData.isObject()) {
            throw new InvalidInputException("formData", "must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> form = formData == null ? null : Json.MAPPER.convertValue(formData, Map.class);
        Approval answered = approvals.answer(subscriber.principal.userId(), approvalId, new ApprovalDecision(
                ApprovalStatus.fromWire(status), form, body.optionalString("reason"),
                body.optionalBoolean("rememberChoice", false)), null);
        return Json.object().put("type", "approval.answered").put("approvalId", answered.id())
                .put("status", answered.status().wireName());
    }

    /**
     * Sends the buffered events of one session after the given seq, on the subscribed channels, then
     * {@code replayed}. The last event id a client saw is {@code <sessionId>:<seq>}; events older than the replay
     * buffer are gone ({@code oldestSeq} tells where it starts), and the session's history is at
     * {@code GET /api/sessions/{id}/history}.
     */
    private ObjectNode replay(Subscriber subscriber, Body body) {
        String sessionId;
        long after;
        String lastEventId = body.optionalString("lastEventId");
        if (lastEventId != null) {
            int colon = lastEventId.lastIndexOf(':');
            if (colon <= 0) {
                throw new InvalidInputException("lastEventId", "must be '<sessionId>:<seq>' as events carry it");
            }
            sessionId = lastEventId.substring(0, colon);
            after = seq(lastEventId.substring(colon + 1), "lastEventId");
        } else {
            sessionId = body.requiredString("sessionId");
            JsonNode given = body.get("after");
            after = given == null ? 0 : seq(given.asText(), "after");
        }
        String owner = directory.find(sessionId).map(SessionDirectory.Entry::ownerId).orElse(null);
        if (owner == null || !(owner.equals(subscriber.principal.userId()) || subscriber.principal.isAdmin())) {
            throw new NotFoundException("session", sessionId);
        }
        String agentId = directory.find(sessionId).map(SessionDirectory.Entry::agentId).orElse(null);
        List<Event> buffered = events.of(sessionId).buffered();
        int sent = 0;
        for (Event event : buffered) {
            Channel channel = Channel.of(event.payload());
            if (event.seq() > after && subscriber.wants(channel)
                    && subscriber.sendEvent(event, TextFrame.of(frame(event, channel, agentId)))) {
                sent++;
            }
        }
        ObjectNode reply = Json.object().put("type", "replayed").put("sessionId", sessionId).put("after", after)
                .put("count", sent);
        if (!buffered.isEmpty()) {
            reply.put("oldestSeq", buffered.getFirst().seq());
        }
        return reply;
    }

    private static long seq(String text, String field) {
        try {
            long seq = Long.parseLong(text.strip());
            if (seq < 0) {
                throw new NumberFormatException();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "the seq must be a non-negative integer");
        }
    }

    private static void requireWrite(Subscriber subscriber) {
        if (!subscriber.principal.may(Principal.WRITE)) {
            throw new ForbiddenException("This token lacks the 'write' scope", Map.of("required", Principal.WRITE));
        }
    }

    /** The tap: each event of any session, to its owner's subscribed connections and the administrators'. */
    private void deliver(Event event) {
        if (audience.isEmpty()) {
            return;
        }
        Channel channel = Channel.of(event.payload());
        Optional<SessionDirectory.Entry> session = directory.find(event.sessionId());
        if (session.isEmpty()) {
            return;
        }
        TextFrame[] frame = new TextFrame[1];
        audience.forEach(session.get().ownerId(), subscriber -> {
            if (subscriber.wants(channel)) {
                if (frame[0] == null) {
                    // written and encoded once for every receiver; each connection queues the same bytes
                    frame[0] = TextFrame.of(frame(event, channel, session.get().agentId()));
                }
                subscriber.sendEvent(event, frame[0]);
            }
        });
    }

    /**
     * An event as it goes out: the SSE event fields plus the frame's type, channel, event id and agent. The frame's
     * {@code type} is always {@code event}; an event's own {@code type} (an approval request's kind of question) goes
     * out as {@code approvalType}.
     */
    static String frame(Event event, Channel channel, String agentId) {
        ObjectNode json = Json.object().put("type", "event").put("channel", channel.wireName())
                .put("id", event.sessionId() + ":" + event.seq());
        if (agentId != null) {
            json.put("agentId", agentId);
        }
        ObjectNode fields = Wire.event(event);
        JsonNode ownType = fields.remove("type");
        json.setAll(fields);
        if (ownType != null) {
            json.set("approvalType", ownType);
        }
        return json.toString();
    }

    private void notification(NotificationFeed.Notice notice) {
        if (audience.isEmpty()) {
            return;
        }
        ObjectNode json = Json.object().put("type", "event").put("channel", Channel.NOTIFICATIONS.wireName())
                .put("name", "notification:created");
        json.set("notification", Json.MAPPER.valueToTree(notice.body()));
        TextFrame frame = TextFrame.of(json.toString());
        audience.forEach(notice.ownerId(), subscriber -> {
            if (subscriber.wants(Channel.NOTIFICATIONS)) {
                subscriber.send(frame);
            }
        });
    }

    private static ObjectNode error(String ref, String code, String message, Map<String, Object> details) {
        ObjectNode json = Json.object().put("type", "error");
        if (ref != null) {
            json.put("id", ref);
        }
        json.put("code", code).put("message", message);
        json.set("details", Json.MAPPER.valueToTree(details));
        return json;
    }

    @Override
    public void close() {
        if (tap != null) {
            try {
                tap.close();
            } catch (Exception e) {
                LOG.warn("Could not remove the /ws event tap: {}", e.toString());
            }
        }
        audience.forEachConnection(subscriber -> {
            subscriber.close(GOING_AWAY, "the server is stopping");
        });
    }
}

package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.event.Event;
import dev.switchboard.event.EventHub;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.run.RunEngine;
import dev.switchboard.session.Session;
import dev.switchboard.session.Sessions;
import io.javalin.http.Context;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** {@code /api/sessions} and everything under it. */
public final class SessionApi {

    private final Sessions sessions;
    private final RunEngine engine;
    private final EventHub events;
    private final SseStreams streams;

    public SessionApi(Sessions sessions, RunEngine engine, EventHub events, SseStreams streams) {
        this.sessions = sessions;
        this.engine = engine;
        this.events = events;
        this.streams = streams;
    }

    public void register(Routes routes) {
        routes.get("/api/sessions", this::list)
                .post("/api/sessions", this::create)
                .get("/api/sessions/{sessionId}", this::get)
                .patch("/api/sessions/{sessionId}", this::rename)
                .delete("/api/sessions/{sessionId}", this::delete)
                .get("/api/sessions/{sessionId}/history", this::history)
                .get("/api/sessions/{sessionId}/load", this::load)
                .post("/api/sessions/{sessionId}/cancel", this::cancel)
                .post("/api/sessions/{sessionId}/fork", this::fork)
                .post("/api/sessions/{sessionId}/generate-title", this::generateTitle)
                .get("/api/sessions/{sessionId}/events", this::events)
                .get("/api/sessions/{sessionId}/runs", this::runs);
    }

    private void list(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Session s : sessions.list(Owner.of(ctx))) {
            list.add(Wire.session(s, engine.isBusy(s.id())));
        }
        ObjectNode json = Json.object();
        json.set("sessions", list);
        ctx.json(json);
    }

    private void create(Context ctx) {
        Body body = Body.of(ctx);
        Session session = sessions.create(Owner.of(ctx), body.optionalString("sessionId"),
                body.optionalString("agentId"));
        ctx.status(201).json(wrap(session, false));
    }

    private void get(Context ctx) {
        ctx.json(wrap(session(ctx), null));
    }

    private void load(Context ctx) {
        Session session = session(ctx);
        ctx.json(wrap(session, engine.isBusy(session.id())));
    }

    private void rename(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "title");
        String title = body.optionalString("title");
        if (title == null) {
            throw new InvalidInputException("title", "is required: a string of 1..120 characters");
        }
        ctx.json(wrap(sessions.rename(Owner.of(ctx), id(ctx), title), null));
    }

    private void delete(Context ctx) {
        sessions.delete(Owner.of(ctx), id(ctx));
        ctx.json(Json.object().put("status", "deleted").put("sessionId", id(ctx)));
    }

    private void history(Context ctx) {
        ArrayNode history = Json.MAPPER.createArrayNode();
        sessions.history(Owner.of(ctx), id(ctx)).forEach(m -> history.add(Wire.message(m)));
        ObjectNode json = Json.object();
        json.set("history", history);
        json.put("isBusy", engine.isBusy(id(ctx)));
        ctx.json(json);
    }

    private void cancel(Context ctx) {
        Body body = Body.of(ctx);
        boolean clearQueue = body.optionalBoolean("clearQueue", false);
        Session session = session(ctx);
        RunEngine.CancelResult result = engine.cancel(session.id(), clearQueue);
        ctx.json(Json.object()
                .put("cancelled", result.cancelled())
                .put("sessionId", session.id())
                .put("queueCleared", clearQueue)
                .put("clearedCount", result.clearedCount()));
    }

    private void fork(Context ctx) {
        Body body = Body.of(ctx);
        Session fork = sessions.fork(Owner.of(ctx), id(ctx), body.optionalString("sessionId"));
        ctx.status(201).json(wrap(fork, false));
    }

    private void generateTitle(Context ctx) {
        Session titled = sessions.generateTitle(Owner.of(ctx), id(ctx));
        ctx.json(Json.object().put("title", titled.title()).put("sessionId", titled.id()));
    }

    /**
     * Attaches to the session's live events. With {@code Last-Event-ID} or {@code ?after=<seq>} it first replays
     * the buffered events after that sequence number.
     */
    private void events(Context ctx) throws Exception {
        Session session = session(ctx);
        long after = afterSeq(ctx);
        BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        try (var subscription = events.of(session.id()).subscribe(after, queue::add);
                SseStream sse = streams.open(ctx)) {
            for (Event missed : subscription.missed()) {
                if (!sse.send(missed)) {
                    return;
                }
            }
            sse.pump(queue, event -> true, event -> false);
        }
    }

    private void runs(Context ctx) {
        ArrayNode runs = Json.MAPPER.createArrayNode();
        sessions.runs(Owner.of(ctx), id(ctx)).forEach(r -> runs.add(Wire.run(r)));
        ObjectNode json = Json.object();
        json.set("runs", runs);
        ctx.json(json);
    }

    private static long afterSeq(Context ctx) {
        String raw = ctx.header("Last-Event-ID");
        String field = "Last-Event-ID";
        if (ctx.queryParam("after") != null) {
            raw = ctx.queryParam("after");
            field = "after";
        }
        if (raw == null || raw.isBlank()) {
            return -1;
        }
        try {
            long seq = Long.parseLong(raw.strip());
            if (seq < 0) {
                throw new NumberFormatException();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "must be a non-negative event sequence number");
        }
    }

    private Session session(Context ctx) {
        return sessions.get(Owner.of(ctx), id(ctx));
    }

    private static String id(Context ctx) {
        return ctx.pathParam("sessionId");
    }

    private static ObjectNode wrap(Session session, Boolean busy) {
        ObjectNode json = Json.object();
        json.set("session", Wire.session(session, busy));
        return json;
    }
}

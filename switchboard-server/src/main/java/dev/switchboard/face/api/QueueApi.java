package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.run.QueuedMessage;
import dev.switchboard.run.RunEngine;
import dev.switchboard.run.Submission;
import dev.switchboard.session.Session;
import dev.switchboard.session.Sessions;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /api/queue/{sessionId}}: the messages waiting behind a session's current run. */
public final class QueueApi {

    private final Sessions sessions;
    private final RunEngine engine;
    private final ContentInput contentInput;

    public QueueApi(Sessions sessions, RunEngine engine, ContentInput contentInput) {
        this.sessions = sessions;
        this.engine = engine;
        this.contentInput = contentInput;
    }

    public void register(Routes routes) {
        routes.get("/api/queue/{sessionId}", this::list)
                .post("/api/queue/{sessionId}", this::add)
                .delete("/api/queue/{sessionId}", this::clear)
                .delete("/api/queue/{sessionId}/{messageId}", this::remove);
    }

    private void list(Context ctx) {
        Session session = session(ctx);
        List<QueuedMessage> queued = engine.queued(session.id());
        ArrayNode messages = Json.MAPPER.createArrayNode();
        queued.forEach(q -> messages.add(Wire.queued(q)));
        ObjectNode json = Json.object();
        json.set("messages", messages);
        json.put("count", queued.size());
        ctx.json(json);
    }

    private void add(Context ctx) {
        Session session = session(ctx);
        Body body = Body.of(ctx);
        String kind = body.optionalEnum("kind", Set.of("default", "background"));
        Submission submission = engine.submit(session, contentInput.read(body.get("content"), "content"), kind,
                Map.of());
        ctx.status(201).json(Json.object()
                .put("queued", !submission.startedNow())
                .put("id", submission.messageId())
                .put("position", submission.startedNow() ? 0 : submission.queueLength()));
    }

    private void clear(Context ctx) {
        Session session = session(ctx);
        int cleared = engine.clearQueue(session.id());
        ctx.json(Json.object().put("cleared", true).put("count", cleared));
    }

    private void remove(Context ctx) {
        Session session = session(ctx);
        String messageId = ctx.pathParam("messageId");
        if (!engine.removeQueued(session.id(), messageId)) {
            throw new NotFoundException("queued message", messageId);
        }
        ctx.json(Json.object().put("removed", true).put("id", messageId));
    }

    private Session session(Context ctx) {
        return sessions.get(Owner.of(ctx), ctx.pathParam("sessionId"));
    }
}

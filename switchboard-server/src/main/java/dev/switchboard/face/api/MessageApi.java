package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.content.ContentPart;
import dev.switchboard.event.Event;
import dev.switchboard.event.EventHub;
import dev.switchboard.event.SessionEvents;
import dev.switchboard.failure.RunFailedException;
import dev.switchboard.run.RunEngine;
import dev.switchboard.run.RunOfMessage;
import dev.switchboard.run.RunOutcome;
import dev.switchboard.run.RunStatus;
import dev.switchboard.run.Submission;
import dev.switchboard.session.Session;
import dev.switchboard.session.Sessions;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** {@code /api/message}, {@code /api/message-sync}, {@code /api/message-stream} and {@code /api/reset}. */
public final class MessageApi {

    private static final Set<String> KINDS = Set.of("default", "background");

    private final Sessions sessions;
    private final RunEngine engine;
    private final EventHub events;
    private final ContentInput contentInput;
    private final SseStreams streams;

    public MessageApi(Sessions sessions, RunEngine engine, EventHub events, ContentInput contentInput,
            SseStreams streams) {
        this.sessions = sessions;
        this.engine = engine;
        this.events = events;
        this.contentInput = contentInput;
        this.streams = streams;
    }

    public void register(Routes routes) {
        routes.post("/api/message", this::sendAsync)
                .post("/api/message-sync", this::sendSync)
                .post("/api/message-stream", this::sendStream)
                .post("/api/reset", this::reset);
    }

    /** A validated message request. */
    private record Incoming(Session session, List<ContentPart> content, String kind) {
    }

    private Incoming read(Context ctx) {
        Body body = Body.of(ctx);
        String sessionId = body.requiredString("sessionId");
        List<ContentPart> content = contentInput.read(body.get("content"), "content");
        String kind = body.optionalEnum("kind", KINDS);
        return new Incoming(sessions.getOrCreate(Owner.of(ctx), sessionId), content, kind);
    }

    private void sendAsync(Context ctx) {
        Incoming in = read(ctx);
        Submission submission = engine.submit(in.session(), in.content(), in.kind(), Map.of());
        ctx.status(202).json(Json.object()
                .put("accepted", true)
                .put("sessionId", submission.sessionId())
                .put("messageId", submission.messageId())
                .put("queued", !submission.startedNow())
                .put("queueLength", submission.queueLength()));
    }

    private void sendSync(Context ctx) throws InterruptedException {
        Incoming in = read(ctx);
        Submission submission = engine.submit(in.session(), in.content(), in.kind(), Map.of());
        RunOutcome outcome = submission.await();
        if (outcome.status() == RunStatus.FAILED) {
            throw new RunFailedException(outcome.error().code(), outcome.error().message(),
                    outcome.error().recoverable(), outcome.runId());
        }
        ObjectNode json = Json.object()
                .put("response", outcome.text() == null ? "" : outcome.text())
                .put("sessionId", outcome.sessionId())
                .put("messageId", submission.messageId())
                .put("runId", outcome.runId())
                .put("finishReason", outcome.finishReason())
                .put("steps", outcome.steps());
        json.set("tokenUsage", Json.MAPPER.valueToTree(outcome.tokenUsage()));
        if (outcome.reasoning() != null) {
            json.put("reasoning", outcome.reasoning());
        }
        if (outcome.estimatedCost() != null) {
            json.put("estimatedCost", outcome.estimatedCost());
        }
        if (outcome.model() != null) {
            json.put("model", outcome.model()).put("provider", outcome.provider());
        }
        ctx.json(json);
    }

    /**
     * Streams the run of this message. The subscription starts before the submission so no event is missed;
     * when the session is busy the message waits in the queue and the answer is 202.
     */
    private void sendStream(Context ctx) throws Exception {
        Incoming in = read(ctx);
        BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        SessionEvents stream = events.of(in.session().id());
        try (SessionEvents.Subscription ignored = stream.subscribe(-1, queue::add)) {
            Submission submission = engine.submit(in.session(), in.content(), in.kind(), Map.of());
            if (!submission.startedNow()) {
                ctx.status(202).json(Json.object()
                        .put("busy", true)
                        .put("sessionId", submission.sessionId())
                        .put("messageId", submission.messageId())
                        .put("queueLength", submission.queueLength())
                        .put("hint", "The session is processing another message; this one was queued and will "
                                + "run next. Follow GET /api/sessions/" + submission.sessionId() + "/events."));
                return;
            }
            try (SseStream sse = streams.open(ctx)) {
                sse.pump(queue, new RunOfMessage(submission.messageId()), RunOfMessage::isEnd);
            }
        }
    }

    private void reset(Context ctx) {
        Body body = Body.of(ctx);
        String sessionId = body.requiredString("sessionId");
        int removed = sessions.reset(Owner.of(ctx), sessionId);
        ctx.json(Json.object().put("status", "reset").put("sessionId", sessionId).put("removedMessages", removed));
    }
}

package dev.switchboard.face.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.content.BlobStore;
import dev.switchboard.content.Content;
import dev.switchboard.content.ContentPart;
import dev.switchboard.content.FilePart;
import dev.switchboard.content.ImagePart;
import dev.switchboard.event.Event;
import dev.switchboard.event.EventHub;
import dev.switchboard.event.SessionEvents;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.RunFailedException;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.JsonCheck;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.face.api.SseStream;
import dev.switchboard.face.api.SseStreams;
import dev.switchboard.face.api.Wire;
import dev.switchboard.run.RunEngine;
import dev.switchboard.run.RunOfMessage;
import dev.switchboard.run.RunOutcome;
import dev.switchboard.run.RunStatus;
import dev.switchboard.run.Submission;
import dev.switchboard.session.Message;
import dev.switchboard.session.Session;
import dev.switchboard.session.Sessions;
import dev.switchboard.store.Store;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code /v1/conversations} of the remote client API (seed 000) and the older root routes of seed 001
 * ({@code /chat}, {@code /conversations}, {@code /sessions/{id}/stop}): a conversation is one of the caller's
 * sessions, seen with ISO timestamps and its messages.
 */
public final class ConversationApi {

    private final Sessions sessions;
    private final RunEngine engine;
    private final EventHub events;
    private final SseStreams streams;
    private final Store store;
    private final BlobStore blobs;

    public ConversationApi(Sessions sessions, RunEngine engine, EventHub events, SseStreams streams, Store store,
            BlobStore blobs) {
        this.sessions = sessions;
        this.engine = engine;
        this.events = events;
        this.streams = streams;
        this.store = store;
        this.blobs = blobs;
    }

    public void register(Routes routes) {
        routes.get("/v1/conversations", ctx -> ctx.json(Json.object().set("conversations", list(ctx))))
                .post("/v1/conversations", this::create)
                .get("/v1/conversations/{conversationId}", this::get)
                .put("/v1/conversations/{conversationId}", this::update)
                .delete("/v1/conversations/{conversationId}", this::delete)
                .post("/v1/conversations/{conversationId}/branch", this::branch)
                .get("/v1/conversations/{conversationId}/attachments/{fileName}", this::attachment)
                .get("/v1/conversations/{conversationId}/assets/videos/{fileName}", this::attachment);
        // seed 001's routes: the same handlers, the list as a bare array as that seed shows it
        routes.get("/conversations", ctx -> ctx.json(list(ctx)))
                .get("/conversations/{conversationId}", this::get)
                .post("/chat", this::chat)
                .post("/chat/{conversationId}", this::chat)
                .post("/sessions/{conversationId}/stop", this::stop);
    }

    private ArrayNode list(Context ctx) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Session s : sessions.list(Owner.of(ctx))) {
            list.add(conversation(s));
        }
        return list;
    }

    private void create(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "id", "agentId", "title");
        Session session = sessions.create(Owner.of(ctx), body.optionalString("id"), body.optionalString("agentId"));
        String title = body.optionalString("title");
        if (title != null) {
            session = sessions.rename(Owner.of(ctx), session.id(), title);
        }
        ctx.status(201).json(withMessages(session));
    }

    private void get(Context ctx) {
        ctx.json(withMessages(session(ctx)));
    }

    /**
     * Changes the title. Messages cannot be rewritten: the history is the record of runs, approvals and costs;
     * a client that wants another history branches the conversation.
     */
    private void update(Context ctx) {
        Body body = Body.of(ctx);
        if (body.get("messages") != null) {
            throw new InvalidInputException("messages", "messages cannot be rewritten; branch the conversation with "
                    + "POST /v1/conversations/{id}/branch to continue from an earlier message");
        }
        JsonCheck.onlyFields(body, "title", "messages");
        String title = body.optionalString("title");
        if (title == null) {
            throw new InvalidInputException("title", "is required: a string of 1.." + Sessions.MAX_TITLE
                    + " characters");
        }
        ctx.json(withMessages(sessions.rename(Owner.of(ctx), id(ctx), title)));
    }

    private void delete(Context ctx) {
        sessions.delete(Owner.of(ctx), id(ctx));
        ctx.json(Json.object().put("deleted", true).put("id", id(ctx)));
    }

    /** {@code {messageId?, id?}}: a new conversation with the history up to that message (all when none). */
    private void branch(Context ctx) {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "messageId", "id");
        Session branch = sessions.fork(Owner.of(ctx), id(ctx), body.optionalString("id"),
                body.optionalString("messageId"));
        ctx.status(201).json(withMessages(branch));
    }

    /**
     * A file or image the conversation's messages refer to, by its file name or blob id, with HTTP range requests
     * (players seek in videos by asking for byte ranges).
     */
    private void attachment(Context ctx) {
        Session session = session(ctx);
        String name = ctx.pathParam("fileName");
        Attachment found = null;
        for (Message message : store.history(session.id())) {
            for (ContentPart part : message.content()) {
                if (part instanceof FilePart file && (name.equals(file.blobId()) || name.equals(file.filename()))) {
                    found = new Attachment(file.blobId(), file.mimeType());
                } else if (part instanceof ImagePart image && image.blobId() != null && name.equals(image.blobId())) {
                    found = new Attachment(image.blobId(), image.mimeType());
                }
            }
        }
        if (found == null || !store.refersToBlob(Owner.of(ctx), found.blobId())) {
            throw new NotFoundException("attachment", name);
        }
        String blobId = found.blobId();
        byte[] data = blobs.get(blobId).orElseThrow(() -> new NotFoundException("attachment", name));
        ctx.header("X-Content-Type-Options", "nosniff");
        ByteRanges.serve(ctx, data, found.mimeType() == null ? "application/octet-stream" : found.mimeType());
    }

    private record Attachment(String blobId, String mimeType) {
    }

    /**
     * Seed 001's chat: {@code {message, agentId?, options: {stream}}}. Without a conversation id it starts a new
     * conversation; it answers a JSON reply, or the run's SSE events when {@code options.stream} is true.
     */
    private void chat(Context ctx) throws Exception {
        Body body = Body.of(ctx);
        JsonCheck.onlyFields(body, "message", "agentId", "options");
        String text = body.requiredString("message");
        boolean stream = false;
        JsonNode options = body.get("options");
        if (options != null) {
            if (!options.isObject()) {
                throw new InvalidInputException("options", "must be an object");
            }
            JsonNode flag = options.get("stream");
            if (flag != null && !flag.isNull() && !flag.isBoolean()) {
                throw new InvalidInputException("options.stream", "must be true or false");
            }
            stream = flag != null && flag.asBoolean(false);
        }
        String owner = Owner.of(ctx);
        String conversationId = ctx.pathParamMap().get("conversationId");
        Session session;
        if (conversationId == null) {
            session = sessions.create(owner, null, body.optionalString("agentId"));
        } else {
            session = sessions.get(owner, conversationId);
            String agentId = body.optionalString("agentId");
            if (agentId != null && !agentId.equals(session.agentId())) {
                throw new InvalidInputException("agentId", "conversation '" + conversationId + "' talks to agent '"
                        + session.agentId() + "'");
            }
        }
        List<ContentPart> content = Content.text(text);
        if (stream) {
            BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
            SessionEvents sessionEvents = events.of(session.id());
            try (SessionEvents.Subscription ignored = sessionEvents.subscribe(-1, queue::add)) {
                Submission submission = engine.submit(session, content, null, Map.of());
                ctx.header("X-Conversation-Id", session.id());
                try (SseStream sse = streams.open(ctx)) {
                    sse.pump(queue, new RunOfMessage(submission.messageId()), RunOfMessage::isEnd);
                }
            }
            return;
        }
        Submission submission = engine.submit(session, content, null, Map.of());
        RunOutcome outcome = submission.await();
        if (outcome.status() == RunStatus.FAILED) {
            throw new RunFailedException(outcome.error().code(), outcome.error().message(),
                    outcome.error().recoverable(), outcome.runId());
        }
        ctx.json(Json.object()
                .put("conversationId", session.id())
                .put("response", outcome.text() == null ? "" : outcome.text())
                .put("messageId", submission.messageId())
                .put("runId", outcome.runId())
                .put("finishReason", outcome.finishReason()));
    }

    /** Seed 001's stop of one session: its run is cancelled and its queue dropped. */
    private void stop(Context ctx) {
        Session session = session(ctx);
        RunEngine.CancelResult result = engine.cancel(session.id(), true);
        ctx.json(Json.object()
                .put("stopped", result.cancelled())
                .put("sessionId", session.id())
                .put("clearedCount", result.clearedCount()));
    }

    private Session session(Context ctx) {
        return sessions.get(Owner.of(ctx), id(ctx));
    }

    private static String id(Context ctx) {
        return ctx.pathParam("conversationId");
    }

    private ObjectNode conversation(Session s) {
        ObjectNode json = Json.object()
                .put("id", s.id())
                .put("title", s.title())
                .put("agentId", s.agentId())
                .put("createdAt", s.createdAt().toString())
                .put("updatedAt", s.lastActivity().toString())
                .put("messageCount", s.messageCount())
                .put("isBusy", engine.isBusy(s.id()));
        return json;
    }

    private ObjectNode withMessages(Session s) {
        ObjectNode json = conversation(s);
        ArrayNode messages = json.putArray("messages");
        store.history(s.id()).forEach(m -> messages.add(Wire.message(m)));
        return json;
    }
}

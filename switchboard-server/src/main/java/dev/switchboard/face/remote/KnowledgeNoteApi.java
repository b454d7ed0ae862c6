package dev.switchboard.face.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.face.api.AdminApi;
import dev.switchboard.face.api.Body;
import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.JsonCheck;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.knowledge.Note;
import dev.switchboard.knowledge.NoteContext;
import dev.switchboard.knowledge.Notes;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** Seed 000's {@code /v1/knowledge/notes}: the caller's knowledge notes, listed (or searched with {@code q}) and edited. */
public final class KnowledgeNoteApi {

    private static final String[] FIELDS = {"title", "body", "summary", "tags", "context", "references"};

    private final Notes notes;

    public KnowledgeNoteApi(Notes notes) {
        this.notes = notes;
    }

    public void register(Routes routes) {
        routes.get("/v1/knowledge/notes", this::list)
                .post("/v1/knowledge/notes", this::create)
                .get("/v1/knowledge/notes/{noteId}", this::get)
                .patch("/v1/knowledge/notes/{noteId}", this::update)
                .delete("/v1/knowledge/notes/{noteId}", this::delete);
    }

    private void list(Context ctx) {
        int limit = AdminApi.intParam(ctx, "limit", 100, 1, Notes.MAX_LIMIT);
        int offset = AdminApi.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        ArrayNode list = Json.MAPPER.createArrayNode();
        notes.list(Owner.of(ctx), ctx.queryParam("q"), limit, offset).forEach(n -> list.add(wire(n)));
        ctx.json(Json.object().set("notes", list));
    }

    private void create(Context ctx) {
        Note note = notes.create(Owner.of(ctx), draft(Body.of(ctx)));
        ctx.status(201).json(Json.object().set("note", wire(note)));
    }

    private void get(Context ctx) {
        ctx.json(Json.object().set("note", wire(notes.get(Owner.of(ctx), ctx.pathParam("noteId")))));
    }

    private void update(Context ctx) {
        Note note = notes.update(Owner.of(ctx), ctx.pathParam("noteId"), draft(Body.of(ctx)));
        ctx.json(Json.object().set("note", wire(note)));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("noteId");
        notes.delete(Owner.of(ctx), id);
        ctx.json(Json.object().put("deleted", true).put("id", id));
    }

    private static Notes.Draft draft(Body body) {
        JsonCheck.onlyFields(body, FIELDS);
        String context = body.optionalString("context");
        NoteContext parsed = context == null ? null : NoteContext.of(context);
        if (context != null && parsed == null) {
            throw new InvalidInputException("context", "must be auto or search-only");
        }
        return new Notes.Draft(body.optionalString("title"), body.optionalString("body"),
                body.optionalString("summary"), strings(body, "tags"), parsed, strings(body, "references"));
    }

    private static List<String> strings(Body body, String field) {
        JsonNode node = body.get(field);
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            throw new InvalidInputException(field, "must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw new InvalidInputException(field + "[" + i + "]", "must be a string");
            }
            out.add(node.get(i).asText());
        }
        return out;
    }

    static ObjectNode wire(Note note) {
        ObjectNode node = Json.object()
                .put("id", note.id())
                .put("title", note.title())
                .put("body", note.body())
                .put("summary", note.summary())
                .put("context", note.context().wireName())
                .put("createdAt", note.createdAt().toEpochMilli())
                .put("updatedAt", note.updatedAt().toEpochMilli());
        ArrayNode tags = node.putArray("tags");
        note.tags().forEach(tags::add);
        ArrayNode references = node.putArray("references");
        note.references().forEach(references::add);
        return node;
    }
}

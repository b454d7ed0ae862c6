package dev.switchboard.knowledge;

import dev.switchboard.Ids;
import dev.switchboard.context.OwnerPresence;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Knowledge notes: validated, stored and indexed on the same retrieval engine as memories, within one owner. */
public final class Notes {

    public static final int MAX_TITLE = 200;
    public static final int MAX_BODY = 100_000;
    public static final int MAX_SUMMARY = 2_000;
    public static final int MAX_TAGS = 10;
    public static final int MAX_TAG = 50;
    public static final int MAX_REFERENCES = 50;
    public static final int MAX_REFERENCE = 2_000;
    public static final int MAX_LIMIT = 500;

    /** A new note, or (with null fields kept) a change to one. */
    public record Draft(String title, String body, String summary, List<String> tags, NoteContext context,
            List<String> references) {
    }

    private final NoteStore store;
    private final Retrieval retrieval;
    private final Clock clock;

    /** Whether an owner has any {@code context: auto} note: a run of an owner with none reads none. */
    private final OwnerPresence automatic;

    public Notes(NoteStore store, Retrieval retrieval, Clock clock) {
        this.store = store;
        this.retrieval = retrieval;
        this.clock = clock;
        this.automatic = new OwnerPresence(owner -> !store.list(owner, NoteContext.AUTO, 1, 0).isEmpty());
    }

    public Note create(String ownerId, Draft draft) {
        Instant now = clock.instant();
        Note note = new Note(Ids.next("note"), ownerId, text("title", draft.title(), MAX_TITLE),
                text("body", draft.body(), MAX_BODY), optional("summary", draft.summary(), MAX_SUMMARY),
                list("tags", draft.tags(), MAX_TAGS, MAX_TAG),
                draft.context() == null ? NoteContext.SEARCH_ONLY : draft.context(),
                list("references", draft.references(), MAX_REFERENCES, MAX_REFERENCE), now, now);
        store.add(note);
        automatic.changed(ownerId);
        retrieval.put(KnowledgeKind.NOTE, note.id(), ownerId, indexed(note));
        return note;
    }

    public Note get(String ownerId, String id) {
        return store.find(ownerId, id).orElseThrow(() -> new NotFoundException("note", id));
    }

    public Note update(String ownerId, String id, Draft change) {
        Note old = get(ownerId, id);
        Note updated = new Note(id, ownerId,
                change.title() == null ? old.title() : text("title", change.title(), MAX_TITLE),
                change.body() == null ? old.body() : text("body", change.body(), MAX_BODY),
                change.summary() == null ? old.summary() : optional("summary", change.summary(), MAX_SUMMARY),
                change.tags() == null ? old.tags() : list("tags", change.tags(), MAX_TAGS, MAX_TAG),
                change.context() == null ? old.context() : change.context(),
                change.references() == null ? old.references()
                        : list("references", change.references(), MAX_REFERENCES, MAX_REFERENCE),
                old.createdAt(), clock.instant());
        if (!store.update(updated)) {
            throw new NotFoundException("note", id);
        }
        automatic.changed(ownerId);
        if (!indexed(updated).equals(indexed(old))) {
            retrieval.put(KnowledgeKind.NOTE, id, ownerId, indexed(updated));
        }
        return updated;
    }

    public void delete(String ownerId, String id) {
        if (!store.delete(ownerId, id)) {
            throw new NotFoundException("note", id);
        }
        automatic.changed(ownerId);
        retrieval.remove(KnowledgeKind.NOTE, id, ownerId);
    }

    /** The owner's notes, newest first, or best match first when {@code query} is given. */
    public List<Note> list(String ownerId, String query, int limit, int offset) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0) {
            throw new InvalidInputException("offset", "must not be negative");
        }
        if (query == null || query.isBlank()) {
            return store.list(ownerId, null, limit, offset);
        }
        List<Retrieval.Hit> hits = retrieval.search(KnowledgeKind.NOTE, ownerId, query, offset + limit);
        Map<String, Note> byId = store.findAll(ownerId, hits.stream().map(Retrieval.Hit::id).toList()).stream()
                .collect(Collectors.toMap(Note::id, Function.identity()));
        List<Note> found = new ArrayList<>();
        hits.stream().skip(offset).map(h -> byId.get(h.id())).filter(n -> n != null).forEach(found::add);
        return found;
    }

    /** The owner's notes marked {@code context: auto}, newest first. */
    public List<Note> automatic(String ownerId, int limit) {
        if (!automatic.has(ownerId)) {
            return List.of();
        }
        return store.list(ownerId, NoteContext.AUTO, limit, 0);
    }

    private static String indexed(Note note) {
        return note.title() + "\n" + (note.summary() == null ? "" : note.summary() + "\n") + note.body();
    }

    private static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field, "is required and must not be empty");
        }
        if (value.length() > max) {
            throw new InvalidInputException(field, "must be at most " + max + " characters");
        }
        return value;
    }

    private static String optional(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return text(field, value, max);
    }

    private static List<String> list(String field, List<String> values, int maxItems, int maxLength) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > maxItems) {
            throw new InvalidInputException(field, "at most " + maxItems + " items (got " + values.size() + ")");
        }
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || value.isEmpty() || value.length() > maxLength) {
                throw new InvalidInputException(field + "[" + i + "]", "must be 1 to " + maxLength + " characters");
            }
        }
        return List.copyOf(new LinkedHashSet<>(values));
    }
}

package dev.switchboard.memory;

import dev.switchboard.Ids;
import dev.switchboard.context.OwnerPresence;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.knowledge.KnowledgeKind;
import dev.switchboard.knowledge.Retrieval;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Memories: validated, stored, indexed for search, always within one owner. Every face and tool goes through here. */
public final class Memories {

    public static final int MAX_CONTENT = 10_000;
    public static final int MAX_TAGS = 10;
    public static final int MAX_TAG = 50;
    public static final int MAX_CATEGORY = 100;
    public static final int MAX_LIMIT = 500;
    /** How many search hits are filtered and paged at most; a search is for the best matches, not a full listing. */
    private static final int SEARCH_DEPTH = 500;

    /** What a new memory says; null fields take their defaults (user source, unpinned, importance 0.5). */
    public record Draft(String agentId, String content, List<String> tags, MemorySource source, Boolean pinned,
            String category, Double importance) {
    }

    /** A partial update: null fields keep their stored value. */
    public record Change(String content, List<String> tags, MemorySource source, Boolean pinned, String category,
            Double importance) {
    }

    private final MemoryStore store;
    private final Retrieval retrieval;
    private final Clock clock;

    /** Whether an owner has any memory, and any pinned one: a run of an owner with none reads none. */
    private final OwnerPresence any;
    private final OwnerPresence pinned;

    public Memories(MemoryStore store, Retrieval retrieval, Clock clock) {
        this.store = store;
        this.retrieval = retrieval;
        this.clock = clock;
        this.any = new OwnerPresence(owner -> !store.list(owner, MemoryFilter.ALL, 1, 0).isEmpty());
        this.pinned = new OwnerPresence(owner -> !store.list(owner, new MemoryFilter(null, List.of(), null, true), 1,
                0).isEmpty());
    }

    /** Whether the owner has any memory; remembered until one of theirs is written here. */
    public boolean hasAny(String ownerId) {
        return any.has(ownerId);
    }

    /** Whether the owner has any pinned memory; remembered until one of theirs is written here. */
    public boolean hasPinned(String ownerId) {
        return pinned.has(ownerId);
    }

    private void changed(String ownerId) {
        any.changed(ownerId);
        pinned.changed(ownerId);
    }

    public Memory create(String ownerId, Draft draft) {
        Instant now = clock.instant();
        Memory memory = new Memory(Ids.next("mem"), ownerId, draft.agentId(), content(draft.content()),
                tags(draft.tags()), draft.source() == null ? MemorySource.USER : draft.source(),
                draft.pinned() != null && draft.pinned(), category(draft.category()),
                importance(draft.importance() == null ? 0.5 : draft.importance()), now, now);
        store.add(memory);
        changed(ownerId);
        retrieval.put(KnowledgeKind.MEMORY, memory.id(), ownerId, memory.content());
        return memory;
    }

    public Memory get(String ownerId, String id) {
        return store.find(ownerId, id).orElseThrow(() -> new NotFoundException("memory", id));
    }

    public Memory update(String ownerId, String id, Change change) {
        Memory old = get(ownerId, id);
        Memory updated = new Memory(old.id(), ownerId, old.agentId(),
                change.content() == null ? old.content() : content(change.content()),
                change.tags() == null ? old.tags() : tags(change.tags()),
                change.source() == null ? old.source() : change.source(),
                change.pinned() == null ? old.pinned() : change.pinned(),
                change.category() == null ? old.category() : category(change.category()),
                change.importance() == null ? old.importance() : importance(change.importance()),
                old.createdAt(), clock.instant());
        if (!store.update(updated)) {
            throw new NotFoundException("memory", id);
        }
        changed(ownerId);
        if (!updated.content().equals(old.content())) {
            retrieval.put(KnowledgeKind.MEMORY, id, ownerId, updated.content());
        }
        return updated;
    }

    public void delete(String ownerId, String id) {
        if (!store.delete(ownerId, id)) {
            throw new NotFoundException("memory", id);
        }
        changed(ownerId);
        retrieval.remove(KnowledgeKind.MEMORY, id, ownerId);
    }

    /** The owner's memories passing {@code filter}: newest first, or best match first when {@code query} is given. */
    public List<Memory> list(String ownerId, String query, MemoryFilter filter, int limit, int offset) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0) {
            throw new InvalidInputException("offset", "must not be negative");
        }
        if (query == null || query.isBlank()) {
            return store.list(ownerId, filter, limit, offset);
        }
        return search(ownerId, query, filter, SEARCH_DEPTH).stream().skip(offset).limit(limit).toList();
    }

    /** The owner's memories best matching {@code query} that pass {@code filter}, best first. */
    public List<Memory> search(String ownerId, String query, MemoryFilter filter, int limit) {
        List<Retrieval.Hit> hits = retrieval.search(KnowledgeKind.MEMORY, ownerId, query, SEARCH_DEPTH);
        Map<String, Memory> byId = store.findAll(ownerId, hits.stream().map(Retrieval.Hit::id).toList()).stream()
                .collect(Collectors.toMap(Memory::id, Function.identity()));
        List<Memory> found = new ArrayList<>();
        for (Retrieval.Hit hit : hits) {
            Memory memory = byId.get(hit.id());
            if (memory != null && filter.accepts(memory)) {
                found.add(memory);
                if (found.size() == limit) {
                    break;
                }
            }
        }
        return found;
    }

    static String content(String content) {
        if (content == null || content.isBlank()) {
            throw new InvalidInputException("content", "is required and must not be empty");
        }
        if (content.length() > MAX_CONTENT) {
            throw new InvalidInputException("content", "must be at most " + MAX_CONTENT + " characters (got "
                    + content.length() + ")");
        }
        return content;
    }

    static List<String> tags(List<String> tags) {
        if (tags == null) {
            return List.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw new InvalidInputException("tags", "at most " + MAX_TAGS + " tags (got " + tags.size() + ")");
        }
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            if (tag == null || tag.isEmpty() || tag.length() > MAX_TAG) {
                throw new InvalidInputException("tags[" + i + "]", "a tag must be 1 to " + MAX_TAG + " characters");
            }
        }
        return List.copyOf(new LinkedHashSet<>(tags));
    }

    static String category(String category) {
        if (category != null && (category.isBlank() || category.length() > MAX_CATEGORY)) {
            throw new InvalidInputException("category", "must be 1 to " + MAX_CATEGORY + " characters");
        }
        return category;
    }

    static double importance(double importance) {
        if (!(importance >= 0 && importance <= 1)) {
            throw new InvalidInputException("importance", "must be a number from 0 to 1");
        }
        return importance;
    }
}

package dev.switchboard.knowledge;

import java.time.Instant;
import java.util.List;

/**
 * The searchable copy of memories' and notes' text: a full-text index (SQLite FTS5, PostgreSQL tsvector) and one
 * embedding vector per entry, filled in later by the embedding worker.
 */
public interface KnowledgeIndex {

    /** An entry whose vector is missing or was made by another model. */
    record Pending(KnowledgeKind kind, String id, String ownerId, String text) {
    }

    /** An entry's vector. */
    record StoredVector(String id, float[] vector) {
    }

    /** Changes whenever the owner's vectors of a kind change: their count and the newest embedding time. */
    record Stamp(long count, long newest) {
    }

    /** Adds or replaces an entry's text; its old vector is dropped until the worker embeds the new text. */
    void put(KnowledgeKind kind, String id, String ownerId, String text, Instant now);

    void remove(KnowledgeKind kind, String id);

    /** Ids of the owner's entries holding any of {@code words}, best match first. */
    List<String> matchText(KnowledgeKind kind, String ownerId, List<String> words, int limit);

    /** Up to {@code limit} entries that have no vector of {@code model}. */
    List<Pending> unembedded(String model, int limit);

    /** Stores a vector, unless the entry's text changed since it was read (the newer text is then pending). */
    void storeVector(Pending entry, float[] vector, String model, Instant now);

    Stamp stamp(KnowledgeKind kind, String ownerId, String model);

    List<StoredVector> vectors(KnowledgeKind kind, String ownerId, String model);

    /**
     * Brings the database's statistics and storage up to date after many entries changed at once (the embedding
     * of a bulk import rewrites every row it embeds), so that its planner keeps choosing the right indexes.
     */
    default void optimize() {
    }
}

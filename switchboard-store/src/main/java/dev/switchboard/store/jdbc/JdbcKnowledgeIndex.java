package dev.switchboard.store.jdbc;

import dev.switchboard.knowledge.KnowledgeIndex;
import dev.switchboard.knowledge.KnowledgeKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@link KnowledgeIndex} on the same database as {@link JdbcStore}: FTS5 with the porter stemmer on SQLite, an
 * English tsvector with a GIN index on PostgreSQL; vectors as little-endian float32 bytes on both.
 */
public final class JdbcKnowledgeIndex implements KnowledgeIndex {

    private final JdbcStore db;
    private final Vendor vendor;

    JdbcKnowledgeIndex(JdbcStore db, Vendor vendor) {
        this.db = db;
        this.vendor = vendor;
    }

    @Override
    public void put(KnowledgeKind kind, String id, String ownerId, String text, Instant now) {
        db.write(h -> h.createUpdate("""
                INSERT INTO knowledge_index (kind, id, owner_id, body, updated_at)
                VALUES (:kind, :id, :owner, :body, :at)
                ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at,
                    vector = NULL, vector_model = NULL, embedded_at = NULL""")
                .bind("kind", kind.key())
                .bind("id", id)
                .bind("owner", ownerId)
                .bind("body", text)
                .bind("at", now.toEpochMilli())
                .execute());
    }

    @Override
    public void remove(KnowledgeKind kind, String id) {
        db.write(h -> h.createUpdate("DELETE FROM knowledge_index WHERE kind = :kind AND id = :id")
                .bind("kind", kind.key())
                .bind("id", id)
                .execute());
    }

    @Override
    public List<String> matchText(KnowledgeKind kind, String ownerId, List<String> words, int limit) {
        if (words.isEmpty()) {
            return List.of();
        }
        // words are letters and digits only (Retrieval splits them so), yet are quoted as the syntax allows
        String sql = switch (vendor) {
            case SQLITE -> """
                    SELECT k.id FROM knowledge_fts f JOIN knowledge_index k ON k.rowid = f.rowid
                    WHERE knowledge_fts MATCH :match AND k.kind = :kind AND k.owner_id = :owner
                    ORDER BY bm25(knowledge_fts) LIMIT :limit""";
            case POSTGRESQL -> """
                    SELECT id FROM knowledge_index
                    WHERE body_tsv @@ to_tsquery('english', :match) AND kind = :kind AND owner_id = :owner
                    ORDER BY ts_rank(body_tsv, to_tsquery('english', :match)) DESC, id LIMIT :limit""";
        };
        String match = switch (vendor) {
            case SQLITE -> words.stream().map(w -> '"' + w.replace("\"", "") + '"').collect(Collectors.joining(" OR "));
            case POSTGRESQL -> words.stream().map(w -> "'" + w.replace("'", "") + "'").collect(Collectors.joining(" | "));
        };
        return db.jdbi().withHandle(h -> h.createQuery(sql)
                .bind("match", match)
                .bind("kind", kind.key())
                .bind("owner", ownerId)
                .bind("limit", limit)
                .mapTo(String.class)
                .list());
    }

    @Override
    public List<Pending> unembedded(String model, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT kind, id, owner_id, body FROM knowledge_index
                WHERE vector IS NULL OR vector_model <> :model
                ORDER BY updated_at LIMIT :limit""")
                .bind("model", model)
                .bind("limit", limit)
                .map((rs, ctx) -> new Pending(kind(rs.getString("kind")), rs.getString("id"), rs.getString("owner_id"),
                        rs.getString("body")))
                .list());
    }

    @Override
    public void storeVector(Pending entry, float[] vector, String model, Instant now) {
        db.write(h -> h.createUpdate("""
                UPDATE knowledge_index SET vector = :vector, vector_model = :model, embedded_at = :at
                WHERE kind = :kind AND id = :id AND body = :body""")
                .bind("vector", bytes(vector))
                .bind("model", model)
                .bind("at", now.toEpochMilli())
                .bind("kind", entry.kind().key())
                .bind("id", entry.id())
                .bind("body", entry.text())
                .execute());
    }

    @Override
    public Stamp stamp(KnowledgeKind kind, String ownerId, String model) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT COUNT(*) AS n, COALESCE(MAX(embedded_at), 0) AS newest FROM knowledge_index
                WHERE kind = :kind AND owner_id = :owner AND vector_model = :model""")
                .bind("kind", kind.key())
                .bind("owner", ownerId)
                .bind("model", model)
                .map((rs, ctx) -> new Stamp(rs.getLong("n"), rs.getLong("newest")))
                .one());
    }

    @Override
    public List<StoredVector> vectors(KnowledgeKind kind, String ownerId, String model) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT id, vector FROM knowledge_index
                WHERE kind = :kind AND owner_id = :owner AND vector_model = :model""")
                .bind("kind", kind.key())
                .bind("owner", ownerId)
                .bind("model", model)
                .map((rs, ctx) -> new StoredVector(rs.getString("id"), floats(rs.getBytes("vector"))))
                .list());
    }

    @Override
    public void optimize() {
        // the embedding updates leave a dead version of each row behind, and a table filled since the last
        // statistics makes PostgreSQL scan by owner instead of using the text index; VACUUM runs outside any
        // transaction, which a Jdbi handle in auto-commit is
        String sql = switch (vendor) {
            case SQLITE -> "PRAGMA optimize";
            case POSTGRESQL -> "VACUUM (ANALYZE) knowledge_index";
        };
        db.jdbi().useHandle(h -> h.execute(sql));
    }

    private static KnowledgeKind kind(String key) {
        for (KnowledgeKind kind : KnowledgeKind.values()) {
            if (kind.key().equals(key)) {
                return kind;
            }
        }
        throw new IllegalStateException("Unknown knowledge kind '" + key + "' in the index");
    }

    static byte[] bytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] floats(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}

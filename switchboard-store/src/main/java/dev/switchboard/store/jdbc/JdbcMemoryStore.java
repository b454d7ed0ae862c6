package dev.switchboard.store.jdbc;

import dev.switchboard.memory.Memory;
import dev.switchboard.memory.MemoryFilter;
import dev.switchboard.memory.MemorySource;
import dev.switchboard.memory.MemoryStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link MemoryStore} on the same database as {@link JdbcStore}. */
public final class JdbcMemoryStore implements MemoryStore {

    private static final String COLUMNS = "id, owner_id, agent_id, content, tags, source, pinned, category, importance, "
            + "created_at, updated_at";

    private final JdbcStore db;

    JdbcMemoryStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public void add(Memory memory) {
        db.write(h -> h.inTransaction(t -> {
            t.createUpdate("INSERT INTO memories (" + COLUMNS + ") VALUES (:id, :owner, :agent, :content, :tags, "
                            + ":source, :pinned, :category, :importance, :createdAt, :updatedAt)")
                    .bindMap(values(memory))
                    .execute();
            insertTags(t, memory);
            return null;
        }));
    }

    @Override
    public boolean update(Memory memory) {
        return db.write(h -> h.inTransaction(t -> {
            int changed = t.createUpdate("UPDATE memories SET content = :content, tags = :tags, source = :source, "
                            + "pinned = :pinned, category = :category, importance = :importance, "
                            + "updated_at = :updatedAt WHERE id = :id AND owner_id = :owner")
                    .bindMap(values(memory))
                    .execute();
            if (changed == 0) {
                return false;
            }
            t.createUpdate("DELETE FROM memory_tags WHERE memory_id = :id").bind("id", memory.id()).execute();
            insertTags(t, memory);
            return true;
        }));
    }

    @Override
    public Optional<Memory> find(String ownerId, String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM memories WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .map(JdbcMemoryStore::memory)
                .findOne());
    }

    @Override
    public boolean delete(String ownerId, String id) {
        return db.write(h -> h.createUpdate("DELETE FROM memories WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .execute()) > 0;
    }

    @Override
    public List<Memory> list(String ownerId, MemoryFilter filter, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM memories m WHERE owner_id = :owner");
        if (filter.agentId() != null) {
            sql.append(" AND agent_id = :agent");
        }
        if (filter.source() != null) {
            sql.append(" AND source = :source");
        }
        if (filter.pinned() != null) {
            sql.append(" AND pinned = :pinned");
        }
        if (!filter.tags().isEmpty()) {
            sql.append(" AND EXISTS (SELECT 1 FROM memory_tags t WHERE t.memory_id = m.id AND t.tag IN (<tags>))");
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset");
        return db.jdbi().withHandle(h -> {
            Query query = h.createQuery(sql.toString())
                    .bind("owner", ownerId)
                    .bind("limit", limit)
                    .bind("offset", offset);
            if (filter.agentId() != null) {
                query.bind("agent", filter.agentId());
            }
            if (filter.source() != null) {
                query.bind("source", filter.source().wireName());
            }
            if (filter.pinned() != null) {
                query.bind("pinned", filter.pinned() ? 1 : 0);
            }
            if (!filter.tags().isEmpty()) {
                query.bindList("tags", filter.tags());
            }
            return query.map(JdbcMemoryStore::memory).list();
        });
    }

    @Override
    public List<Memory> findAll(String ownerId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM memories WHERE owner_id = :owner AND id IN (<ids>)")
                .bind("owner", ownerId)
                .bindList("ids", List.copyOf(ids))
                .map(JdbcMemoryStore::memory)
                .list());
    }

    private static void insertTags(Handle h, Memory memory) {
        for (String tag : memory.tags()) {
            h.createUpdate("INSERT INTO memory_tags (memory_id, tag) VALUES (:id, :tag)")
                    .bind("id", memory.id())
                    .bind("tag", tag)
                    .execute();
        }
    }

    private static java.util.Map<String, Object> values(Memory memory) {
        java.util.Map<String, Object> values = new java.util.HashMap<>();
        values.put("id", memory.id());
        values.put("owner", memory.ownerId());
        values.put("agent", memory.agentId());
        values.put("content", memory.content());
        values.put("tags", JsonColumns.writeStrings(memory.tags()));
        values.put("source", memory.source().wireName());
        values.put("pinned", memory.pinned() ? 1 : 0);
        values.put("category", memory.category());
        values.put("importance", memory.importance());
        values.put("createdAt", memory.createdAt().toEpochMilli());
        values.put("updatedAt", memory.updatedAt().toEpochMilli());
        return values;
    }

    private static Memory memory(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Memory(rs.getString("id"), rs.getString("owner_id"), rs.getString("agent_id"),
                rs.getString("content"), JsonColumns.readStrings(rs.getString("tags")),
                MemorySource.of(rs.getString("source")), rs.getInt("pinned") != 0, rs.getString("category"),
                rs.getDouble("importance"), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}

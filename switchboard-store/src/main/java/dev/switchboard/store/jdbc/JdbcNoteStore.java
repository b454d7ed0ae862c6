package dev.switchboard.store.jdbc;

import dev.switchboard.knowledge.Note;
import dev.switchboard.knowledge.NoteContext;
import dev.switchboard.knowledge.NoteStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link NoteStore} on the same database as {@link JdbcStore}. */
public final class JdbcNoteStore implements NoteStore {

    private static final String COLUMNS = "id, owner_id, title, body, summary, tags, context, refs, created_at, "
            + "updated_at";

    private final JdbcStore db;

    JdbcNoteStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public void add(Note note) {
        db.write(h -> h.createUpdate("INSERT INTO notes (" + COLUMNS + ") VALUES (:id, :owner, :title, :body, "
                        + ":summary, :tags, :context, :refs, :createdAt, :updatedAt)")
                .bindMap(values(note))
                .execute());
    }

    @Override
    public boolean update(Note note) {
        return db.write(h -> h.createUpdate("UPDATE notes SET title = :title, body = :body, summary = :summary, "
                        + "tags = :tags, context = :context, refs = :refs, updated_at = :updatedAt "
                        + "WHERE id = :id AND owner_id = :owner")
                .bindMap(values(note))
                .execute()) > 0;
    }

    @Override
    public Optional<Note> find(String ownerId, String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM notes WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .map(JdbcNoteStore::note)
                .findOne());
    }

    @Override
    public boolean delete(String ownerId, String id) {
        return db.write(h -> h.createUpdate("DELETE FROM notes WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .execute()) > 0;
    }

    @Override
    public List<Note> list(String ownerId, NoteContext context, int limit, int offset) {
        return db.jdbi().withHandle(h -> {
            var query = h.createQuery("SELECT " + COLUMNS + " FROM notes WHERE owner_id = :owner"
                            + (context == null ? "" : " AND context = :context")
                            + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
                    .bind("owner", ownerId)
                    .bind("limit", limit)
                    .bind("offset", offset);
            if (context != null) {
                query.bind("context", context.wireName());
            }
            return query.map(JdbcNoteStore::note).list();
        });
    }

    @Override
    public List<Note> findAll(String ownerId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM notes WHERE owner_id = :owner AND id IN (<ids>)")
                .bind("owner", ownerId)
                .bindList("ids", List.copyOf(ids))
                .map(JdbcNoteStore::note)
                .list());
    }

    private static Map<String, Object> values(Note note) {
        Map<String, Object> values = new HashMap<>();
        values.put("id", note.id());
        values.put("owner", note.ownerId());
        values.put("title", note.title());
        values.put("body", note.body());
        values.put("summary", note.summary());
        values.put("tags", JsonColumns.writeStrings(note.tags()));
        values.put("context", note.context().wireName());
        values.put("refs", JsonColumns.writeStrings(note.references()));
        values.put("createdAt", note.createdAt().toEpochMilli());
        values.put("updatedAt", note.updatedAt().toEpochMilli());
        return values;
    }

    private static Note note(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Note(rs.getString("id"), rs.getString("owner_id"), rs.getString("title"), rs.getString("body"),
                rs.getString("summary"), JsonColumns.readStrings(rs.getString("tags")),
                NoteContext.of(rs.getString("context")), JsonColumns.readStrings(rs.getString("refs")),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}

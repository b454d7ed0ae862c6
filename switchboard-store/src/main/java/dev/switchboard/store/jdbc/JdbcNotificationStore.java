package dev.switchboard.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.notification.Notification;
import dev.switchboard.notification.NotificationStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link NotificationStore} on the same database as {@link JdbcStore}. */
public final class JdbcNotificationStore implements NotificationStore {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String COLUMNS = "id, owner_id, type, title, body, data, is_read, created_at";

    private final JdbcStore db;

    JdbcNotificationStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public void add(Notification n) {
        db.write(h -> h.createUpdate("INSERT INTO notifications (" + COLUMNS + ") VALUES (:id, :owner, :type, "
                        + ":title, :body, :data, :read, :at)")
                .bind("id", n.id())
                .bind("owner", n.ownerId())
                .bind("type", n.type())
                .bind("title", n.title())
                .bind("body", n.body())
                .bind("data", json(n.data()))
                .bind("read", n.read() ? 1 : 0)
                .bind("at", n.createdAt().toEpochMilli())
                .execute());
    }

    @Override
    public List<Notification> list(String ownerId, boolean unreadOnly, int limit, int offset) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM notifications WHERE owner_id = "
                        + ":owner" + (unreadOnly ? " AND is_read = 0" : "")
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .bind("owner", ownerId)
                .bind("limit", limit)
                .bind("offset", offset)
                .map(JdbcNotificationStore::notification)
                .list());
    }

    @Override
    public int count(String ownerId, boolean unreadOnly) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM notifications WHERE owner_id = :owner"
                        + (unreadOnly ? " AND is_read = 0" : ""))
                .bind("owner", ownerId)
                .mapTo(Integer.class)
                .one());
    }

    @Override
    public boolean markRead(String ownerId, String id) {
        return db.write(h -> h.createUpdate("UPDATE notifications SET is_read = 1 WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .execute()) > 0;
    }

    @Override
    public int markAllRead(String ownerId) {
        return db.write(h -> h.createUpdate("UPDATE notifications SET is_read = 1 WHERE owner_id = :owner "
                        + "AND is_read = 0")
                .bind("owner", ownerId)
                .execute());
    }

    private static Notification notification(ResultSet rs, StatementContext ctx) throws SQLException {
        Map<String, String> data;
        try {
            data = MAPPER.readValue(rs.getString("data"), new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new SQLException("Unreadable data of notification " + rs.getString("id"), e);
        }
        return new Notification(rs.getString("id"), rs.getString("owner_id"), rs.getString("type"),
                rs.getString("title"), rs.getString("body"), data, rs.getInt("is_read") != 0,
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.switchboard.store.jdbc;

import dev.switchboard.Ids;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.statement.Query;

/** The {@link AuditLog} in the {@code audit_events} table. */
public final class JdbcAuditLog implements AuditLog {

    private final JdbcStore db;

    JdbcAuditLog(JdbcStore db) {
        this.db = db;
    }

    @Override
    public void record(AuditEvent event) {
        db.write(h -> h.createUpdate("""
                        INSERT INTO audit_events (id, at, type, actor_id, ip, target_type, target_id, outcome, details)
                        VALUES (:id, :at, :type, :actor, :ip, :targetType, :targetId, :outcome, :details)""")
                .bind("id", event.id() == null ? Ids.next("aud") : event.id())
                .bind("at", JdbcStore.millis(event.at()))
                .bind("type", event.type())
                .bind("actor", event.actorId())
                .bind("ip", event.ip())
                .bind("targetType", event.targetType())
                .bind("targetId", event.targetId())
                .bind("outcome", event.outcome())
                .bind("details", JsonColumns.writeMetadata(event.details()))
                .execute());
    }

    @Override
    public List<AuditEvent> list(String typePrefix, String actorId, Instant since, Instant until, int limit,
            int offset) {
        StringBuilder sql = new StringBuilder("SELECT id, at, type, actor_id, ip, target_type, target_id, outcome, "
                + "details FROM audit_events WHERE 1 = 1");
        if (typePrefix != null) {
            sql.append(" AND type LIKE :type ESCAPE '\\'");
        }
        if (actorId != null) {
            sql.append(" AND actor_id = :actor");
        }
        if (since != null) {
            sql.append(" AND at >= :since");
        }
        if (until != null) {
            sql.append(" AND at < :until");
        }
        sql.append(" ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset");
        return db.jdbi().withHandle(h -> {
            Query query = h.createQuery(sql.toString()).bind("limit", limit).bind("offset", offset);
            if (typePrefix != null) {
                query.bind("type", typePrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            }
            if (actorId != null) {
                query.bind("actor", actorId);
            }
            if (since != null) {
                query.bind("since", since.toEpochMilli());
            }
            if (until != null) {
                query.bind("until", until.toEpochMilli());
            }
            return query.map((rs, ctx) -> new AuditEvent(rs.getString("id"),
                            Instant.ofEpochMilli(rs.getLong("at")), rs.getString("type"), rs.getString("actor_id"),
                            rs.getString("ip"), rs.getString("target_type"), rs.getString("target_id"),
                            rs.getString("outcome"), JsonColumns.readMetadata(rs.getString("details"))))
                    .list();
        });
    }
}

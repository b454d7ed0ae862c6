package dev.switchboard.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.webhook.Webhook;
import dev.switchboard.webhook.WebhookAttempt;
import dev.switchboard.webhook.WebhookDelivery;
import dev.switchboard.webhook.WebhookStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link WebhookStore} on the same database as {@link JdbcStore}. */
public final class JdbcWebhookStore implements WebhookStore {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String COLUMNS = "id, owner_id, url, description, events, secret_sealed, created_at";
    private static final String DELIVERY_COLUMNS = "id, webhook_id, owner_id, event, body, status, attempts, "
            + "next_attempt_at, last_status_code, last_error, created_at, updated_at";

    private final JdbcStore db;

    JdbcWebhookStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public void add(Webhook w) {
        String events;
        try {
            events = MAPPER.writeValueAsString(w.events());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        db.write(h -> h.createUpdate("INSERT INTO webhooks (" + COLUMNS + ") VALUES (:id, :owner, :url, "
                        + ":description, :events, :secret, :at)")
                .bind("id", w.id())
                .bind("owner", w.ownerId())
                .bind("url", w.url())
                .bind("description", w.description())
                .bind("events", events)
                .bind("secret", w.sealedSecret())
                .bind("at", w.createdAt().toEpochMilli())
                .execute());
    }

    @Override
    public Optional<Webhook> find(String ownerId, String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM webhooks WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .map(JdbcWebhookStore::webhook)
                .findOne());
    }

    @Override
    public List<Webhook> list(String ownerId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM webhooks WHERE owner_id = :owner ORDER BY created_at, id")
                .bind("owner", ownerId)
                .map(JdbcWebhookStore::webhook)
                .list());
    }

    @Override
    public List<Webhook> all() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM webhooks ORDER BY created_at, id")
                .map(JdbcWebhookStore::webhook)
                .list());
    }

    @Override
    public boolean delete(String ownerId, String id) {
        return db.transaction(h -> {
            int deleted = h.createUpdate("DELETE FROM webhooks WHERE id = :id AND owner_id = :owner")
                    .bind("id", id)
                    .bind("owner", ownerId)
                    .execute();
            if (deleted == 0) {
                return false;
            }
            h.createUpdate("DELETE FROM webhook_attempts WHERE delivery_id IN "
                            + "(SELECT id FROM webhook_deliveries WHERE webhook_id = :id)")
                    .bind("id", id)
                    .execute();
            h.createUpdate("DELETE FROM webhook_deliveries WHERE webhook_id = :id").bind("id", id).execute();
            return true;
        });
    }

    @Override
    public void addDelivery(WebhookDelivery d) {
        db.write(h -> h.createUpdate("INSERT INTO webhook_deliveries (" + DELIVERY_COLUMNS + ") VALUES (:id, "
                        + ":webhook, :owner, :event, :body, :status, :attempts, :next, :code, :error, :created, "
                        + ":updated)")
                .bind("id", d.id())
                .bind("webhook", d.webhookId())
                .bind("owner", d.ownerId())
                .bind("event", d.event())
                .bind("body", d.body())
                .bind("status", d.status().wireName())
                .bind("attempts", d.attempts())
                .bind("next", d.nextAttemptAt().toEpochMilli())
                .bind("code", d.lastStatusCode())
                .bind("error", d.lastError())
                .bind("created", d.createdAt().toEpochMilli())
                .bind("updated", d.updatedAt().toEpochMilli())
                .execute());
    }

    @Override
    public List<WebhookDelivery> due(Instant now, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries "
                        + "WHERE status = 'pending' AND next_attempt_at <= :now ORDER BY next_attempt_at, id "
                        + "LIMIT :limit")
                .bind("now", now.toEpochMilli())
                .bind("limit", limit)
                .map(JdbcWebhookStore::delivery)
                .list());
    }

    @Override
    public boolean claim(String deliveryId, Instant seen, Instant leaseUntil) {
        return db.write(h -> h.createUpdate("UPDATE webhook_deliveries SET next_attempt_at = :lease "
                        + "WHERE id = :id AND status = 'pending' AND next_attempt_at = :seen")
                .bind("lease", leaseUntil.toEpochMilli())
                .bind("id", deliveryId)
                .bind("seen", seen.toEpochMilli())
                .execute()) > 0;
    }

    @Override
    public void recordAttempt(WebhookAttempt a, WebhookDelivery.Status status, Instant nextAttemptAt, Instant now) {
        db.transaction(h -> {
            h.createUpdate("INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, duration_ms, "
                            + "attempted_at) VALUES (:delivery, :attempt, :code, :error, :duration, :at)")
                    .bind("delivery", a.deliveryId())
                    .bind("attempt", a.attempt())
                    .bind("code", a.statusCode())
                    .bind("error", a.error())
                    .bind("duration", a.durationMs())
                    .bind("at", a.at().toEpochMilli())
                    .execute();
            return h.createUpdate("UPDATE webhook_deliveries SET status = :status, attempts = :attempt, "
                            + "next_attempt_at = :next, last_status_code = :code, last_error = :error, "
                            + "updated_at = :now WHERE id = :delivery")
                    .bind("status", status.wireName())
                    .bind("attempt", a.attempt())
                    .bind("next", nextAttemptAt.toEpochMilli())
                    .bind("code", a.statusCode())
                    .bind("error", a.error())
                    .bind("now", now.toEpochMilli())
                    .bind("delivery", a.deliveryId())
                    .execute();
        });
    }

    @Override
    public List<WebhookDelivery> deliveries(String webhookId, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries "
                        + "WHERE webhook_id = :webhook ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("webhook", webhookId)
                .bind("limit", limit)
                .map(JdbcWebhookStore::delivery)
                .list());
    }

    @Override
    public List<WebhookAttempt> attempts(List<String> deliveryIds) {
        if (deliveryIds.isEmpty()) {
            return List.of();
        }
        return db.jdbi().withHandle(h -> h.createQuery("SELECT delivery_id, attempt, status_code, error, "
                        + "duration_ms, attempted_at FROM webhook_attempts WHERE delivery_id IN (<ids>) "
                        + "ORDER BY delivery_id, attempt")
                .bindList("ids", deliveryIds)
                .map((rs, ctx) -> new WebhookAttempt(rs.getString("delivery_id"), rs.getInt("attempt"),
                        nullableInt(rs, "status_code"), rs.getString("error"),
                        rs.getLong("duration_ms"), Instant.ofEpochMilli(rs.getLong("attempted_at"))))
                .list());
    }

    private static Webhook webhook(ResultSet rs, StatementContext ctx) throws SQLException {
        List<String> events;
        try {
            events = MAPPER.readValue(rs.getString("events"), new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new SQLException("Unreadable events of webhook " + rs.getString("id"), e);
        }
        return new Webhook(rs.getString("id"), rs.getString("owner_id"), rs.getString("url"),
                rs.getString("description"), events, rs.getString("secret_sealed"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static WebhookDelivery delivery(ResultSet rs, StatementContext ctx) throws SQLException {
        return new WebhookDelivery(rs.getString("id"), rs.getString("webhook_id"), rs.getString("owner_id"),
                rs.getString("event"), rs.getString("body"), WebhookDelivery.Status.of(rs.getString("status")),
                rs.getInt("attempts"), Instant.ofEpochMilli(rs.getLong("next_attempt_at")),
                nullableInt(rs, "last_status_code"), rs.getString("last_error"),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}

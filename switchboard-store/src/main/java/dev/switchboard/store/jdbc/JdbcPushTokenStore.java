package dev.switchboard.store.jdbc;

import dev.switchboard.push.PushToken;
import dev.switchboard.push.PushTokenStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link PushTokenStore} on the same database as {@link JdbcStore}. */
public final class JdbcPushTokenStore implements PushTokenStore {

    private static final String COLUMNS = "id, owner_id, token, platform, device_name, registered_at";

    private final JdbcStore db;

    JdbcPushTokenStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public PushToken register(PushToken token) {
        return db.transaction(h -> {
            h.createUpdate("INSERT INTO push_tokens (" + COLUMNS + ") VALUES (:id, :owner, :token, :platform, "
                            + ":deviceName, :at) ON CONFLICT (token) DO UPDATE SET owner_id = :owner, "
                            + "platform = :platform, device_name = :deviceName, registered_at = :at")
                    .bind("id", token.id())
                    .bind("owner", token.ownerId())
                    .bind("token", token.token())
                    .bind("platform", token.platform())
                    .bind("deviceName", token.deviceName())
                    .bind("at", token.registeredAt().toEpochMilli())
                    .execute();
            return h.createQuery("SELECT " + COLUMNS + " FROM push_tokens WHERE token = :token")
                    .bind("token", token.token())
                    .map(JdbcPushTokenStore::pushToken)
                    .one();
        });
    }

    @Override
    public boolean unregister(String ownerId, String token) {
        return db.write(h -> h.createUpdate("DELETE FROM push_tokens WHERE owner_id = :owner AND token = :token")
                .bind("owner", ownerId)
                .bind("token", token)
                .execute()) > 0;
    }

    @Override
    public List<PushToken> list(String ownerId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM push_tokens WHERE owner_id = :owner ORDER BY registered_at, id")
                .bind("owner", ownerId)
                .map(JdbcPushTokenStore::pushToken)
                .list());
    }

    @Override
    public int removeTokens(Collection<String> tokens) {
        if (tokens.isEmpty()) {
            return 0;
        }
        return db.write(h -> h.createUpdate("DELETE FROM push_tokens WHERE token IN (<tokens>)")
                .bindList("tokens", List.copyOf(tokens))
                .execute());
    }

    @Override
    public int badge(String ownerId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT badge FROM push_badges WHERE owner_id = :owner")
                .bind("owner", ownerId)
                .mapTo(Integer.class)
                .findOne()
                .orElse(0));
    }

    @Override
    public int incrementBadge(String ownerId, Instant at) {
        return db.transaction(h -> {
            h.createUpdate("INSERT INTO push_badges (owner_id, badge, updated_at) VALUES (:owner, 1, :at) "
                            + "ON CONFLICT (owner_id) DO UPDATE SET badge = push_badges.badge + 1, updated_at = :at")
                    .bind("owner", ownerId)
                    .bind("at", at.toEpochMilli())
                    .execute();
            return h.createQuery("SELECT badge FROM push_badges WHERE owner_id = :owner")
                    .bind("owner", ownerId)
                    .mapTo(Integer.class)
                    .one();
        });
    }

    @Override
    public void clearBadge(String ownerId, Instant at) {
        db.write(h -> h.createUpdate("INSERT INTO push_badges (owner_id, badge, updated_at) VALUES (:owner, 0, :at) "
                        + "ON CONFLICT (owner_id) DO UPDATE SET badge = 0, updated_at = :at")
                .bind("owner", ownerId)
                .bind("at", at.toEpochMilli())
                .execute());
    }

    private static PushToken pushToken(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PushToken(rs.getString("id"), rs.getString("owner_id"), rs.getString("token"),
                rs.getString("platform"), rs.getString("device_name"),
                Instant.ofEpochMilli(rs.getLong("registered_at")));
    }
}

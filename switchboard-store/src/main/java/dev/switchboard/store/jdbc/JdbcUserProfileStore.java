package dev.switchboard.store.jdbc;

import dev.switchboard.userprofile.UserFact;
import dev.switchboard.userprofile.UserProfileStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link UserProfileStore} on the same database as {@link JdbcStore}. */
public final class JdbcUserProfileStore implements UserProfileStore {

    private static final String COLUMNS = "id, owner_id, fact, confidence, contradicted, source_session_id, "
            + "confirmations, created_at, updated_at";

    private final JdbcStore db;

    JdbcUserProfileStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public List<UserFact> facts(String ownerId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM user_facts WHERE owner_id = :owner ORDER BY created_at, id")
                .bind("owner", ownerId)
                .map(JdbcUserProfileStore::fact)
                .list());
    }

    @Override
    public Optional<UserFact> find(String ownerId, String factId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM user_facts WHERE owner_id = :owner AND id = :id")
                .bind("owner", ownerId)
                .bind("id", factId)
                .map(JdbcUserProfileStore::fact)
                .findOne());
    }

    @Override
    public void save(UserFact f) {
        db.write(h -> h.createUpdate("INSERT INTO user_facts (" + COLUMNS + ") VALUES (:id, :owner, :fact, "
                        + ":confidence, :contradicted, :source, :confirmations, :created, :updated) "
                        + "ON CONFLICT (id) DO UPDATE SET fact = :fact, confidence = :confidence, "
                        + "contradicted = :contradicted, confirmations = :confirmations, updated_at = :updated")
                .bind("id", f.id())
                .bind("owner", f.ownerId())
                .bind("fact", f.fact())
                .bind("confidence", f.confidence())
                .bind("contradicted", f.contradicted())
                .bind("source", f.sourceSessionId())
                .bind("confirmations", f.confirmations())
                .bind("created", f.createdAt().toEpochMilli())
                .bind("updated", f.updatedAt().toEpochMilli())
                .execute());
    }

    @Override
    public boolean delete(String ownerId, String factId) {
        return db.write(h -> h.createUpdate("DELETE FROM user_facts WHERE owner_id = :owner AND id = :id")
                .bind("owner", ownerId)
                .bind("id", factId)
                .execute()) > 0;
    }

    @Override
    public Optional<String> learnedThrough(String sessionId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT through_message_id FROM user_profile_progress "
                        + "WHERE session_id = :session")
                .bind("session", sessionId)
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public void markLearned(String ownerId, String sessionId, String messageId, Instant at) {
        // a session deleted meanwhile has no row to point at: its progress no longer matters
        db.write(h -> h.createUpdate("INSERT INTO user_profile_progress (session_id, owner_id, through_message_id, "
                        + "learned_at) SELECT :session, :owner, :through, :at WHERE EXISTS "
                        + "(SELECT 1 FROM sessions WHERE id = :session) ON CONFLICT (session_id) DO UPDATE SET "
                        + "through_message_id = :through, learned_at = :at")
                .bind("session", sessionId)
                .bind("owner", ownerId)
                .bind("through", messageId)
                .bind("at", at.toEpochMilli())
                .execute());
    }

    private static UserFact fact(ResultSet rs, StatementContext ctx) throws SQLException {
        return new UserFact(rs.getString("id"), rs.getString("owner_id"), rs.getString("fact"),
                rs.getDouble("confidence"), rs.getBoolean("contradicted"), rs.getString("source_session_id"),
                rs.getInt("confirmations"), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}

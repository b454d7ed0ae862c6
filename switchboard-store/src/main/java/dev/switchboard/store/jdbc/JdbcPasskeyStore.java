package dev.switchboard.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.user.Passkey;
import dev.switchboard.user.PasskeyChallenge;
import dev.switchboard.user.PasskeyStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link PasskeyStore} on the same database as {@link JdbcStore}. */
public final class JdbcPasskeyStore implements PasskeyStore {

    private static final String PASSKEY_COLUMNS = "id, user_id, credential_id, credential_data, sign_count, "
            + "uv_initialized, backup_eligible, backup_state, transports, name, created_at, last_used_at";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final JdbcStore db;

    JdbcPasskeyStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public String userHandle(String userId, String candidate) {
        return db.transaction(h -> {
            h.createUpdate("""
                    INSERT INTO passkey_user_handles (user_id, user_handle, created_at)
                    VALUES (:user, :handle, :at)
                    ON CONFLICT (user_id) DO NOTHING""")
                    .bind("user", userId)
                    .bind("handle", candidate)
                    .bind("at", Instant.now().toEpochMilli())
                    .execute();
            return h.createQuery("SELECT user_handle FROM passkey_user_handles WHERE user_id = :user")
                    .bind("user", userId)
                    .mapTo(String.class)
                    .one();
        });
    }

    @Override
    public Optional<String> userOfHandle(String userHandle) {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT user_id FROM passkey_user_handles WHERE user_handle = :handle")
                .bind("handle", userHandle)
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public void add(Passkey passkey) {
        int inserted = db.write(h -> h.createUpdate("INSERT INTO passkeys (" + PASSKEY_COLUMNS + ") VALUES (:id, "
                        + ":user, :credentialId, :credentialData, :signCount, :uvInitialized, :backupEligible, "
                        + ":backupState, :transports, :name, :createdAt, :lastUsedAt) "
                        + "ON CONFLICT (credential_id) DO NOTHING")
                .bind("id", passkey.id())
                .bind("user", passkey.userId())
                .bind("credentialId", passkey.credentialId())
                .bind("credentialData", passkey.credentialData())
                .bind("signCount", passkey.signCount())
                .bind("uvInitialized", passkey.uvInitialized())
                .bind("backupEligible", passkey.backupEligible())
                .bind("backupState", passkey.backupState())
                .bind("transports", writeStrings(passkey.transports()))
                .bind("name", passkey.name())
                .bind("createdAt", passkey.createdAt().toEpochMilli())
                .bind("lastUsedAt", passkey.lastUsedAt() == null ? null : passkey.lastUsedAt().toEpochMilli())
                .execute());
        if (inserted == 0) {
            throw new ConflictException("This passkey is already registered", Map.of("field", "id"));
        }
    }

    @Override
    public List<Passkey> list(String userId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + PASSKEY_COLUMNS
                        + " FROM passkeys WHERE user_id = :user ORDER BY created_at, id")
                .bind("user", userId)
                .map(JdbcPasskeyStore::passkey)
                .list());
    }

    @Override
    public Optional<Passkey> findByCredentialId(String credentialId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + PASSKEY_COLUMNS
                        + " FROM passkeys WHERE credential_id = :credentialId")
                .bind("credentialId", credentialId)
                .map(JdbcPasskeyStore::passkey)
                .findOne());
    }

    @Override
    public boolean recordUse(String id, long previousSignCount, long signCount, boolean backupState, Instant at) {
        return db.write(h -> h.createUpdate("""
                UPDATE passkeys SET sign_count = :signCount, backup_state = :backupState, last_used_at = :at
                WHERE id = :id AND sign_count = :previous""")
                .bind("signCount", signCount)
                .bind("backupState", backupState)
                .bind("at", at.toEpochMilli())
                .bind("id", id)
                .bind("previous", previousSignCount)
                .execute()) > 0;
    }

    @Override
    public boolean delete(String userId, String id) {
        return db.write(h -> h.createUpdate("DELETE FROM passkeys WHERE id = :id AND user_id = :user")
                .bind("id", id)
                .bind("user", userId)
                .execute()) > 0;
    }

    @Override
    public void saveChallenge(PasskeyChallenge challenge) {
        db.transaction(h -> {
            // challenges nobody answered would otherwise pile up; each new one sweeps the expired ones away
            h.createUpdate("DELETE FROM passkey_challenges WHERE expires_at < :now")
                    .bind("now", challenge.createdAt().toEpochMilli())
                    .execute();
            return h.createUpdate("""
                    INSERT INTO passkey_challenges (challenge, ceremony, user_id, created_at, expires_at)
                    VALUES (:challenge, :ceremony, :user, :createdAt, :expiresAt)""")
                    .bind("challenge", challenge.challenge())
                    .bind("ceremony", challenge.ceremony().name().toLowerCase(Locale.ROOT))
                    .bind("user", challenge.userId())
                    .bind("createdAt", challenge.createdAt().toEpochMilli())
                    .bind("expiresAt", challenge.expiresAt().toEpochMilli())
                    .execute();
        });
    }

    @Override
    public Optional<PasskeyChallenge> takeChallenge(String challenge, PasskeyChallenge.Ceremony ceremony,
            Instant now) {
        // one DELETE ... RETURNING: of two callers presenting the same challenge, only one gets the row
        Optional<PasskeyChallenge> taken = db.write(h -> h.createQuery("""
                DELETE FROM passkey_challenges WHERE challenge = :challenge AND ceremony = :ceremony
                RETURNING challenge, user_id, created_at, expires_at""")
                .bind("challenge", challenge)
                .bind("ceremony", ceremony.name().toLowerCase(Locale.ROOT))
                .map((rs, ctx) -> new PasskeyChallenge(rs.getString("challenge"), ceremony,
                        rs.getString("user_id"), Instant.ofEpochMilli(rs.getLong("created_at")),
                        Instant.ofEpochMilli(rs.getLong("expires_at"))))
                .findOne());
        return taken.filter(c -> c.expiresAt().isAfter(now));
    }

    private static Passkey passkey(ResultSet rs, StatementContext ctx) throws SQLException {
        long lastUsed = rs.getLong("last_used_at");
        Instant lastUsedAt = rs.wasNull() ? null : Instant.ofEpochMilli(lastUsed);
        return new Passkey(rs.getString("id"), rs.getString("user_id"), rs.getString("credential_id"),
                rs.getString("credential_data"), rs.getLong("sign_count"), rs.getBoolean("uv_initialized"),
                rs.getBoolean("backup_eligible"), rs.getBoolean("backup_state"),
                readStrings(rs.getString("transports")), rs.getString("name"),
                Instant.ofEpochMilli(rs.getLong("created_at")), lastUsedAt);
    }

    private static String writeStrings(List<String> values) {
        try {
            return MAPPER.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A list of strings could not be written as JSON", e);
        }
    }

    private static List<String> readStrings(String json) {
        try {
            return MAPPER.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored list of transports is not JSON", e);
        }
    }
}

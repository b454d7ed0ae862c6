package dev.switchboard.store.jdbc;

import dev.switchboard.failure.ConflictException;
import dev.switchboard.vault.VaultEntry;
import dev.switchboard.vault.VaultStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The {@link VaultStore} on the same database as {@link JdbcStore}. */
public final class JdbcVaultStore implements VaultStore {

    private static final String COLUMNS = "id, owner_id, name, description, hint, allowed_agents, allowed_tools, "
            + "expires_at, version, created_at, updated_at, rotated_at";

    private final JdbcStore db;

    JdbcVaultStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public Optional<String> keyCheck() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT key_check FROM vault_master WHERE id = 1")
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public boolean initializeKeyCheck(String keyCheck, Instant now) {
        return db.write(h -> h.createUpdate("""
                INSERT INTO vault_master (id, key_check, created_at) VALUES (1, :check, :at)
                ON CONFLICT (id) DO NOTHING""")
                .bind("check", keyCheck)
                .bind("at", now.toEpochMilli())
                .execute()) > 0;
    }

    @Override
    public Optional<String> dataKey(String ownerId) {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT wrapped_key FROM vault_data_keys WHERE owner_id = :owner")
                .bind("owner", ownerId)
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public String addDataKey(String ownerId, String wrapped, String keyCheck, Instant now) {
        return db.transaction(h -> {
            // an UPDATE that changes nothing takes the row's lock (PostgreSQL) and says whether the key is current;
            // a master key rotation holds the same lock, so a key wrapped under the old master key never lands
            int current = h.createUpdate("UPDATE vault_master SET key_check = key_check WHERE id = 1 "
                    + "AND key_check = :check")
                    .bind("check", keyCheck)
                    .execute();
            if (current == 0) {
                throw new IllegalStateException("The vault's master key was replaced while this server ran; start "
                        + "it again with the new key");
            }
            h.createUpdate("""
                    INSERT INTO vault_data_keys (owner_id, wrapped_key, created_at) VALUES (:owner, :key, :at)
                    ON CONFLICT (owner_id) DO NOTHING""")
                    .bind("owner", ownerId)
                    .bind("key", wrapped)
                    .bind("at", now.toEpochMilli())
                    .execute();
            return h.createQuery("SELECT wrapped_key FROM vault_data_keys WHERE owner_id = :owner")
                    .bind("owner", ownerId)
                    .mapTo(String.class)
                    .one();
        });
    }

    @Override
    public void insert(VaultEntry entry, String sealedValue) {
        int inserted;
        try {
            inserted = db.write(h -> h.createUpdate("INSERT INTO vault_entries (" + COLUMNS + ", sealed_value) "
                    + "VALUES (:id, :owner, :name, :description, :hint, :agents, :tools, :expiresAt, :version, "
                    + ":createdAt, :updatedAt, :rotatedAt, :sealed) ON CONFLICT (owner_id, name) DO NOTHING")
                    .bind("id", entry.id())
                    .bind("owner", entry.ownerId())
                    .bind("name", entry.name())
                    .bind("description", entry.description())
                    .bind("hint", entry.hint())
                    .bind("agents", JsonColumns.writeStrings(entry.allowedAgents()))
                    .bind("tools", JsonColumns.writeStrings(entry.allowedTools()))
                    .bind("expiresAt", millisOrNull(entry.expiresAt()))
                    .bind("version", entry.version())
                    .bind("createdAt", entry.createdAt().toEpochMilli())
                    .bind("updatedAt", entry.updatedAt().toEpochMilli())
                    .bind("rotatedAt", millisOrNull(entry.rotatedAt()))
                    .bind("sealed", sealedValue)
                    .execute());
        } catch (UnableToExecuteStatementException e) {
            throw uniqueViolation(e) ? nameTaken(entry.name()) : e;
        }
        if (inserted == 0) {
            throw nameTaken(entry.name());
        }
    }

    @Override
    public Optional<VaultEntry> find(String ownerId, String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM vault_entries WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .map(JdbcVaultStore::entry)
                .findOne());
    }

    @Override
    public Optional<Sealed> findByName(String ownerId, String name) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + ", sealed_value FROM vault_entries WHERE owner_id = :owner AND name = :name")
                .bind("owner", ownerId)
                .bind("name", name)
                .map((rs, ctx) -> new Sealed(entry(rs, ctx), rs.getString("sealed_value")))
                .findOne());
    }

    @Override
    public List<VaultEntry> list(String ownerId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM vault_entries WHERE owner_id = :owner ORDER BY name")
                .bind("owner", ownerId)
                .map(JdbcVaultStore::entry)
                .list());
    }

    @Override
    public boolean update(VaultEntry entry) {
        try {
            return db.write(h -> h.createUpdate("""
                    UPDATE vault_entries SET name = :name, description = :description, allowed_agents = :agents,
                        allowed_tools = :tools, expires_at = :expiresAt, updated_at = :updatedAt
                    WHERE id = :id AND owner_id = :owner""")
                    .bind("name", entry.name())
                    .bind("description", entry.description())
                    .bind("agents", JsonColumns.writeStrings(entry.allowedAgents()))
                    .bind("tools", JsonColumns.writeStrings(entry.allowedTools()))
                    .bind("expiresAt", millisOrNull(entry.expiresAt()))
                    .bind("updatedAt", entry.updatedAt().toEpochMilli())
                    .bind("id", entry.id())
                    .bind("owner", entry.ownerId())
                    .execute()) > 0;
        } catch (UnableToExecuteStatementException e) {
            throw uniqueViolation(e) ? nameTaken(entry.name()) : e;
        }
    }

    @Override
    public boolean replaceValue(VaultEntry entry, String sealedValue, int expectedVersion) {
        return db.write(h -> h.createUpdate("""
                UPDATE vault_entries SET sealed_value = :sealed, hint = :hint, version = :version,
                    updated_at = :updatedAt, rotated_at = :rotatedAt
                WHERE id = :id AND owner_id = :owner AND version = :expected""")
                .bind("sealed", sealedValue)
                .bind("hint", entry.hint())
                .bind("version", entry.version())
                .bind("updatedAt", entry.updatedAt().toEpochMilli())
                .bind("rotatedAt", millisOrNull(entry.rotatedAt()))
                .bind("id", entry.id())
                .bind("owner", entry.ownerId())
                .bind("expected", expectedVersion)
                .execute()) > 0;
    }

    @Override
    public boolean delete(String ownerId, String id) {
        return db.write(h -> h.createUpdate("DELETE FROM vault_entries WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .execute()) > 0;
    }

    @Override
    public int rewrapDataKeys(String expectedKeyCheck, String newKeyCheck, BiFunction<String, String, String> rewrap,
            Instant now) {
        return db.transaction(h -> {
            // first, so that the row lock keeps new data keys out until the rotation commits
            int current = h.createUpdate("UPDATE vault_master SET key_check = :next, rotated_at = :at "
                    + "WHERE id = 1 AND key_check = :expected")
                    .bind("next", newKeyCheck)
                    .bind("at", now.toEpochMilli())
                    .bind("expected", expectedKeyCheck)
                    .execute();
            if (current == 0) {
                throw new IllegalStateException("The vault's key check is not the one this process opened it with");
            }
            List<Map.Entry<String, String>> keys = h.createQuery("SELECT owner_id, wrapped_key FROM vault_data_keys")
                    .map((rs, ctx) -> Map.entry(rs.getString("owner_id"), rs.getString("wrapped_key")))
                    .list();
            for (Map.Entry<String, String> key : keys) {
                h.createUpdate("UPDATE vault_data_keys SET wrapped_key = :key, rewrapped_at = :at "
                        + "WHERE owner_id = :owner")
                        .bind("key", rewrap.apply(key.getKey(), key.getValue()))
                        .bind("at", now.toEpochMilli())
                        .bind("owner", key.getKey())
                        .execute();
            }
            return keys.size();
        });
    }

    private static VaultEntry entry(ResultSet rs, StatementContext ctx) throws SQLException {
        return new VaultEntry(rs.getString("id"), rs.getString("owner_id"), rs.getString("name"),
                rs.getString("description"), rs.getString("hint"),
                JsonColumns.readStrings(rs.getString("allowed_agents")),
                JsonColumns.readStrings(rs.getString("allowed_tools")), instantOrNull(rs, "expires_at"),
                rs.getInt("version"), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")), instantOrNull(rs, "rotated_at"));
    }

    private static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static Long millisOrNull(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static ConflictException nameTaken(String name) {
        return new ConflictException("A vault entry named '" + name + "' exists already", Map.of("name", name));
    }

    /** A UNIQUE constraint refused the row: SQLSTATE 23505 on PostgreSQL, a constraint error on SQLite. */
    private static boolean uniqueViolation(UnableToExecuteStatementException e) {
        if (e.getCause() instanceof SQLException sql) {
            return "23505".equals(sql.getSQLState())
                    || (sql.getMessage() != null && sql.getMessage().contains("UNIQUE constraint failed"));
        }
        return false;
    }
}

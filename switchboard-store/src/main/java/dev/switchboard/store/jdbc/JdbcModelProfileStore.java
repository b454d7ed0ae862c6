package dev.switchboard.store.jdbc;

import dev.switchboard.failure.ConflictException;
import dev.switchboard.profile.ModelProfile;
import dev.switchboard.profile.ModelProfileStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link ModelProfileStore} on the same database as {@link JdbcStore}. */
public final class JdbcModelProfileStore implements ModelProfileStore {

    private static final String COLUMNS = "id, name, provider, model, base_url, api_key_ref, temperature, max_tokens, "
            + "created_at, updated_at";

    private final JdbcStore db;

    JdbcModelProfileStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public void add(ModelProfile profile) {
        int inserted = db.write(h -> h.createUpdate("INSERT INTO model_profiles (" + COLUMNS + ") VALUES (:id, :name, "
                        + ":provider, :model, :baseUrl, :apiKey, :temperature, :maxTokens, :createdAt, :updatedAt) "
                        + "ON CONFLICT (id) DO NOTHING")
                .bind("id", profile.id())
                .bind("name", profile.name())
                .bind("provider", profile.provider())
                .bind("model", profile.model())
                .bind("baseUrl", profile.baseUrl())
                .bind("apiKey", profile.apiKey())
                .bind("temperature", profile.temperature())
                .bind("maxTokens", profile.maxTokens())
                .bind("createdAt", profile.createdAt().toEpochMilli())
                .bind("updatedAt", profile.updatedAt().toEpochMilli())
                .execute());
        if (inserted == 0) {
            throw new ConflictException("A profile with id '" + profile.id() + "' exists already",
                    Map.of("field", "id"));
        }
    }

    @Override
    public Optional<ModelProfile> find(String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM model_profiles WHERE id = :id")
                .bind("id", id)
                .map(JdbcModelProfileStore::profile)
                .findOne());
    }

    @Override
    public List<ModelProfile> list() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM model_profiles ORDER BY created_at, id")
                .map(JdbcModelProfileStore::profile)
                .list());
    }

    @Override
    public boolean delete(String id) {
        return db.write(h -> h.createUpdate("DELETE FROM model_profiles WHERE id = :id")
                .bind("id", id)
                .execute()) > 0;
    }

    private static ModelProfile profile(ResultSet rs, StatementContext ctx) throws SQLException {
        double temperature = rs.getDouble("temperature");
        Double storedTemperature = rs.wasNull() ? null : temperature;
        int maxTokens = rs.getInt("max_tokens");
        Integer storedMaxTokens = rs.wasNull() ? null : maxTokens;
        return new ModelProfile(rs.getString("id"), rs.getString("name"), rs.getString("provider"),
                rs.getString("model"), rs.getString("base_url"), rs.getString("api_key_ref"), storedTemperature,
                storedMaxTokens, Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}

package dev.switchboard.store.jdbc;

import dev.switchboard.failure.ConflictException;
import dev.switchboard.model.CustomModel;
import dev.switchboard.model.ModelChoice;
import dev.switchboard.model.ModelStore;
import dev.switchboard.model.RegisteredModel;
import dev.switchboard.model.TopicRoute;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link ModelStore} on the same database as {@link JdbcStore}. */
public final class JdbcModelStore implements ModelStore {

    private static final String CHOICE = "provider, model, base_url, api_key_ref, max_iterations, max_input_tokens, "
            + "max_output_tokens, temperature, reasoning_effort, updated_at";
    private static final String CUSTOM = "name, provider, base_url, display_name, max_input_tokens, "
            + "max_output_tokens, api_key_ref, file_path, reasoning_effort, created_at";
    private static final String REGISTERED = "name, provider, model, base_url, api_key_ref, max_output_tokens, "
            + "temperature, created_at, updated_at";

    private final JdbcStore db;

    JdbcModelStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public Optional<ModelChoice> choice(Scope scope, String subjectId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + CHOICE
                        + " FROM model_choices WHERE scope = :scope AND subject_id = :id")
                .bind("scope", scope.name().toLowerCase(Locale.ROOT))
                .bind("id", subjectId)
                .map(JdbcModelStore::choiceRow)
                .findOne());
    }

    @Override
    public void saveChoice(Scope scope, String subjectId, ModelChoice c) {
        db.write(h -> h.createUpdate("INSERT INTO model_choices (scope, subject_id, " + CHOICE + ") VALUES (:scope, "
                        + ":id, :provider, :model, :baseUrl, :apiKey, :maxIterations, :maxInput, :maxOutput, "
                        + ":temperature, :effort, :updatedAt) ON CONFLICT (scope, subject_id) DO UPDATE SET "
                        + "provider = excluded.provider, model = excluded.model, base_url = excluded.base_url, "
                        + "api_key_ref = excluded.api_key_ref, max_iterations = excluded.max_iterations, "
                        + "max_input_tokens = excluded.max_input_tokens, max_output_tokens = excluded.max_output_tokens, "
                        + "temperature = excluded.temperature, reasoning_effort = excluded.reasoning_effort, "
                        + "updated_at = excluded.updated_at")
                .bind("scope", scope.name().toLowerCase(Locale.ROOT))
                .bind("id", subjectId)
                .bind("provider", c.provider())
                .bind("model", c.model())
                .bind("baseUrl", c.baseUrl())
                .bind("apiKey", c.apiKey())
                .bind("maxIterations", c.maxIterations())
                .bind("maxInput", c.maxInputTokens())
                .bind("maxOutput", c.maxOutputTokens())
                .bind("temperature", c.temperature())
                .bind("effort", c.reasoningEffort())
                .bind("updatedAt", c.updatedAt().toEpochMilli())
                .execute());
    }

    @Override
    public boolean deleteChoice(Scope scope, String subjectId) {
        return db.write(h -> h.createUpdate("DELETE FROM model_choices WHERE scope = :scope AND subject_id = :id")
                .bind("scope", scope.name().toLowerCase(Locale.ROOT))
                .bind("id", subjectId)
                .execute()) > 0;
    }

    @Override
    public List<CustomModel> customModels() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + CUSTOM + " FROM custom_models ORDER BY name")
                .map(JdbcModelStore::customRow)
                .list());
    }

    @Override
    public Optional<CustomModel> customModel(String name) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + CUSTOM + " FROM custom_models WHERE name = :name")
                .bind("name", name)
                .map(JdbcModelStore::customRow)
                .findOne());
    }

    @Override
    public void saveCustomModel(CustomModel m) {
        db.write(h -> h.createUpdate("INSERT INTO custom_models (" + CUSTOM + ") VALUES (:name, :provider, :baseUrl, "
                        + ":displayName, :maxInput, :maxOutput, :apiKey, :filePath, :effort, :createdAt) "
                        + "ON CONFLICT (name) DO UPDATE SET provider = excluded.provider, base_url = excluded.base_url, "
                        + "display_name = excluded.display_name, max_input_tokens = excluded.max_input_tokens, "
                        + "max_output_tokens = excluded.max_output_tokens, api_key_ref = excluded.api_key_ref, "
                        + "file_path = excluded.file_path, reasoning_effort = excluded.reasoning_effort")
                .bind("name", m.name())
                .bind("provider", m.provider())
                .bind("baseUrl", m.baseUrl())
                .bind("displayName", m.displayName())
                .bind("maxInput", m.maxInputTokens())
                .bind("maxOutput", m.maxOutputTokens())
                .bind("apiKey", m.apiKey())
                .bind("filePath", m.filePath())
                .bind("effort", m.reasoningEffort())
                .bind("createdAt", m.createdAt().toEpochMilli())
                .execute());
    }

    @Override
    public boolean deleteCustomModel(String name) {
        return db.write(h -> h.createUpdate("DELETE FROM custom_models WHERE name = :name")
                .bind("name", name)
                .execute()) > 0;
    }

    @Override
    public List<RegisteredModel> registered() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + REGISTERED
                        + " FROM registered_models ORDER BY created_at, name")
                .map(JdbcModelStore::registeredRow)
                .list());
    }

    @Override
    public Optional<RegisteredModel> registered(String name) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + REGISTERED
                        + " FROM registered_models WHERE name = :name")
                .bind("name", name)
                .map(JdbcModelStore::registeredRow)
                .findOne());
    }

    @Override
    public void register(RegisteredModel m) {
        int inserted = db.write(h -> h.createUpdate("INSERT INTO registered_models (" + REGISTERED + ") VALUES (:name, "
                        + ":provider, :model, :baseUrl, :apiKey, :maxOutput, :temperature, :createdAt, :updatedAt) "
                        + "ON CONFLICT (name) DO NOTHING")
                .bindMap(registeredValues(m))
                .execute());
        if (inserted == 0) {
            throw new ConflictException("A model named '" + m.name() + "' is registered already",
                    Map.of("field", "name"));
        }
    }

    @Override
    public boolean updateRegistered(RegisteredModel m) {
        return db.write(h -> h.createUpdate("UPDATE registered_models SET provider = :provider, model = :model, "
                        + "base_url = :baseUrl, api_key_ref = :apiKey, max_output_tokens = :maxOutput, "
                        + "temperature = :temperature, updated_at = :updatedAt WHERE name = :name")
                .bindMap(registeredValues(m))
                .execute()) > 0;
    }

    @Override
    public boolean deleteRegistered(String name) {
        return db.write(h -> h.createUpdate("DELETE FROM registered_models WHERE name = :name")
                .bind("name", name)
                .execute()) > 0;
    }

    @Override
    public List<TopicRoute> routes() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT topic, primary_model, backup_model, updated_at "
                        + "FROM model_routes ORDER BY topic")
                .map(JdbcModelStore::routeRow)
                .list());
    }

    @Override
    public Optional<TopicRoute> route(String topic) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT topic, primary_model, backup_model, updated_at "
                        + "FROM model_routes WHERE topic = :topic")
                .bind("topic", topic)
                .map(JdbcModelStore::routeRow)
                .findOne());
    }

    @Override
    public void saveRoute(TopicRoute r) {
        db.write(h -> h.createUpdate("INSERT INTO model_routes (topic, primary_model, backup_model, updated_at) "
                        + "VALUES (:topic, :primary, :backup, :updatedAt) ON CONFLICT (topic) DO UPDATE SET "
                        + "primary_model = excluded.primary_model, backup_model = excluded.backup_model, "
                        + "updated_at = excluded.updated_at")
                .bind("topic", r.topic())
                .bind("primary", r.primary())
                .bind("backup", r.backup())
                .bind("updatedAt", r.updatedAt().toEpochMilli())
                .execute());
    }

    @Override
    public boolean deleteRoute(String topic) {
        return db.write(h -> h.createUpdate("DELETE FROM model_routes WHERE topic = :topic")
                .bind("topic", topic)
                .execute()) > 0;
    }

    private static Map<String, Object> registeredValues(RegisteredModel m) {
        java.util.HashMap<String, Object> values = new java.util.HashMap<>();
        values.put("name", m.name());
        values.put("provider", m.provider());
        values.put("model", m.model());
        values.put("baseUrl", m.baseUrl());
        values.put("apiKey", m.apiKey());
        values.put("maxOutput", m.maxOutputTokens());
        values.put("temperature", m.temperature());
        values.put("createdAt", m.createdAt().toEpochMilli());
        values.put("updatedAt", m.updatedAt().toEpochMilli());
        return values;
    }

    private static ModelChoice choiceRow(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ModelChoice(rs.getString("provider"), rs.getString("model"), rs.getString("base_url"),
                rs.getString("api_key_ref"), integer(rs, "max_iterations"), integer(rs, "max_input_tokens"),
                integer(rs, "max_output_tokens"), decimal(rs, "temperature"), rs.getString("reasoning_effort"),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static CustomModel customRow(ResultSet rs, StatementContext ctx) throws SQLException {
        return new CustomModel(rs.getString("name"), rs.getString("provider"), rs.getString("base_url"),
                rs.getString("display_name"), integer(rs, "max_input_tokens"), integer(rs, "max_output_tokens"),
                rs.getString("api_key_ref"), rs.getString("file_path"), rs.getString("reasoning_effort"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static RegisteredModel registeredRow(ResultSet rs, StatementContext ctx) throws SQLException {
        return new RegisteredModel(rs.getString("name"), rs.getString("provider"), rs.getString("model"),
                rs.getString("base_url"), rs.getString("api_key_ref"), integer(rs, "max_output_tokens"),
                decimal(rs, "temperature"), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static TopicRoute routeRow(ResultSet rs, StatementContext ctx) throws SQLException {
        return new TopicRoute(rs.getString("topic"), rs.getString("primary_model"), rs.getString("backup_model"),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    static Double decimal(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}

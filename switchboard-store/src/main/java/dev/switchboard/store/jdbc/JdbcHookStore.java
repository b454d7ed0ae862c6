package dev.switchboard.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.hook.Hook;
import dev.switchboard.hook.HookAction;
import dev.switchboard.hook.HookCondition;
import dev.switchboard.hook.HookExecution;
import dev.switchboard.hook.HookStore;
import dev.switchboard.hook.HookTrigger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;

/** The {@link HookStore} on the same database as {@link JdbcStore}; conditions and actions are JSON columns. */
public final class JdbcHookStore implements HookStore {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> LIST_OF_OBJECTS = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, owner_id, name, description, trigger_type, agent_id, cron, conditions, "
            + "actions, priority, cooldown_ms, max_executions, enabled, secret_hash, execution_count, "
            + "last_executed_at, created_at, updated_at";
    private static final String ORDER = " ORDER BY priority DESC, created_at, id";

    private final JdbcStore db;

    JdbcHookStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public void add(Hook hook) {
        db.write(h -> bindHook(h.createUpdate("INSERT INTO hooks (" + COLUMNS + ") VALUES (:id, :owner, :name, "
                + ":description, :trigger, :agent, :cron, :conditions, :actions, :priority, :cooldown, :max, "
                + ":enabled, :secret, :count, :last, :created, :updated)"), hook).execute());
    }

    @Override
    public boolean update(Hook hook) {
        return db.write(h -> bindHook(h.createUpdate("UPDATE hooks SET name = :name, description = :description, "
                + "trigger_type = :trigger, agent_id = :agent, cron = :cron, conditions = :conditions, "
                + "actions = :actions, priority = :priority, cooldown_ms = :cooldown, max_executions = :max, "
                + "enabled = :enabled, secret_hash = :secret, updated_at = :updated "
                + "WHERE id = :id AND owner_id = :owner"), hook).execute()) > 0;
    }

    @Override
    public Optional<Hook> find(String ownerId, String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM hooks WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .map(JdbcHookStore::hook)
                .findOne());
    }

    @Override
    public Optional<Hook> findAny(String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM hooks WHERE id = :id")
                .bind("id", id)
                .map(JdbcHookStore::hook)
                .findOne());
    }

    @Override
    public List<Hook> list(String ownerId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM hooks WHERE owner_id = :owner"
                        + ORDER)
                .bind("owner", ownerId)
                .map(JdbcHookStore::hook)
                .list());
    }

    @Override
    public List<Hook> enabledOf(HookTrigger trigger) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM hooks WHERE trigger_type = :trigger AND enabled = 1" + ORDER)
                .bind("trigger", trigger.wireName())
                .map(JdbcHookStore::hook)
                .list());
    }

    @Override
    public boolean setEnabled(String ownerId, String id, boolean enabled, Instant now) {
        return db.write(h -> h.createUpdate("UPDATE hooks SET enabled = :enabled, updated_at = :now "
                        + "WHERE id = :id AND owner_id = :owner")
                .bind("enabled", enabled ? 1 : 0)
                .bind("now", now.toEpochMilli())
                .bind("id", id)
                .bind("owner", ownerId)
                .execute()) > 0;
    }

    @Override
    public boolean delete(String ownerId, String id) {
        return db.transaction(h -> {
            int deleted = h.createUpdate("DELETE FROM hooks WHERE id = :id AND owner_id = :owner")
                    .bind("id", id)
                    .bind("owner", ownerId)
                    .execute();
            h.createUpdate("DELETE FROM hook_executions WHERE hook_id = :id AND owner_id = :owner")
                    .bind("id", id)
                    .bind("owner", ownerId)
                    .execute();
            return deleted > 0;
        });
    }

    @Override
    public boolean claimExecution(String id, Instant now) {
        long at = now.toEpochMilli();
        return db.write(h -> h.createUpdate("UPDATE hooks SET execution_count = execution_count + 1, "
                        + "last_executed_at = :now WHERE id = :id AND enabled = 1 "
                        + "AND (max_executions IS NULL OR execution_count < max_executions) "
                        + "AND (last_executed_at IS NULL OR last_executed_at + cooldown_ms <= :now)")
                .bind("now", at)
                .bind("id", id)
                .execute()) > 0;
    }

    @Override
    public void addExecution(HookExecution e) {
        db.write(h -> h.createUpdate("INSERT INTO hook_executions (id, hook_id, owner_id, trigger_type, payload, "
                        + "status, results, duration_ms, executed_at) VALUES (:id, :hook, :owner, :trigger, "
                        + ":payload, :status, :results, :duration, :at)")
                .bind("id", e.id())
                .bind("hook", e.hookId())
                .bind("owner", e.ownerId())
                .bind("trigger", e.trigger())
                .bind("payload", e.payload())
                .bind("status", e.status())
                .bind("results", e.results())
                .bind("duration", e.durationMs())
                .bind("at", e.executedAt().toEpochMilli())
                .execute());
    }

    @Override
    public List<HookExecution> executions(String ownerId, String hookId, int limit, int offset) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id, hook_id, owner_id, trigger_type, payload, status, "
                        + "results, duration_ms, executed_at FROM hook_executions WHERE hook_id = :hook "
                        + "AND owner_id = :owner ORDER BY executed_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .bind("hook", hookId)
                .bind("owner", ownerId)
                .bind("limit", limit)
                .bind("offset", offset)
                .map((rs, ctx) -> new HookExecution(rs.getString("id"), rs.getString("hook_id"),
                        rs.getString("owner_id"), rs.getString("trigger_type"), rs.getString("payload"),
                        rs.getString("status"), rs.getString("results"), rs.getLong("duration_ms"),
                        Instant.ofEpochMilli(rs.getLong("executed_at"))))
                .list());
    }

    private static Update bindHook(Update update, Hook hook) {
        return update.bind("id", hook.id())
                .bind("owner", hook.ownerId())
                .bind("name", hook.name())
                .bind("description", hook.description())
                .bind("trigger", hook.trigger().wireName())
                .bind("agent", hook.agentId())
                .bind("cron", hook.cron())
                .bind("conditions", json(conditions(hook.conditions())))
                .bind("actions", json(actions(hook.actions())))
                .bind("priority", hook.priority())
                .bind("cooldown", hook.cooldown().toMillis())
                .bind("max", hook.maxExecutions())
                .bind("enabled", hook.enabled() ? 1 : 0)
                .bind("secret", hook.secretHash())
                .bind("count", hook.executionCount())
                .bind("last", hook.lastExecutedAt() == null ? null : hook.lastExecutedAt().toEpochMilli())
                .bind("created", hook.createdAt().toEpochMilli())
                .bind("updated", hook.updatedAt().toEpochMilli());
    }

    private static List<Map<String, Object>> conditions(List<HookCondition> conditions) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (HookCondition c : conditions) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("field", c.field());
            row.put("operator", c.operator().wireName());
            row.put("value", c.value());
            out.add(row);
        }
        return out;
    }

    private static List<Map<String, Object>> actions(List<HookAction> actions) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (HookAction action : actions) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("type", action.type());
            switch (action) {
                case HookAction.Notify n -> {
                    row.put("title", n.title());
                    row.put("message", n.message());
                }
                case HookAction.RunAgent r -> {
                    row.put("agentId", r.agentId());
                    row.put("prompt", r.prompt());
                }
                case HookAction.CallWebhook c -> row.put("url", c.url());
                case HookAction.ExecuteTool t -> {
                    row.put("agentId", t.agentId());
                    row.put("tool", t.tool());
                    row.put("arguments", t.arguments());
                }
            }
            out.add(row);
        }
        return out;
    }

    private static Hook hook(ResultSet rs, StatementContext ctx) throws SQLException {
        List<HookCondition> conditions = new ArrayList<>();
        List<HookAction> actions = new ArrayList<>();
        try {
            for (Map<String, Object> c : MAPPER.readValue(rs.getString("conditions"), LIST_OF_OBJECTS)) {
                conditions.add(new HookCondition((String) c.get("field"),
                        HookCondition.Operator.of((String) c.get("operator")).orElseThrow(), c.get("value")));
            }
            for (Map<String, Object> a : MAPPER.readValue(rs.getString("actions"), LIST_OF_OBJECTS)) {
                actions.add(switch ((String) a.get("type")) {
                    case "notify" -> new HookAction.Notify((String) a.get("title"), (String) a.get("message"));
                    case "run_agent" -> new HookAction.RunAgent((String) a.get("agentId"), (String) a.get("prompt"));
                    case "call_webhook" -> new HookAction.CallWebhook((String) a.get("url"));
                    case "execute_tool" -> new HookAction.ExecuteTool((String) a.get("agentId"),
                            (String) a.get("tool"), (String) a.get("arguments"));
                    default -> throw new SQLException("Unknown action type " + a.get("type") + " in hook "
                            + rs.getString("id"));
                });
            }
        } catch (JsonProcessingException e) {
            throw new SQLException("Unreadable conditions or actions of hook " + rs.getString("id"), e);
        }
        long last = rs.getLong("last_executed_at");
        Instant lastExecuted = rs.wasNull() ? null : Instant.ofEpochMilli(last);
        return new Hook(rs.getString("id"), rs.getString("owner_id"), rs.getString("name"),
                rs.getString("description"), HookTrigger.of(rs.getString("trigger_type")).orElseThrow(),
                rs.getString("agent_id"), rs.getString("cron"), conditions, actions, rs.getInt("priority"),
                Duration.ofMillis(rs.getLong("cooldown_ms")), JdbcWebhookStore.nullableInt(rs, "max_executions"),
                rs.getInt("enabled") != 0, rs.getString("secret_hash"), rs.getInt("execution_count"),
                lastExecuted, Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.switchboard.store.jdbc;

import dev.switchboard.session.TokenUsage;
import dev.switchboard.usage.Budget;
import dev.switchboard.usage.UsageEntry;
import dev.switchboard.usage.UsageQuery;
import dev.switchboard.usage.UsageRow;
import dev.switchboard.usage.UsageStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link UsageStore} on the same database as {@link JdbcStore}. */
public final class JdbcUsageStore implements UsageStore {

    /** Report groups and the columns they sum by, in the order rows sort. */
    private static final Map<String, String> GROUP_COLUMNS = orderedGroups();

    private final JdbcStore db;

    JdbcUsageStore(JdbcStore db) {
        this.db = db;
    }

    private static Map<String, String> orderedGroups() {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("day", "day");
        groups.put("user", "owner_id");
        groups.put("agent", "agent_id");
        groups.put("session", "session_id");
        groups.put("model", "provider, model");
        return groups;
    }

    @Override
    public void record(UsageEntry e) {
        db.write(h -> h.createUpdate("INSERT INTO llm_usage (id, owner_id, agent_id, session_id, run_id, provider, "
                        + "model, day, input_tokens, output_tokens, reasoning_tokens, cached_tokens, cost, at) VALUES "
                        + "(:id, :owner, :agent, :session, :run, :provider, :model, :day, :input, :output, "
                        + ":reasoning, :cached, :cost, :at)")
                .bind("id", e.id())
                .bind("owner", e.ownerId())
                .bind("agent", e.agentId())
                .bind("session", e.sessionId())
                .bind("run", e.runId())
                .bind("provider", e.provider())
                .bind("model", e.model())
                .bind("day", e.at().atOffset(ZoneOffset.UTC).toLocalDate().toString())
                .bind("input", e.usage().inputTokens())
                .bind("output", e.usage().outputTokens())
                .bind("reasoning", e.usage().reasoningTokens())
                .bind("cached", e.usage().cachedInputTokens())
                .bind("cost", e.cost())
                .bind("at", e.at().toEpochMilli())
                .execute());
    }

    @Override
    public double spent(Budget.Scope scope, String subjectId, Instant since) {
        String column = scope == Budget.Scope.USER ? "owner_id" : "agent_id";
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(SUM(cost), 0) FROM llm_usage WHERE "
                        + column + " = :subject AND at >= :since")
                .bind("subject", subjectId)
                .bind("since", since == null ? Long.MIN_VALUE : since.toEpochMilli())
                .mapTo(Double.class)
                .one());
    }

    @Override
    public List<UsageRow> report(UsageQuery q) {
        List<String> where = new ArrayList<>();
        Map<String, Object> values = new HashMap<>();
        filter(where, values, "owner_id", "owner", q.ownerId());
        filter(where, values, "agent_id", "agent", q.agentId());
        filter(where, values, "session_id", "session", q.sessionId());
        filter(where, values, "model", "model", q.model());
        if (q.since() != null) {
            where.add("at >= :since");
            values.put("since", q.since().toEpochMilli());
        }
        if (q.until() != null) {
            where.add("at < :until");
            values.put("until", q.until().toEpochMilli());
        }
        List<String> columns = new ArrayList<>();
        GROUP_COLUMNS.forEach((group, column) -> {
            if (q.groupBy().contains(group)) {
                columns.add(column);
            }
        });
        String grouped = String.join(", ", columns);
        String sql = "SELECT " + (grouped.isEmpty() ? "" : grouped + ", ") + "COUNT(*) AS calls, "
                + "SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens, "
                + "SUM(reasoning_tokens) AS reasoning_tokens, SUM(cached_tokens) AS cached_tokens, "
                + "COALESCE(SUM(cost), 0) AS cost, SUM(CASE WHEN cost IS NULL THEN 1 ELSE 0 END) AS unpriced "
                + "FROM llm_usage" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + (grouped.isEmpty() ? "" : " GROUP BY " + grouped + " ORDER BY " + grouped);
        List<UsageRow> rows = db.jdbi().withHandle(h -> h.createQuery(sql)
                .bindMap(values)
                .map((rs, ctx) -> row(rs, q))
                .list());
        // an empty ledger still sums to one zero row when nothing is grouped
        return rows.stream().filter(r -> r.calls() > 0 || q.groupBy().isEmpty()).toList();
    }

    private static void filter(List<String> where, Map<String, Object> values, String column, String name,
            String value) {
        if (value != null) {
            where.add(column + " = :" + name);
            values.put(name, value);
        }
    }

    private static UsageRow row(ResultSet rs, UsageQuery q) throws SQLException {
        boolean byModel = q.groupBy().contains("model");
        return new UsageRow(q.groupBy().contains("day") ? rs.getString("day") : null,
                byModel ? rs.getString("provider") : null, byModel ? rs.getString("model") : null,
                q.groupBy().contains("user") ? rs.getString("owner_id") : null,
                q.groupBy().contains("agent") ? rs.getString("agent_id") : null,
                q.groupBy().contains("session") ? rs.getString("session_id") : null,
                rs.getLong("calls"), new TokenUsage(rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                        rs.getLong("reasoning_tokens"), rs.getLong("cached_tokens")),
                rs.getDouble("cost"), rs.getLong("unpriced"));
    }

    @Override
    public List<Budget> budgets() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT scope, subject_id, limit_usd, period, updated_at "
                        + "FROM budgets ORDER BY scope, subject_id")
                .map(JdbcUsageStore::budgetRow)
                .list());
    }

    @Override
    public Optional<Budget> budget(Budget.Scope scope, String subjectId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT scope, subject_id, limit_usd, period, updated_at "
                        + "FROM budgets WHERE scope = :scope AND subject_id = :subject")
                .bind("scope", scope.wire())
                .bind("subject", subjectId)
                .map(JdbcUsageStore::budgetRow)
                .findOne());
    }

    @Override
    public void saveBudget(Budget b) {
        db.write(h -> h.createUpdate("INSERT INTO budgets (scope, subject_id, limit_usd, period, updated_at) VALUES "
                        + "(:scope, :subject, :limit, :period, :updatedAt) ON CONFLICT (scope, subject_id) DO UPDATE "
                        + "SET limit_usd = excluded.limit_usd, period = excluded.period, "
                        + "updated_at = excluded.updated_at")
                .bind("scope", b.scope().wire())
                .bind("subject", b.subjectId())
                .bind("limit", b.limitUsd())
                .bind("period", b.period().wire())
                .bind("updatedAt", b.updatedAt().toEpochMilli())
                .execute());
    }

    @Override
    public boolean deleteBudget(Budget.Scope scope, String subjectId) {
        return db.write(h -> h.createUpdate("DELETE FROM budgets WHERE scope = :scope AND subject_id = :subject")
                .bind("scope", scope.wire())
                .bind("subject", subjectId)
                .execute()) > 0;
    }

    private static Budget budgetRow(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Budget(Budget.Scope.valueOf(rs.getString("scope").toUpperCase(Locale.ROOT)),
                rs.getString("subject_id"), rs.getDouble("limit_usd"),
                Budget.Period.valueOf(rs.getString("period").toUpperCase(Locale.ROOT)),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}

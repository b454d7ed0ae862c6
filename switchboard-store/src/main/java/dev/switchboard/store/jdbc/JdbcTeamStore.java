package dev.switchboard.store.jdbc;

import dev.switchboard.agent.AgentEvent;
import dev.switchboard.agent.AgentEventStore;
import dev.switchboard.team.BusMessage;
import dev.switchboard.team.SubagentTask;
import dev.switchboard.team.TeamStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/** The bus, the subagent tasks and the agents' event log, on the same database as {@link JdbcStore}. */
public final class JdbcTeamStore implements TeamStore, AgentEventStore {

    private static final String BUS_COLUMNS = "seq, id, owner_id, from_agent, to_agent, kind, content, task_id, "
            + "session_id, created_at";
    private static final String TASK_COLUMNS = "id, owner_id, kind, parent_agent_id, parent_session_id, "
            + "parent_run_id, agent_id, session_id, prompt, depth, status, result, error, estimated_cost, created_at, "
            + "finished_at";
    private static final String EVENT_COLUMNS = "agent_id, seq, owner_id, session_id, run_id, name, data, created_at";

    private final JdbcStore db;

    JdbcTeamStore(JdbcStore db) {
        this.db = db;
    }

    // ---- the bus

    @Override
    public BusMessage append(BusMessage message) {
        long seq = db.transaction(h -> {
            h.createUpdate("INSERT INTO bus_messages (id, owner_id, from_agent, to_agent, kind, content, task_id, "
                            + "session_id, created_at) VALUES (:id, :owner, :from, :to, :kind, :content, :task, "
                            + ":session, :at)")
                    .bind("id", message.id())
                    .bind("owner", message.ownerId())
                    .bind("from", message.fromAgent())
                    .bind("to", message.toAgent())
                    .bind("kind", message.kind())
                    .bind("content", message.content())
                    .bind("task", message.taskId())
                    .bind("session", message.sessionId())
                    .bind("at", message.createdAt().toEpochMilli())
                    .execute();
            return h.createQuery("SELECT seq FROM bus_messages WHERE id = :id").bind("id", message.id())
                    .mapTo(Long.class).one();
        });
        return message.withSeq(seq);
    }

    @Override
    public List<BusMessage> recentMessages(String ownerId, int limit) {
        List<BusMessage> newestFirst = db.jdbi().withHandle(h -> h.createQuery("SELECT " + BUS_COLUMNS
                        + " FROM bus_messages WHERE owner_id = :owner ORDER BY seq DESC LIMIT :limit")
                .bind("owner", ownerId)
                .bind("limit", limit)
                .map(JdbcTeamStore::busMessage)
                .list());
        return new ArrayList<>(newestFirst).reversed();
    }

    private static BusMessage busMessage(ResultSet rs, StatementContext ctx) throws SQLException {
        return new BusMessage(rs.getLong("seq"), rs.getString("id"), rs.getString("owner_id"),
                rs.getString("from_agent"), rs.getString("to_agent"), rs.getString("kind"), rs.getString("content"),
                rs.getString("task_id"), rs.getString("session_id"), Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    // ---- tasks

    @Override
    public void createTask(SubagentTask task) {
        db.write(h -> h.createUpdate("INSERT INTO subagent_tasks (" + TASK_COLUMNS + ") VALUES (:id, :owner, :kind, "
                        + ":parentAgent, :parentSession, :parentRun, :agent, :session, :prompt, :depth, :status, "
                        + ":result, :error, :cost, :createdAt, :finishedAt)")
                .bind("id", task.id())
                .bind("owner", task.ownerId())
                .bind("kind", task.kind())
                .bind("parentAgent", task.parentAgentId())
                .bind("parentSession", task.parentSessionId())
                .bind("parentRun", task.parentRunId())
                .bind("agent", task.agentId())
                .bind("session", task.sessionId())
                .bind("prompt", task.prompt())
                .bind("depth", task.depth())
                .bind("status", task.status())
                .bind("result", task.result())
                .bind("error", task.error())
                .bind("cost", task.estimatedCost())
                .bind("createdAt", task.createdAt().toEpochMilli())
                .bind("finishedAt", task.finishedAt() == null ? null : task.finishedAt().toEpochMilli())
                .execute());
    }

    @Override
    public void finishTask(String taskId, String status, String result, String error, Double estimatedCost,
            Instant finishedAt) {
        db.write(h -> h.createUpdate("UPDATE subagent_tasks SET status = :status, result = :result, error = :error, "
                        + "estimated_cost = :cost, finished_at = :at WHERE id = :id")
                .bind("id", taskId)
                .bind("status", status)
                .bind("result", result)
                .bind("error", error)
                .bind("cost", estimatedCost)
                .bind("at", finishedAt.toEpochMilli())
                .execute());
    }

    @Override
    public List<SubagentTask> tasks(String ownerId, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + TASK_COLUMNS
                        + " FROM subagent_tasks WHERE owner_id = :owner ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("owner", ownerId)
                .bind("limit", limit)
                .map(JdbcTeamStore::task)
                .list());
    }

    private static SubagentTask task(ResultSet rs, StatementContext ctx) throws SQLException {
        double cost = rs.getDouble("estimated_cost");
        Double estimatedCost = rs.wasNull() ? null : cost;
        long finished = rs.getLong("finished_at");
        Instant finishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
        return new SubagentTask(rs.getString("id"), rs.getString("owner_id"), rs.getString("kind"),
                rs.getString("parent_agent_id"), rs.getString("parent_session_id"), rs.getString("parent_run_id"),
                rs.getString("agent_id"), rs.getString("session_id"), rs.getString("prompt"), rs.getInt("depth"),
                rs.getString("status"), rs.getString("result"), rs.getString("error"), estimatedCost,
                Instant.ofEpochMilli(rs.getLong("created_at")), finishedAt);
    }

    // ---- agents' events

    @Override
    public void append(List<AgentEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        db.transaction(h -> {
            PreparedBatch batch = h.prepareBatch("INSERT INTO agent_events (" + EVENT_COLUMNS + ") VALUES (:agent, "
                    + ":seq, :owner, :session, :run, :name, :data, :at)");
            for (AgentEvent e : events) {
                batch.bind("agent", e.agentId())
                        .bind("seq", e.seq())
                        .bind("owner", e.ownerId())
                        .bind("session", e.sessionId())
                        .bind("run", e.runId())
                        .bind("name", e.name())
                        .bind("data", e.data())
                        .bind("at", e.timestamp().toEpochMilli())
                        .add();
            }
            batch.execute();
            return null;
        });
    }

    @Override
    public List<AgentEvent> between(String agentId, String ownerId, long after, long before, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + EVENT_COLUMNS + " FROM agent_events WHERE "
                        + "agent_id = :agent AND owner_id = :owner AND seq > :after AND seq < :before "
                        + "ORDER BY seq LIMIT :limit")
                .bind("agent", agentId)
                .bind("owner", ownerId)
                .bind("after", after)
                .bind("before", before)
                .bind("limit", limit)
                .map((rs, ctx) -> new AgentEvent(rs.getString("agent_id"), rs.getLong("seq"), rs.getString("owner_id"),
                        rs.getString("session_id"), rs.getString("run_id"), rs.getString("name"),
                        rs.getString("data"), Instant.ofEpochMilli(rs.getLong("created_at"))))
                .list());
    }

    @Override
    public Map<String, Long> lastSeqs() {
        Map<String, Long> seqs = new HashMap<>();
        db.jdbi().useHandle(h -> h.createQuery("SELECT agent_id, MAX(seq) AS last FROM agent_events GROUP BY agent_id")
                .map((rs, ctx) -> Map.entry(rs.getString("agent_id"), rs.getLong("last")))
                .forEach(e -> seqs.put(e.getKey(), e.getValue())));
        return seqs;
    }

    @Override
    public Optional<SessionOwner> ownerOf(String sessionId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT owner_id, agent_id FROM sessions WHERE id = :id")
                .bind("id", sessionId)
                .map((rs, ctx) -> new SessionOwner(rs.getString("owner_id"), rs.getString("agent_id")))
                .findOne());
    }
}

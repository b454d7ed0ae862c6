package dev.switchboard.store.jdbc;

import dev.switchboard.task.PushTarget;
import dev.switchboard.task.Task;
import dev.switchboard.task.TaskState;
import dev.switchboard.task.TaskStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link TaskStore} on the same database as {@link JdbcStore}. */
public final class JdbcTaskStore implements TaskStore {

    private static final String COLUMNS = "id, owner_id, context_id, agent_id, message_id, client_message_id, state, "
            + "request, answer, error, created_at, updated_at";
    private static final String TARGET_COLUMNS = "id, task_id, owner_id, url, sealed_token, auth_scheme, "
            + "sealed_credentials, protocol_version, created_at";
    private static final String UNFINISHED = "state IN ('SUBMITTED', 'WORKING')";

    private final JdbcStore db;

    JdbcTaskStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public void create(Task task) {
        db.write(h -> h.createUpdate("INSERT INTO a2a_tasks (" + COLUMNS + ") VALUES (:id, :owner, :context, :agent, "
                        + ":message, :clientMessage, :state, :request, :answer, :error, :created, :updated)")
                .bind("id", task.id())
                .bind("owner", task.ownerId())
                .bind("context", task.contextId())
                .bind("agent", task.agentId())
                .bind("message", task.messageId())
                .bind("clientMessage", task.clientMessageId())
                .bind("state", task.state().name())
                .bind("request", task.request())
                .bind("answer", task.answer())
                .bind("error", task.error())
                .bind("created", task.createdAt().toEpochMilli())
                .bind("updated", task.updatedAt().toEpochMilli())
                .execute());
    }

    @Override
    public Optional<Task> find(String ownerId, String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM a2a_tasks WHERE id = :id AND owner_id = :owner")
                .bind("id", id)
                .bind("owner", ownerId)
                .map(JdbcTaskStore::task)
                .findOne());
    }

    @Override
    public Optional<Task> byId(String id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM a2a_tasks WHERE id = :id")
                .bind("id", id)
                .map(JdbcTaskStore::task)
                .findOne());
    }

    @Override
    public List<Task> list(String ownerId, String contextId, TaskState state, int limit, int offset) {
        return db.jdbi().withHandle(h -> filtered(h.createQuery("SELECT " + COLUMNS + " FROM a2a_tasks"
                        + where(contextId, state) + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset"),
                ownerId, contextId, state)
                .bind("limit", limit)
                .bind("offset", offset)
                .map(JdbcTaskStore::task)
                .list());
    }

    @Override
    public int count(String ownerId, String contextId, TaskState state) {
        return db.jdbi().withHandle(h -> filtered(h.createQuery("SELECT COUNT(*) FROM a2a_tasks"
                        + where(contextId, state)), ownerId, contextId, state)
                .mapTo(Integer.class)
                .one());
    }

    @Override
    public boolean update(String id, TaskState state, String answer, String error, Instant at) {
        return db.write(h -> h.createUpdate("UPDATE a2a_tasks SET state = :state, answer = :answer, error = :error, "
                        + "updated_at = :at WHERE id = :id AND " + UNFINISHED)
                .bind("id", id)
                .bind("state", state.name())
                .bind("answer", answer)
                .bind("error", error)
                .bind("at", at.toEpochMilli())
                .execute()) > 0;
    }

    @Override
    public List<Task> unfinished() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM a2a_tasks WHERE " + UNFINISHED
                        + " ORDER BY created_at, id")
                .map(JdbcTaskStore::task)
                .list());
    }

    @Override
    public void addPushTarget(PushTarget target) {
        db.write(h -> h.createUpdate("INSERT INTO a2a_push_targets (" + TARGET_COLUMNS + ") VALUES (:id, :task, "
                        + ":owner, :url, :token, :scheme, :credentials, :version, :at) ON CONFLICT (task_id, id) "
                        + "DO UPDATE SET url = :url, sealed_token = :token, auth_scheme = :scheme, "
                        + "sealed_credentials = :credentials, protocol_version = :version")
                .bind("id", target.id())
                .bind("task", target.taskId())
                .bind("owner", target.ownerId())
                .bind("url", target.url())
                .bind("token", target.sealedToken())
                .bind("scheme", target.authScheme())
                .bind("credentials", target.sealedCredentials())
                .bind("version", target.protocolVersion())
                .bind("at", target.createdAt().toEpochMilli())
                .execute());
    }

    @Override
    public List<PushTarget> pushTargets(String ownerId, String taskId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + TARGET_COLUMNS
                        + " FROM a2a_push_targets WHERE owner_id = :owner AND task_id = :task ORDER BY created_at, id")
                .bind("owner", ownerId)
                .bind("task", taskId)
                .map(JdbcTaskStore::target)
                .list());
    }

    @Override
    public boolean deletePushTarget(String ownerId, String taskId, String id) {
        return db.write(h -> h.createUpdate("DELETE FROM a2a_push_targets WHERE owner_id = :owner AND task_id = :task "
                        + "AND id = :id")
                .bind("owner", ownerId)
                .bind("task", taskId)
                .bind("id", id)
                .execute()) > 0;
    }

    private static String where(String contextId, TaskState state) {
        return " WHERE owner_id = :owner" + (contextId == null ? "" : " AND context_id = :context")
                + (state == null ? "" : " AND state = :state");
    }

    private static <S extends SqlStatement<S>> S filtered(S statement, String ownerId, String contextId,
            TaskState state) {
        statement.bind("owner", ownerId);
        if (contextId != null) {
            statement.bind("context", contextId);
        }
        if (state != null) {
            statement.bind("state", state.name());
        }
        return statement;
    }

    private static Task task(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Task(rs.getString("id"), rs.getString("owner_id"), rs.getString("context_id"),
                rs.getString("agent_id"), rs.getString("message_id"), rs.getString("client_message_id"),
                TaskState.valueOf(rs.getString("state")), rs.getString("request"), rs.getString("answer"),
                rs.getString("error"), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static PushTarget target(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PushTarget(rs.getString("id"), rs.getString("task_id"), rs.getString("owner_id"),
                rs.getString("url"), rs.getString("sealed_token"), rs.getString("auth_scheme"),
                rs.getString("sealed_credentials"), rs.getString("protocol_version"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}

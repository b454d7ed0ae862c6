package dev.switchboard.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.approval.Approval;
import dev.switchboard.approval.ApprovalDecision;
import dev.switchboard.approval.ApprovalRequest;
import dev.switchboard.approval.ApprovalStatus;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.prompt.CustomPrompt;
import dev.switchboard.run.QueuedMessage;
import dev.switchboard.run.RunRecord;
import dev.switchboard.run.RunStatus;
import dev.switchboard.session.Message;
import dev.switchboard.session.Role;
import dev.switchboard.session.Session;
import dev.switchboard.session.TokenUsage;
import dev.switchboard.store.Store;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link Store} on SQLite (the embedded default) or PostgreSQL, through Jdbi, migrated by Flyway at open. */
public final class JdbcStore implements Store {

    static final String SESSION_COLUMNS = "id, owner_id, agent_id, title, created_at, last_activity, "
            + "message_count, input_tokens, output_tokens, reasoning_tokens, cached_tokens, estimated_cost";
    static final String MESSAGE_COLUMNS = "id, session_id, run_id, role, content, reasoning, tool_calls, "
            + "tool_call_id, tool_name, success, input_tokens, output_tokens, reasoning_tokens, cached_tokens, "
            + "provider, model, estimated_cost, created_at";
    private static final String RUN_COLUMNS = "id, session_id, owner_id, message_id, status, finish_reason, steps, "
            + "input_tokens, output_tokens, reasoning_tokens, cached_tokens, estimated_cost, error, started_at, "
            + "ended_at";

    private final HikariDataSource pool;
    private final Jdbi jdbi;
    /** Held around every write on SQLite, so writers queue here instead of failing with SQLITE_BUSY; else null. */
    private final ReentrantLock writeLock;
    private final JdbcUserStore users;
    private final JdbcAuditLog audit;
    private final JdbcVaultStore vault;
    private final JdbcPasskeyStore passkeys;
    private final JdbcModelProfileStore profiles;
    private final JdbcPushTokenStore pushTokens;
    private final JdbcContextSummaryStore contextSummaries;
    private final JdbcUserProfileStore userProfiles;
    private final JdbcConversationSearch search;
    private final JdbcMemoryStore memories;
    private final JdbcNoteStore notes;
    private final JdbcKnowledgeIndex knowledgeIndex;
    private final JdbcPipelineStore pipelines;
    private final JdbcWebhookStore webhooks;
    private final JdbcHookStore hooks;
    private final JdbcNotificationStore notifications;
    private final JdbcTaskStore tasks;
    private final JdbcTeamStore team;
    private final JdbcSkillPermissionStore skillPermissions;
    private final JdbcModelStore models;
    private final JdbcUsageStore usage;

    private JdbcStore(HikariDataSource pool, ReentrantLock writeLock, Vendor vendor) {
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
        this.writeLock = writeLock;
        this.users = new JdbcUserStore(this);
        this.audit = new JdbcAuditLog(this);
        this.vault = new JdbcVaultStore(this);
        this.passkeys = new JdbcPasskeyStore(this);
        this.profiles = new JdbcModelProfileStore(this);
        this.pushTokens = new JdbcPushTokenStore(this);
        this.contextSummaries = new JdbcContextSummaryStore(this);
        this.userProfiles = new JdbcUserProfileStore(this);
        this.search = new JdbcConversationSearch(this, vendor);
        this.memories = new JdbcMemoryStore(this);
        this.notes = new JdbcNoteStore(this);
        this.knowledgeIndex = new JdbcKnowledgeIndex(this, vendor);
        this.pipelines = new JdbcPipelineStore(this);
        this.webhooks = new JdbcWebhookStore(this);
        this.hooks = new JdbcHookStore(this);
        this.notifications = new JdbcNotificationStore(this);
        this.tasks = new JdbcTaskStore(this);
        this.team = new JdbcTeamStore(this);
        this.skillPermissions = new JdbcSkillPermissionStore(this);
        this.models = new JdbcModelStore(this);
        this.usage = new JdbcUsageStore(this);
    }

    /** Opens the database at {@code jdbcUrl} ({@code jdbc:sqlite:} or {@code jdbc:postgresql:}) and migrates it. */
    public static JdbcStore open(String jdbcUrl) {
        return open(jdbcUrl, null, null);
    }

    /** Opens and migrates the database, logging in as {@code user} (null where the URL or the driver decides). */
    public static JdbcStore open(String jdbcUrl, String user, String password) {
        Vendor vendor = Vendor.of(jdbcUrl);
        HikariDataSource pool = vendor.pool(jdbcUrl, user, password);
        try {
            if (!isCurrent(pool)) {
                Flyway.configure()
                        .dataSource(pool)
                        .locations(vendor.migrationLocations())
                        .load()
                        .migrate();
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        JdbcStore store = new JdbcStore(pool, vendor.serializesWrites() ? new ReentrantLock() : null, vendor);
        // Jdbi parses its first statement with a parser that takes ~100 ms to set up; pay that here, where the
        // server opens the store beside its other start-up work, rather than on the first request
        store.jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM runs WHERE status = :status")
                .bind("status", RunStatus.RUNNING.wireName())
                .mapTo(Long.class)
                .one());
        return store;
    }

    /** The newest migration this build ships; a test keeps it equal to the newest {@code V<n>__} file. */
    static final int LATEST_MIGRATION = 20;

    /**
     * Whether the database already has every migration this build ships, checked with one query so that a
     * normal start skips Flyway's classpath scan (a third of the start-up time).
     */
    private static boolean isCurrent(HikariDataSource pool) {
        try (var connection = pool.getConnection();
                var statement = connection.createStatement();
                var rows = statement.executeQuery(
                        "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
            int newest = 0;
            while (rows.next()) {
                newest = Math.max(newest, Integer.parseInt(rows.getString(1)));
            }
            return newest >= LATEST_MIGRATION;
        } catch (java.sql.SQLException | NumberFormatException noHistoryYet) {
            return false;
        }
    }

    // ---- sessions

    @Override
    public Session createSession(String id, String ownerId, String agentId, Instant now) {
        long at = now.toEpochMilli();
        int inserted = write(h -> h.createUpdate("""
                INSERT INTO sessions (id, owner_id, agent_id, created_at, last_activity)
                VALUES (:id, :owner, :agent, :at, :at)
                ON CONFLICT (id) DO NOTHING""")
                .bind("id", id)
                .bind("owner", ownerId)
                .bind("agent", agentId)
                .bind("at", at)
                .execute());
        if (inserted == 0) {
            throw new ConflictException("Session '" + id + "' already exists", Map.of("sessionId", id));
        }
        Instant stored = Instant.ofEpochMilli(at);
        return new Session(id, ownerId, agentId, null, stored, stored, 0, TokenUsage.NONE, 0);
    }

    @Override
    public Optional<Session> findSession(String ownerId, String sessionId) {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT " + SESSION_COLUMNS + " FROM sessions WHERE id = :id AND owner_id = :owner")
                .bind("id", sessionId)
                .bind("owner", ownerId)
                .map(JdbcStore::session)
                .findOne());
    }

    @Override
    public Optional<Session> findSessionOfAnyOwner(String sessionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + SESSION_COLUMNS + " FROM sessions WHERE id = :id")
                .bind("id", sessionId)
                .map(JdbcStore::session)
                .findOne());
    }

    @Override
    public List<Session> listSessions(String ownerId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + SESSION_COLUMNS
                + " FROM sessions WHERE owner_id = :owner ORDER BY last_activity DESC, created_at DESC, id")
                .bind("owner", ownerId)
                .map(JdbcStore::session)
                .list());
    }

    @Override
    public List<Session> recentSessions(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + SESSION_COLUMNS
                + " FROM sessions ORDER BY last_activity DESC, created_at DESC, id LIMIT :limit")
                .bind("limit", limit)
                .map(JdbcStore::session)
                .list());
    }

    @Override
    public boolean updateTitle(String ownerId, String sessionId, String title) {
        return write(h -> h.createUpdate("UPDATE sessions SET title = :title WHERE id = :id AND owner_id = :owner")
                .bind("title", title)
                .bind("id", sessionId)
                .bind("owner", ownerId)
                .execute()) > 0;
    }

    /** Messages, queue and runs go with the session through {@code ON DELETE CASCADE}. */
    @Override
    public boolean deleteSession(String ownerId, String sessionId) {
        return write(h -> h.createUpdate("DELETE FROM sessions WHERE id = :id AND owner_id = :owner")
                .bind("id", sessionId)
                .bind("owner", ownerId)
                .execute()) > 0;
    }

    /** Throws {@link NotFoundException} when the session does not exist: there is no row to keep the count in. */
    @Override
    public long reserveSeq(String sessionId, int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, was " + size);
        }
        // one UPDATE ... RETURNING: the row lock (PostgreSQL) or the single writer (SQLite) makes it atomic
        long reservedUpTo = write(h -> h.createQuery(
                "UPDATE sessions SET seq_reserved = seq_reserved + :size WHERE id = :id RETURNING seq_reserved")
                .bind("size", (long) size)
                .bind("id", sessionId)
                .mapTo(Long.class)
                .findOne())
                .orElseThrow(() -> new NotFoundException("session", sessionId));
        return reservedUpTo - size;
    }

    // ---- messages

    @Override
    public void appendMessage(String ownerId, Message message) {
        transaction(h -> append(h, ownerId, message));
    }

    @Override
    public List<Message> history(String sessionId) {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE session_id = :session ORDER BY position")
                .bind("session", sessionId)
                .map(JdbcStore::message)
                .list());
    }

    /** Also sets the session's message count to zero; its token usage and cost stay, as they were spent. */
    @Override
    public int clearHistory(String sessionId) {
        return transaction(h -> {
            int removed = h.createUpdate("DELETE FROM messages WHERE session_id = :session")
                    .bind("session", sessionId)
                    .execute();
            h.createUpdate("UPDATE sessions SET message_count = 0 WHERE id = :session")
                    .bind("session", sessionId)
                    .execute();
            return removed;
        });
    }

    // ---- queue

    /** Throws {@link NotFoundException} when the message's session does not exist for its owner. */
    @Override
    public void enqueue(QueuedMessage message) {
        transaction(h -> {
            long position = h.createQuery("""
                    UPDATE sessions SET queue_positions = queue_positions + 1
                    WHERE id = :session AND owner_id = :owner
                    RETURNING queue_positions""")
                    .bind("session", message.sessionId())
                    .bind("owner", message.ownerId())
                    .mapTo(Long.class)
                    .findOne()
                    .orElseThrow(() -> new NotFoundException("session", message.sessionId()));
            return h.createUpdate("""
                    INSERT INTO queued_messages (id, session_id, owner_id, position, content, kind, queued_at, metadata)
                    VALUES (:id, :session, :owner, :position, :content, :kind, :queuedAt, :metadata)""")
                    .bind("id", message.id())
                    .bind("session", message.sessionId())
                    .bind("owner", message.ownerId())
                    .bind("position", position)
                    .bind("content", JsonColumns.writeContent(message.content()))
                    .bind("kind", message.kind() == null ? "default" : message.kind())
                    .bind("queuedAt", millis(message.queuedAt()))
                    .bind("metadata", JsonColumns.writeMetadata(message.metadata()))
                    .execute();
        });
    }

    @Override
    public List<QueuedMessage> queued(String sessionId) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT id, session_id, owner_id, content, kind, queued_at, metadata
                FROM queued_messages WHERE session_id = :session ORDER BY position""")
                .bind("session", sessionId)
                .map((rs, ctx) -> new QueuedMessage(rs.getString("id"), rs.getString("session_id"),
                        rs.getString("owner_id"), JsonColumns.readContent(rs.getString("content")),
                        rs.getString("kind"), Instant.ofEpochMilli(rs.getLong("queued_at")),
                        JsonColumns.readMetadata(rs.getString("metadata"))))
                .list());
    }

    @Override
    public boolean removeQueued(String sessionId, String messageId) {
        return write(h -> h.createUpdate("DELETE FROM queued_messages WHERE session_id = :session AND id = :id")
                .bind("session", sessionId)
                .bind("id", messageId)
                .execute()) > 0;
    }

    @Override
    public int clearQueue(String sessionId) {
        return write(h -> h.createUpdate("DELETE FROM queued_messages WHERE session_id = :session")
                .bind("session", sessionId)
                .execute());
    }

    @Override
    public void startRun(QueuedMessage queued, Message userMessage, RunRecord run) {
        transaction(h -> {
            h.createUpdate("DELETE FROM queued_messages WHERE session_id = :session AND id = :id")
                    .bind("session", queued.sessionId())
                    .bind("id", queued.id())
                    .execute();
            // a resumed conversation has no new user message: its run sorts after the last message
            long position = userMessage != null ? append(h, queued.ownerId(), userMessage) : h.createQuery(
                    "SELECT message_positions FROM sessions WHERE id = :session")
                    .bind("session", queued.sessionId())
                    .mapTo(Long.class)
                    .findOne()
                    .orElseThrow(() -> new NotFoundException("session", queued.sessionId()));
            TokenUsage usage = run.tokenUsage();
            return h.createUpdate("""
                    INSERT INTO runs (id, session_id, owner_id, message_id, position, status, finish_reason, steps,
                        input_tokens, output_tokens, reasoning_tokens, cached_tokens, estimated_cost, error,
                        started_at, ended_at)
                    VALUES (:id, :session, :owner, :message, :position, :status, :finishReason, :steps,
                        :input, :output, :reasoning, :cached, :cost, :error, :startedAt, :endedAt)""")
                    .bind("id", run.id())
                    .bind("session", run.sessionId())
                    .bind("owner", run.ownerId())
                    .bind("message", run.messageId())
                    .bind("position", position)
                    .bind("status", (run.status() == null ? RunStatus.RUNNING : run.status()).wireName())
                    .bind("finishReason", run.finishReason())
                    .bind("steps", run.steps())
                    .bind("input", usage == null ? null : usage.inputTokens())
                    .bind("output", usage == null ? null : usage.outputTokens())
                    .bind("reasoning", usage == null ? null : usage.reasoningTokens())
                    .bind("cached", usage == null ? null : usage.cachedInputTokens())
                    .bind("cost", run.estimatedCost())
                    .bind("error", run.error())
                    .bind("startedAt", millis(run.startedAt()))
                    .bind("endedAt", run.endedAt() == null ? null : run.endedAt().toEpochMilli())
                    .execute();
        });
    }

    @Override
    public List<String> sessionsWithQueue() {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT session_id FROM queued_messages GROUP BY session_id ORDER BY MIN(queued_at), session_id")
                .mapTo(String.class)
                .list());
    }

    // ---- runs

    @Override
    public void finishRun(String runId, RunStatus status, String finishReason, int steps, TokenUsage usage,
            Double estimatedCost, String error, Instant endedAt) {
        write(h -> h.createUpdate("""
                UPDATE runs SET status = :status, finish_reason = :finishReason, steps = :steps,
                    input_tokens = :input, output_tokens = :output, reasoning_tokens = :reasoning,
                    cached_tokens = :cached, estimated_cost = :cost, error = :error, ended_at = :endedAt
                WHERE id = :id""")
                .bind("status", status.wireName())
                .bind("finishReason", finishReason)
                .bind("steps", steps)
                .bind("input", usage == null ? null : usage.inputTokens())
                .bind("output", usage == null ? null : usage.outputTokens())
                .bind("reasoning", usage == null ? null : usage.reasoningTokens())
                .bind("cached", usage == null ? null : usage.cachedInputTokens())
                .bind("cost", estimatedCost)
                .bind("error", error)
                .bind("endedAt", endedAt == null ? null : endedAt.toEpochMilli())
                .bind("id", runId)
                .execute());
    }

    @Override
    public int interruptRunningRuns(Instant now) {
        return write(h -> h.createUpdate("""
                UPDATE runs SET status = 'interrupted', finish_reason = 'interrupted', ended_at = :now
                WHERE status = 'running'""")
                .bind("now", now.toEpochMilli())
                .execute());
    }

    @Override
    public List<RunRecord> runs(String sessionId) {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT " + RUN_COLUMNS + " FROM runs WHERE session_id = :session ORDER BY position, started_at")
                .bind("session", sessionId)
                .map(JdbcStore::run)
                .list());
    }

    // ---- approvals

    private static final String APPROVAL_COLUMNS = "id, owner_id, session_id, run_id, agent_id, type, tool_name, "
            + "call_id, args, message, metadata, timeout_ms, created_at, status, form_data, reason, remember_choice, "
            + "idempotency_key, resolved_at";

    @Override
    public void saveApproval(ApprovalRequest r) {
        write(h -> h.createUpdate("""
                INSERT INTO approvals (id, owner_id, session_id, run_id, agent_id, type, tool_name, call_id, args,
                    message, metadata, timeout_ms, created_at, status)
                VALUES (:id, :owner, :session, :run, :agent, :type, :tool, :call, :args, :message, :metadata,
                    :timeout, :createdAt, 'pending')""")
                .bind("id", r.id())
                .bind("owner", r.ownerId())
                .bind("session", r.sessionId())
                .bind("run", r.runId())
                .bind("agent", r.agentId())
                .bind("type", r.type())
                .bind("tool", r.toolName())
                .bind("call", r.callId())
                .bind("args", r.args())
                .bind("message", r.message())
                .bind("metadata", JsonColumns.writeObject(r.metadata()))
                .bind("timeout", r.timeoutMs())
                .bind("createdAt", millis(r.createdAt()))
                .execute());
    }

    @Override
    public Optional<Approval> findApproval(String ownerId, String approvalId) {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT " + APPROVAL_COLUMNS + " FROM approvals WHERE id = :id AND owner_id = :owner")
                .bind("id", approvalId)
                .bind("owner", ownerId)
                .map(JdbcStore::approval)
                .findOne());
    }

    @Override
    public List<Approval> pendingApprovals(String ownerId, String sessionId) {
        return jdbi.withHandle(h -> {
            var query = h.createQuery("SELECT " + APPROVAL_COLUMNS + " FROM approvals "
                    + "WHERE owner_id = :owner AND status = 'pending'"
                    + (sessionId == null ? "" : " AND session_id = :session") + " ORDER BY created_at, id")
                    .bind("owner", ownerId);
            if (sessionId != null) {
                query.bind("session", sessionId);
            }
            return query.map(JdbcStore::approval).list();
        });
    }

    @Override
    public List<Approval> allPendingApprovals() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + APPROVAL_COLUMNS
                + " FROM approvals WHERE status = 'pending' ORDER BY created_at, id")
                .map(JdbcStore::approval)
                .list());
    }

    @Override
    public boolean resolveApproval(String approvalId, ApprovalDecision decision, String idempotencyKey, Instant at) {
        return write(h -> h.createUpdate("""
                UPDATE approvals SET status = :status, form_data = :formData, reason = :reason,
                    remember_choice = :remember, idempotency_key = :key, resolved_at = :at
                WHERE id = :id AND status = 'pending'""")
                .bind("status", decision.status().wireName())
                .bind("formData", decision.formData() == null ? null : JsonColumns.writeObject(decision.formData()))
                .bind("reason", decision.reason())
                .bind("remember", decision.rememberChoice())
                .bind("key", idempotencyKey)
                .bind("at", millis(at))
                .bind("id", approvalId)
                .execute()) > 0;
    }

    @Override
    public List<Approval> approvalsOfCall(String sessionId, String callId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + APPROVAL_COLUMNS
                + " FROM approvals WHERE session_id = :session AND call_id = :call ORDER BY created_at, id")
                .bind("session", sessionId)
                .bind("call", callId)
                .map(JdbcStore::approval)
                .list());
    }

    @Override
    public void rememberChoice(String ownerId, String agentId, String toolName, ApprovalStatus status, Instant at) {
        write(h -> h.createUpdate("""
                INSERT INTO remembered_choices (owner_id, agent_id, tool_name, status, created_at)
                VALUES (:owner, :agent, :tool, :status, :at)
                ON CONFLICT (owner_id, agent_id, tool_name) DO UPDATE SET status = :status, created_at = :at""")
                .bind("owner", ownerId)
                .bind("agent", agentId)
                .bind("tool", toolName)
                .bind("status", status.wireName())
                .bind("at", millis(at))
                .execute());
    }

    @Override
    public Optional<ApprovalStatus> rememberedChoice(String ownerId, String agentId, String toolName) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT status FROM remembered_choices
                WHERE owner_id = :owner AND agent_id = :agent AND tool_name = :tool""")
                .bind("owner", ownerId)
                .bind("agent", agentId)
                .bind("tool", toolName)
                .mapTo(String.class)
                .findOne()
                .map(ApprovalStatus::fromWire));
    }

    // ---- custom prompts

    private static final String PROMPT_COLUMNS = "owner_id, name, title, description, content, arguments, "
            + "resource_blob_id, resource_mime_type, resource_filename, resource_size, created_at";

    @Override
    public void savePrompt(CustomPrompt p) {
        CustomPrompt.Attachment resource = p.resource();
        int inserted = write(h -> h.createUpdate("""
                INSERT INTO custom_prompts (owner_id, name, title, description, content, arguments,
                    resource_blob_id, resource_mime_type, resource_filename, resource_size, created_at)
                VALUES (:owner, :name, :title, :description, :content, :arguments, :blob, :mime, :filename,
                    :size, :createdAt)
                ON CONFLICT (owner_id, name) DO NOTHING""")
                .bind("owner", p.ownerId())
                .bind("name", p.name())
                .bind("title", p.title())
                .bind("description", p.description())
                .bind("content", p.content())
                .bind("arguments", JsonColumns.writeArguments(p.arguments()))
                .bind("blob", resource == null ? null : resource.blobId())
                .bind("mime", resource == null ? null : resource.mimeType())
                .bind("filename", resource == null ? null : resource.filename())
                .bind("size", resource == null ? null : resource.size())
                .bind("createdAt", millis(p.createdAt()))
                .execute());
        if (inserted == 0) {
            throw new ConflictException("A prompt named '" + p.name() + "' already exists", Map.of("name", p.name()));
        }
    }

    @Override
    public Optional<CustomPrompt> findPrompt(String ownerId, String name) {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT " + PROMPT_COLUMNS + " FROM custom_prompts WHERE owner_id = :owner AND name = :name")
                .bind("owner", ownerId)
                .bind("name", name)
                .map(JdbcStore::prompt)
                .findOne());
    }

    @Override
    public List<CustomPrompt> listPrompts(String ownerId) {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT " + PROMPT_COLUMNS + " FROM custom_prompts WHERE owner_id = :owner ORDER BY name")
                .bind("owner", ownerId)
                .map(JdbcStore::prompt)
                .list());
    }

    @Override
    public boolean deletePrompt(String ownerId, String name) {
        return write(h -> h.createUpdate("DELETE FROM custom_prompts WHERE owner_id = :owner AND name = :name")
                .bind("owner", ownerId)
                .bind("name", name)
                .execute()) > 0;
    }

    @Override
    public void close() {
        pool.close();
    }

    // ---- shared write paths

    /**
     * Inserts the message after the session's last one and adds it to the session's counters, returning its
     * position. The caller holds the transaction.
     */
    private static long append(Handle h, String ownerId, Message message) {
        TokenUsage usage = message.tokenUsage() == null ? TokenUsage.NONE : message.tokenUsage();
        long at = millis(message.timestamp());
        // a fork copies old messages: activity never moves backwards
        long position = h.createQuery("""
                UPDATE sessions SET message_positions = message_positions + 1,
                    message_count = message_count + 1,
                    last_activity = CASE WHEN last_activity < :at THEN :at ELSE last_activity END,
                    input_tokens = input_tokens + :input,
                    output_tokens = output_tokens + :output,
                    reasoning_tokens = reasoning_tokens + :reasoning,
                    cached_tokens = cached_tokens + :cached,
                    estimated_cost = estimated_cost + :cost
                WHERE id = :session AND owner_id = :owner
                RETURNING message_positions""")
                .bind("at", at)
                .bind("input", usage.inputTokens())
                .bind("output", usage.outputTokens())
                .bind("reasoning", usage.reasoningTokens())
                .bind("cached", usage.cachedInputTokens())
                .bind("cost", message.estimatedCost() == null ? 0.0 : message.estimatedCost())
                .bind("session", message.sessionId())
                .bind("owner", ownerId)
                .mapTo(Long.class)
                .findOne()
                .orElseThrow(() -> new NotFoundException("session", message.sessionId()));
        TokenUsage own = message.tokenUsage();
        h.createUpdate("""
                INSERT INTO messages (id, session_id, owner_id, run_id, position, role, content, reasoning,
                    tool_calls, tool_call_id, tool_name, success, input_tokens, output_tokens, reasoning_tokens,
                    cached_tokens, provider, model, estimated_cost, created_at)
                VALUES (:id, :session, :owner, :run, :position, :role, :content, :reasoning,
                    :toolCalls, :toolCallId, :toolName, :success, :input, :output, :reasoning_tokens,
                    :cached, :provider, :model, :cost, :at)""")
                .bind("id", message.id())
                .bind("session", message.sessionId())
                .bind("owner", ownerId)
                .bind("run", message.runId())
                .bind("position", position)
                .bind("role", message.role().wireName())
                .bind("content", JsonColumns.writeContent(message.content()))
                .bind("reasoning", message.reasoning())
                .bind("toolCalls", JsonColumns.writeToolCalls(message.toolCalls()))
                .bind("toolCallId", message.toolCallId())
                .bind("toolName", message.toolName())
                .bind("success", message.success())
                .bind("input", own == null ? null : own.inputTokens())
                .bind("output", own == null ? null : own.outputTokens())
                .bind("reasoning_tokens", own == null ? null : own.reasoningTokens())
                .bind("cached", own == null ? null : own.cachedInputTokens())
                .bind("provider", message.provider())
                .bind("model", message.model())
                .bind("cost", message.estimatedCost())
                .bind("at", at)
                .execute();
        return position;
    }

    @Override
    public void recordBlobOwner(String ownerId, String blobId) {
        write(h -> h.createUpdate("INSERT INTO blob_owners (blob_id, owner_id, created_at) "
                        + "VALUES (:blob, :owner, :at) ON CONFLICT (blob_id, owner_id) DO NOTHING")
                .bind("blob", blobId)
                .bind("owner", ownerId)
                .bind("at", System.currentTimeMillis())
                .execute());
    }

    @Override
    public boolean refersToBlob(String ownerId, String blobId) {
        // '!' escapes LIKE's wildcards: a backslash inside a quoted literal would end Jdbi's parsing of the names
        // bound after it
        String pattern = "%\"" + blobId.replace("!", "").replace("%", "").replace("_", "!_") + "\"%";
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT 1 FROM custom_prompts WHERE owner_id = :owner AND resource_blob_id = :blob
                        UNION ALL
                        SELECT 1 FROM messages WHERE owner_id = :owner AND content LIKE :pattern ESCAPE '!'
                        UNION ALL
                        SELECT 1 FROM queued_messages WHERE owner_id = :owner AND content LIKE :pattern ESCAPE '!'
                        UNION ALL
                        SELECT 1 FROM blob_owners WHERE owner_id = :owner AND blob_id = :blob
                        LIMIT 1""")
                .bind("owner", ownerId)
                .bind("blob", blobId)
                .bind("pattern", pattern)
                .mapTo(Integer.class)
                .findFirst()
                .isPresent());
    }

    /** Users and their credentials, on the same database. */
    public JdbcUserStore users() {
        return users;
    }

    /** The audit log, on the same database. */
    public JdbcAuditLog audit() {
        return audit;
    }

    /** The vault's sealed values and wrapped keys, on the same database. */
    public JdbcVaultStore vault() {
        return vault;
    }

    /** Passkeys, their user handles and the challenges of their ceremonies, on the same database. */
    public JdbcPasskeyStore passkeys() {
        return passkeys;
    }

    /** The server-wide provider/model profiles, on the same database. */
    public JdbcModelProfileStore profiles() {
        return profiles;
    }

    /** Users' push tokens and badge counts, on the same database. */
    public JdbcMemoryStore memories() {
        return memories;
    }

    public JdbcNoteStore notes() {
        return notes;
    }

    /** The full-text and vector index that memories and notes share. */
    public JdbcKnowledgeIndex knowledgeIndex() {
        return knowledgeIndex;
    }

    /** Seed 002's skill permission overrides, on the same database. */
    public JdbcSkillPermissionStore skillPermissions() {
        return skillPermissions;
    }

    public JdbcPushTokenStore pushTokens() {
        return pushTokens;
    }

    /** Compaction summaries of sessions' older turns, on the same database. */
    public JdbcContextSummaryStore contextSummaries() {
        return contextSummaries;
    }

    /** The learned user profiles, on the same database. */
    public JdbcUserProfileStore userProfiles() {
        return userProfiles;
    }

    /** Full-text search over owners' conversations, on the same database. */
    public JdbcConversationSearch search() {
        return search;
    }

    /** Pipeline templates, runs and their checkpoints (issue 7), on the same database. */
    public JdbcPipelineStore pipelines() {
        return pipelines;
    }

    /** Webhooks, their deliveries and attempts, on the same database. */
    public JdbcWebhookStore webhooks() {
        return webhooks;
    }

    /** Hooks and their execution log, on the same database. */
    public JdbcHookStore hooks() {
        return hooks;
    }

    /** Users' notifications, on the same database. */
    public JdbcNotificationStore notifications() {
        return notifications;
    }

    /** A2A tasks and their push targets (issue 8), on the same database. */
    public JdbcTaskStore tasks() {
        return tasks;
    }

    /** The agents' bus, their subagent tasks and their event log (issue 8), on the same database. */
    public JdbcTeamStore team() {
        return team;
    }

    /** Model switches, custom models, the model registry and topic routes, on the same database. */
    public JdbcModelStore models() {
        return models;
    }

    /** The usage ledger of model calls and the budgets, on the same database. */
    public JdbcUsageStore usage() {
        return usage;
    }

    Jdbi jdbi() {
        return jdbi;
    }

    // ---- schedules (issue 7)

    /** Schedules, on the same database. */
    public JdbcScheduleStore schedules() {
        return new JdbcScheduleStore(this);
    }

    /**
     * The connection pool, for db-scheduler, which keeps its table of planned executions on this database. On
     * SQLite each of its connections holds the write lock while open, so its writes queue behind the store's.
     */
    public javax.sql.DataSource dataSource() {
        return writeLock == null ? pool : new WriteLockedDataSource(pool, writeLock);
    }

    /** One statement in auto-commit, behind the write lock where the database needs one. */
    <T> T write(HandleCallback<T, RuntimeException> work) {
        lockForWrite();
        try {
            return jdbi.withHandle(work);
        } finally {
            unlockForWrite();
        }
    }

    /** A transaction, behind the write lock where the database needs one. */
    <T> T transaction(HandleCallback<T, RuntimeException> work) {
        lockForWrite();
        try {
            return jdbi.inTransaction(work);
        } finally {
            unlockForWrite();
        }
    }

    private void lockForWrite() {
        if (writeLock != null) {
            writeLock.lock();
        }
    }

    private void unlockForWrite() {
        if (writeLock != null) {
            writeLock.unlock();
        }
    }

    // ---- rows

    static Session session(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Session(rs.getString("id"), rs.getString("owner_id"), rs.getString("agent_id"),
                rs.getString("title"), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("last_activity")), rs.getInt("message_count"),
                new TokenUsage(rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                        rs.getLong("reasoning_tokens"), rs.getLong("cached_tokens")),
                rs.getDouble("estimated_cost"));
    }

    static Message message(ResultSet rs, StatementContext ctx) throws SQLException {
        boolean success = rs.getBoolean("success");
        Boolean storedSuccess = rs.wasNull() ? null : success;
        return new Message(rs.getString("id"), rs.getString("session_id"), rs.getString("run_id"),
                Role.valueOf(rs.getString("role").toUpperCase(Locale.ROOT)),
                JsonColumns.readContent(rs.getString("content")), rs.getString("reasoning"),
                JsonColumns.readToolCalls(rs.getString("tool_calls")), rs.getString("tool_call_id"),
                rs.getString("tool_name"), storedSuccess, usage(rs), rs.getString("provider"), rs.getString("model"),
                nullableDouble(rs, "estimated_cost"), Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    private static RunRecord run(ResultSet rs, StatementContext ctx) throws SQLException {
        long endedAt = rs.getLong("ended_at");
        Instant storedEnd = rs.wasNull() ? null : Instant.ofEpochMilli(endedAt);
        return new RunRecord(rs.getString("id"), rs.getString("session_id"), rs.getString("owner_id"),
                rs.getString("message_id"), RunStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                rs.getString("finish_reason"), rs.getInt("steps"), usage(rs), nullableDouble(rs, "estimated_cost"),
                rs.getString("error"), Instant.ofEpochMilli(rs.getLong("started_at")), storedEnd);
    }

    private static Approval approval(ResultSet rs, StatementContext ctx) throws SQLException {
        ApprovalRequest request = new ApprovalRequest(rs.getString("id"), rs.getString("type"),
                rs.getString("owner_id"), rs.getString("session_id"), rs.getString("run_id"), rs.getString("agent_id"),
                rs.getString("tool_name"), rs.getString("call_id"), rs.getString("args"), rs.getString("message"),
                JsonColumns.readObject(rs.getString("metadata")), rs.getLong("timeout_ms"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
        ApprovalStatus status = ApprovalStatus.fromWire(rs.getString("status"));
        long resolvedAt = rs.getLong("resolved_at");
        Instant resolved = rs.wasNull() ? null : Instant.ofEpochMilli(resolvedAt);
        String formData = rs.getString("form_data");
        ApprovalDecision decision = status == ApprovalStatus.PENDING ? null : new ApprovalDecision(status,
                formData == null ? null : JsonColumns.readObject(formData), rs.getString("reason"),
                rs.getBoolean("remember_choice"));
        return new Approval(request, status, decision, rs.getString("idempotency_key"), resolved);
    }

    private static CustomPrompt prompt(ResultSet rs, StatementContext ctx) throws SQLException {
        String blobId = rs.getString("resource_blob_id");
        CustomPrompt.Attachment resource = blobId == null ? null : new CustomPrompt.Attachment(blobId,
                rs.getString("resource_mime_type"), rs.getString("resource_filename"), rs.getLong("resource_size"));
        return new CustomPrompt(rs.getString("owner_id"), rs.getString("name"), rs.getString("title"),
                rs.getString("description"), rs.getString("content"),
                JsonColumns.readArguments(rs.getString("arguments")), resource,
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    /** Null when the row stored no usage (the columns are set together). */
    private static TokenUsage usage(ResultSet rs) throws SQLException {
        long input = rs.getLong("input_tokens");
        if (rs.wasNull()) {
            return null;
        }
        return new TokenUsage(input, rs.getLong("output_tokens"), rs.getLong("reasoning_tokens"),
                rs.getLong("cached_tokens"));
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    /** Records stored without a time get the time they were stored at. */
    static long millis(Instant instant) {
        return (instant == null ? Instant.now() : instant).toEpochMilli();
    }
}

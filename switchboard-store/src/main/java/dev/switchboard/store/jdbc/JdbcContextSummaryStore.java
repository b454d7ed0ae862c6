package dev.switchboard.store.jdbc;

import dev.switchboard.context.ContextSummary;
import dev.switchboard.context.ContextSummaryStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** The {@link ContextSummaryStore} on the same database as {@link JdbcStore}; rows go with their session. */
public final class JdbcContextSummaryStore implements ContextSummaryStore {

    private static final String COLUMNS = "id, session_id, owner_id, through_message_id, summary, summarized_messages, "
            + "tokens_before, created_at";

    private final JdbcStore db;

    JdbcContextSummaryStore(JdbcStore db) {
        this.db = db;
    }

    @Override
    public void save(ContextSummary s) {
        db.write(h -> h.createUpdate("INSERT INTO context_summaries (" + COLUMNS + ") VALUES (:id, :session, :owner, "
                        + ":through, :summary, :count, :tokens, :at)")
                .bind("id", s.id())
                .bind("session", s.sessionId())
                .bind("owner", s.ownerId())
                .bind("through", s.throughMessageId())
                .bind("summary", s.text())
                .bind("count", s.summarizedMessages())
                .bind("tokens", s.tokensBefore())
                .bind("at", s.createdAt().toEpochMilli())
                .execute());
    }

    @Override
    public Optional<ContextSummary> latest(String sessionId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM context_summaries "
                        + "WHERE session_id = :session ORDER BY created_at DESC, id DESC LIMIT 1")
                .bind("session", sessionId)
                .map(JdbcContextSummaryStore::summary)
                .findOne());
    }

    private static ContextSummary summary(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ContextSummary(rs.getString("id"), rs.getString("session_id"), rs.getString("owner_id"),
                rs.getString("through_message_id"), rs.getString("summary"), rs.getInt("summarized_messages"),
                rs.getInt("tokens_before"), Instant.ofEpochMilli(rs.getLong("created_at")));
    }
}

package dev.switchboard.store.jdbc;

import dev.switchboard.search.ConversationSearch;
import dev.switchboard.search.MessageHit;
import dev.switchboard.search.SearchPage;
import dev.switchboard.search.SearchQuery;
import dev.switchboard.search.SessionHit;
import dev.switchboard.session.Message;
import dev.switchboard.session.Role;
import dev.switchboard.session.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Conversation search on the index the V8 migration builds: SQLite's FTS5 table {@code message_search_fts}, or
 * PostgreSQL's {@code messages.search_vector}. Each phrase of the query is bound as a parameter and quoted as a
 * literal, so no query reaches either database as syntax.
 */
public final class JdbcConversationSearch implements ConversationSearch {

    private final JdbcStore store;
    private final Vendor vendor;

    JdbcConversationSearch(JdbcStore store, Vendor vendor) {
        this.store = store;
        this.vendor = vendor;
    }

    @Override
    public SearchPage<MessageHit> messages(String ownerId, SearchQuery query, String sessionId, Role role, int limit,
            int offset) {
        Matches matches = matches(query, sessionId, role);
        return store.jdbi().withHandle(h -> {
            // the page alone: with no count over every match, PostgreSQL can walk the owner's messages newest
            // first (messages_owner_created) and stop at the page's end, which is what makes common words cheap
            Query page = h.createQuery("SELECT hit.message_id FROM (" + matches.sql
                    + ") hit ORDER BY hit.created_at DESC, hit.session_id, hit.position DESC LIMIT :limit OFFSET :offset");
            matches.bind(page, ownerId).bind("limit", limit).bind("offset", offset);
            List<String> ids = page.mapTo(String.class).list();
            long total;
            if (!ids.isEmpty() && ids.size() < limit) {
                // the last page: the total is known without counting
                total = offset + ids.size();
            } else if (ids.isEmpty() && offset == 0) {
                total = 0;
            } else {
                total = count(h, matches, ownerId, Math.max(TOTAL_CAP, (long) offset + limit + 1));
            }
            if (ids.isEmpty()) {
                return new SearchPage<>(List.of(), total, offset);
            }
            Map<String, MessageHit> byId = new HashMap<>();
            for (MessageHit hit : h.createQuery("SELECT " + JdbcStore.MESSAGE_COLUMNS + ", " + MESSAGE_INDEX
                            + " FROM messages m WHERE m.id IN (<ids>)")
                    .bindList("ids", ids)
                    .map((rs, ctx) -> new MessageHit(JdbcStore.message(rs, ctx), rs.getLong("message_index")))
                    .list()) {
                byId.put(hit.message().id(), hit);
            }
            // a message deleted between the two queries is left out rather than failing the search
            List<MessageHit> hits = ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
            return new SearchPage<>(hits, total, offset);
        });
    }

    @Override
    public SearchPage<SessionHit> sessions(String ownerId, SearchQuery query, int limit, int offset) {
        Matches matches = matches(query, null, null);
        return store.jdbi().withHandle(h -> {
            Query page = h.createQuery("""
                    SELECT g.session_id, g.match_count, g.first_position, COUNT(*) OVER () AS total
                    FROM (SELECT hit.session_id, COUNT(*) AS match_count, MIN(hit.position) AS first_position
                          FROM (%s) hit GROUP BY hit.session_id) g
                    JOIN sessions x ON x.id = g.session_id AND x.owner_id = :owner
                    ORDER BY x.last_activity DESC, x.id LIMIT :limit OFFSET :offset""".formatted(matches.sql));
            matches.bind(page, ownerId).bind("limit", limit).bind("offset", offset);
            record Group(String sessionId, long matchCount, long firstPosition, long total) {
            }
            List<Group> groups = page.map((rs, ctx) -> new Group(rs.getString("session_id"), rs.getLong("match_count"),
                    rs.getLong("first_position"), rs.getLong("total"))).list();
            if (groups.isEmpty()) {
                return new SearchPage<>(List.of(),
                        offset == 0 ? 0 : count(h, "COUNT(DISTINCT session_id)", matches, ownerId), offset);
            }
            List<SessionHit> hits = new ArrayList<>(groups.size());
            for (Group g : groups) {
                Session session = h.createQuery("SELECT " + JdbcStore.SESSION_COLUMNS
                                + " FROM sessions WHERE id = :id AND owner_id = :owner")
                        .bind("id", g.sessionId())
                        .bind("owner", ownerId)
                        .map(JdbcStore::session)
                        .findOne()
                        .orElse(null);
                MessageHit first = h.createQuery("SELECT " + JdbcStore.MESSAGE_COLUMNS + ", " + MESSAGE_INDEX
                                + " FROM messages m WHERE m.session_id = :session AND m.position = :position")
                        .bind("session", g.sessionId())
                        .bind("position", g.firstPosition())
                        .map((rs, ctx) -> new MessageHit(JdbcStore.message(rs, ctx), rs.getLong("message_index")))
                        .findOne()
                        .orElse(null);
                // deleted between the queries: left out rather than failing the search
                if (session != null && first != null) {
                    hits.add(new SessionHit(session, g.matchCount(), first));
                }
            }
            return new SearchPage<>(hits, groups.getFirst().total(), offset);
        });
    }

    /** Where a message stands in its session's history: the messages before it, by the unique position index. */
    private static final String MESSAGE_INDEX = "(SELECT COUNT(*) FROM messages x WHERE x.session_id = m.session_id "
            + "AND x.position < m.position) AS message_index";

    /**
     * How far the total of a message search is counted: a word in a large share of the owner's messages would
     * otherwise cost its whole match on every page. Past this the total is a lower bound (still past the page
     * asked for, so {@code hasMore} stays right).
     */
    static final long TOTAL_CAP = 1_000;

    private static long count(Handle h, Matches matches, String ownerId, long cap) {
        Query count = h.createQuery("SELECT COUNT(*) FROM (SELECT 1 FROM (" + matches.sql + ") hit LIMIT :cap) c");
        return matches.bind(count, ownerId).bind("cap", cap).mapTo(Long.class).one();
    }

    private static long count(Handle h, String what, Matches matches, String ownerId) {
        Query count = h.createQuery("SELECT " + what + " FROM (" + matches.sql + ") hit");
        return matches.bind(count, ownerId).mapTo(Long.class).one();
    }

    /**
     * The owner's matching messages as rows of (message_id, session_id, position, created_at), with the binds
     * the SQL names.
     */
    private Matches matches(SearchQuery query, String sessionId, Role role) {
        StringBuilder sql = new StringBuilder();
        Map<String, Object> binds = new HashMap<>();
        switch (vendor) {
            case SQLITE -> {
                sql.append("""
                        SELECT s.message_id, s.session_id, s.position, s.created_at
                        FROM message_search_fts f JOIN message_search s ON s.id = f.rowid
                        WHERE message_search_fts MATCH :match AND s.owner_id = :owner""");
                binds.put("match", ftsMatch(query));
            }
            case POSTGRESQL -> {
                sql.append("""
                        SELECT s.id AS message_id, s.session_id, s.position, s.created_at
                        FROM messages s WHERE s.owner_id = :owner AND s.search_vector @@ (""");
                List<List<String>> phrases = query.phrases();
                for (int i = 0; i < phrases.size(); i++) {
                    sql.append(i == 0 ? "" : " && ").append("phraseto_tsquery('simple', :phrase").append(i).append(')');
                    binds.put("phrase" + i, String.join(" ", phrases.get(i)));
                }
                sql.append(')');
            }
        }
        if (sessionId != null) {
            sql.append(" AND s.session_id = :session");
            binds.put("session", sessionId);
        }
        if (role != null) {
            sql.append(" AND s.role = :role");
            binds.put("role", role.wireName());
        }
        return new Matches(sql.toString(), binds);
    }

    /**
     * FTS5's query for the phrases, all required: each phrase in double quotes, which makes everything inside a
     * string (FTS5 keywords such as NEAR, OR and NOT included); the words hold no quote, only letters and digits.
     */
    static String ftsMatch(SearchQuery query) {
        StringBuilder match = new StringBuilder();
        for (List<String> phrase : query.phrases()) {
            if (!match.isEmpty()) {
                match.append(' ');
            }
            match.append('"').append(String.join(" ", phrase).replace("\"", "\"\"")).append('"');
        }
        return match.toString();
    }

    private record Matches(String sql, Map<String, Object> binds) {

        <Q extends Query> Q bind(Q statement, String ownerId) {
            statement.bind("owner", ownerId);
            binds.forEach(statement::bind);
            return statement;
        }
    }
}

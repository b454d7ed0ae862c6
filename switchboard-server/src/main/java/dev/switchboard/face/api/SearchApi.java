package dev.switchboard.face.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.content.Content;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.search.ConversationSearch;
import dev.switchboard.search.Excerpt;
import dev.switchboard.search.MessageHit;
import dev.switchboard.search.SearchPage;
import dev.switchboard.search.SearchQuery;
import dev.switchboard.search.SessionHit;
import dev.switchboard.session.Role;
import dev.switchboard.session.Session;
import io.javalin.http.Context;
import java.util.Locale;

/** {@code /api/search/messages} and {@code /api/search/sessions}: full-text search over the caller's conversations. */
public final class SearchApi {

    private static final int MAX_LIMIT = 100;
    /** Deeper pages are refused: nobody reads them, and each costs the whole match to count and sort. */
    private static final int MAX_OFFSET = 10_000;

    private final ConversationSearch search;

    public SearchApi(ConversationSearch search) {
        this.search = search;
    }

    public void register(Routes routes) {
        routes.get("/api/search/messages", this::messages)
                .get("/api/search/sessions", this::sessions);
    }

    private void messages(Context ctx) {
        SearchQuery query = SearchQuery.parse(ctx.queryParam("q"), "q");
        int limit = AdminApi.intParam(ctx, "limit", 20, 1, MAX_LIMIT);
        int offset = AdminApi.intParam(ctx, "offset", 0, 0, MAX_OFFSET);
        String sessionId = ctx.queryParam("sessionId");
        if (sessionId != null && sessionId.isBlank()) {
            throw new InvalidInputException("sessionId", "sessionId must not be empty when given");
        }
        Role role = role(ctx.queryParam("role"));
        SearchPage<MessageHit> page = search.messages(Owner.of(ctx), query, sessionId, role, limit, offset);
        ArrayNode results = Json.MAPPER.createArrayNode();
        for (MessageHit hit : page.results()) {
            results.add(hit(hit, query));
        }
        ctx.json(page(results, page, query));
    }

    private void sessions(Context ctx) {
        SearchQuery query = SearchQuery.parse(ctx.queryParam("q"), "q");
        int limit = AdminApi.intParam(ctx, "limit", 20, 1, MAX_LIMIT);
        int offset = AdminApi.intParam(ctx, "offset", 0, 0, MAX_OFFSET);
        SearchPage<SessionHit> page = search.sessions(Owner.of(ctx), query, limit, offset);
        ArrayNode results = Json.MAPPER.createArrayNode();
        for (SessionHit hit : page.results()) {
            Session s = hit.session();
            ObjectNode json = results.addObject()
                    .put("sessionId", s.id())
                    .put("matchCount", hit.matchCount());
            json.set("firstMatch", hit(hit.firstMatch(), query));
            ObjectNode metadata = json.putObject("metadata")
                    .put("createdAt", Wire.millis(s.createdAt()))
                    .put("lastActivity", Wire.millis(s.lastActivity()))
                    .put("messageCount", s.messageCount())
                    .put("agentId", s.agentId());
            if (s.title() != null) {
                metadata.put("title", s.title());
            }
        }
        ctx.json(page(results, page, query));
    }

    private static ObjectNode hit(MessageHit hit, SearchQuery query) {
        Excerpt excerpt = query.excerpt(Content.plainText(hit.message().content()));
        ObjectNode json = Json.object().put("sessionId", hit.message().sessionId());
        json.set("message", Wire.message(hit.message()));
        return json.put("matchedText", excerpt.matchedText())
                .put("context", excerpt.context())
                .put("messageIndex", hit.messageIndex());
    }

    private static ObjectNode page(ArrayNode results, SearchPage<?> page, SearchQuery query) {
        ObjectNode json = Json.object();
        json.set("results", results);
        return json.put("total", page.total())
                .put("hasMore", page.hasMore())
                .put("query", query.text());
    }

    private static Role role(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Role.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("role", "role must be one of user, assistant, system, tool");
        }
    }
}

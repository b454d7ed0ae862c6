package dev.switchboard.server;

import dev.switchboard.config.ServerConfig;
import dev.switchboard.failure.ForbiddenException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Cross-origin access for web pages of the origins in {@code http.cors.allowedOrigins}, and for no other: a
 * request from an allowed origin gets the CORS headers, its preflight is answered before any credential is asked
 * for, and a request from any other origin gets no CORS header at all (its preflight gets 403).
 */
final class Cors {

    static final String METHODS = "GET, POST, PUT, PATCH, DELETE";
    static final String REQUEST_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-API-Key, Last-Event-ID, "
            + "Mcp-Session-Id, Mcp-Protocol-Version";
    /** Response headers beyond the safelisted ones that a page's script needs to read. */
    static final String EXPOSED_HEADERS = "Retry-After, WWW-Authenticate, Mcp-Session-Id";

    private final Set<String> origins;
    private final boolean credentials;
    private final String maxAge;

    Cors(ServerConfig.Cors config) {
        this.origins = Set.copyOf(config.allowedOrigins());
        this.credentials = config.allowCredentials();
        this.maxAge = String.valueOf(config.maxAgeSeconds());
    }

    /** Adds the CORS headers for an allowed origin; runs before the rate limits so a 429 is readable too. */
    void allow(Context ctx) {
        if (origins.isEmpty()) {
            return;
        }
        // the answer depends on Origin: caches must not hand one origin's answer to another
        ctx.header("Vary", "Origin");
        String origin = ctx.header("Origin");
        if (origin == null || !origins.contains(origin.strip().toLowerCase(Locale.ROOT))) {
            return;
        }
        ctx.header("Access-Control-Allow-Origin", origin.strip());
        ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        if (credentials) {
            ctx.header("Access-Control-Allow-Credentials", "true");
        }
    }

    /** Answers a preflight, which carries no credentials, so that no route or credential check sees it. */
    void preflight(Context ctx) {
        if (ctx.method() != HandlerType.OPTIONS || ctx.header("Origin") == null
                || ctx.header("Access-Control-Request-Method") == null) {
            return;
        }
        if (ctx.res().getHeader("Access-Control-Allow-Origin") == null) {
            throw new ForbiddenException("Pages of origin '" + ctx.header("Origin") + "' may not call this API; add "
                    + "the origin to http.cors.allowedOrigins in switchboard.yml if they should",
                    Map.of("header", "Origin"));
        }
        ctx.header("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        ctx.header("Access-Control-Allow-Methods", METHODS);
        ctx.header("Access-Control-Allow-Headers", REQUEST_HEADERS);
        ctx.header("Access-Control-Max-Age", maxAge);
        ctx.status(204);
        ctx.skipRemainingHandlers();
    }
}

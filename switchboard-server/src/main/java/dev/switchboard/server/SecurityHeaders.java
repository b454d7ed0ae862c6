package dev.switchboard.server;

import io.javalin.http.Context;

/**
 * Headers on every response, errors and 404s included, so that a browser treats the API's answers as data: never
 * sniffed into another type, framed, sent on as a referrer, or cached. A page the server serves (the API
 * reference at {@code /docs}) replaces the content policy with one that lets its own script run.
 */
final class SecurityHeaders {

    /** The content policy of everything that is not a page: nothing may load, nothing may frame it. */
    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    static void apply(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", API_POLICY);
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        // answers carry tokens, conversations and keys' hints: no browser or proxy cache may keep them
        ctx.header("Cache-Control", "no-store");
        if (ctx.req().isSecure()) {
            // only over HTTPS: sent over plain HTTP it would be ignored, and it must not pin a TLS-less server
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
    }
}

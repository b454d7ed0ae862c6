package dev.switchboard.server;

import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.face.api.SystemApi;
import dev.switchboard.failure.RateLimitedException;
import dev.switchboard.failure.SwitchboardException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server every face is mounted on: the {@link Defences}, API-key check, body limits, and the one mapping
 * from failures to status codes and the error body {@code {"error":{"code","message","details"}}}.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final Javalin javalin;
    private final List<Routes.Route> routes;

    private HttpServer(Javalin javalin, List<Routes.Route> routes) {
        this.javalin = javalin;
        this.routes = routes;
    }

    /** Starts listening; {@code mount} registers the faces' routes. */
    public static HttpServer start(String host, int port, long maxRequestBytes, ApiKey apiKey, Defences defences,
            Consumer<Routes> mount) {
        Routes[] recorded = new Routes[1];
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = maxRequestBytes;
            // SSE must reach the client as it is written
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, true));
            config.jetty.modifyServer(server -> server.setStopTimeout(2000));
            defences.install(config.routes);
            config.routes.before(ctx -> authenticate(ctx, apiKey));
            config.routes.exception(SwitchboardException.class, HttpServer::failure);
            config.routes.exception(HttpResponseException.class, HttpServer::httpFailure);
            config.routes.exception(Exception.class, HttpServer::unexpected);
            config.routes.error(404, "*", ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    error(ctx, 404, "not_found", "No route for " + ctx.method() + " " + ctx.path(), Map.of());
                }
            });
            config.routes.error(405, "*", ctx -> error(ctx, 405, "method_not_allowed",
                    ctx.method() + " is not allowed on " + ctx.path(), Map.of()));
            recorded[0] = new Routes(config.routes);
            mount.accept(recorded[0]);
            recorded[0].install();
        });
        app.start(host, port);
        return new HttpServer(app, recorded[0].registered());
    }

    public int port() {
        return javalin.port();
    }

    /** The routes the faces registered. */
    public List<Routes.Route> routes() {
        return routes;
    }

    @Override
    public void close() {
        try {
            javalin.stop();
        } catch (RuntimeException e) {
            LOG.warn("The HTTP server did not stop cleanly: {}", e.toString());
        }
    }

    private static void authenticate(Context ctx, ApiKey apiKey) {
        if (SystemApi.PUBLIC_PATHS.contains(ctx.path())) {
            return;
        }
        String header = ctx.header("Authorization");
        String presented = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = header.substring(7).strip();
        } else if (ctx.header("X-API-Key") != null) {
            presented = ctx.header("X-API-Key").strip();
        }
        if (!apiKey.matches(presented)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"switchboard\"");
            ctx.skipRemainingHandlers();
            error(ctx, 401, "unauthorized", presented == null
                    ? "An API key is required: send 'Authorization: Bearer <key>'"
                    : "The API key is not valid", Map.of());
            return;
        }
        Owner.set(ctx, Owner.OPERATOR);
    }

    private static void failure(SwitchboardException e, Context ctx) {
        int status = switch (e.code()) {
            case "invalid_input" -> 400;
            case "forbidden" -> 403;
            case "not_found" -> 404;
            case "conflict", "cancelled" -> 409;
            case "rate_limited" -> 429;
            case "not_configured" -> 503;
            case "internal_error" -> 500;
            default -> 502;
        };
        if (e instanceof RateLimitedException limited) {
            ctx.header("Retry-After", String.valueOf(limited.retryAfterSeconds()));
        }
        error(ctx, status, e.code(), e.getMessage(), e.details());
    }

    private static void httpFailure(HttpResponseException e, Context ctx) {
        String code = switch (e.getStatus()) {
            case 413 -> "payload_too_large";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            default -> e.getStatus() < 500 ? "bad_request" : "server_error";
        };
        String message = e.getStatus() == 413 ? "The request body is larger than the server accepts" : e.getMessage();
        error(ctx, e.getStatus(), code, message, Map.of());
    }

    private static void unexpected(Exception e, Context ctx) {
        LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
        error(ctx, 500, "internal_error", "The server failed unexpectedly; the error is in its log", Map.of());
    }

    private static void error(Context ctx, int status, String code, String message, Map<String, Object> details) {
        var body = Json.object();
        var error = body.putObject("error").put("code", code).put("message", message);
        error.set("details", Json.MAPPER.valueToTree(details));
        ctx.status(status).json(body);
    }
}

package dev.switchboard.server;

import dev.switchboard.face.api.Json;
import dev.switchboard.face.api.Owner;
import dev.switchboard.face.api.Routes;
import dev.switchboard.face.openai.OpenAiErrors;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.failure.RateLimitedException;
import dev.switchboard.failure.SwitchboardException;
import dev.switchboard.failure.UnauthorizedException;
import dev.switchboard.identity.Authenticator;
import dev.switchboard.user.Principal;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server every face is mounted on: the {@link Defences} in front of every route, the per-route credential
 * check, body limits, and the one mapping from failures to status codes and the error body
 * {@code {"error":{"code","message","details"}}}.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** RFC 7692's compression extension, turned off for every WebSocket (see {@link #start}). */
    static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    private final Javalin javalin;
    private final List<Routes.Route> routes;

    private HttpServer(Javalin javalin, List<Routes.Route> routes) {
        this.javalin = javalin;
        this.routes = routes;
    }

    /** Starts listening; {@code mount} registers the faces' routes. */
    public static HttpServer start(String host, int port, long maxRequestBytes, Authenticator authenticator,
            Defences defences, Consumer<Routes> mount) {
        Routes[] recorded = new Routes[1];
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = maxRequestBytes;
            // multipart uploads (seed 001's /transcribe) are not read through maxRequestSize: bound them too
            config.jetty.multipartConfig.maxTotalRequestSize(maxRequestBytes, io.javalin.config.SizeUnit.BYTES);
            // SSE must reach the client as it is written
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, true));
            config.jetty.modifyServer(server -> server.setStopTimeout(2000));
            // No permessage-deflate on any WebSocket (/ws, Socket.IO): a compressing connection needs its own
            // zlib deflater and inflater (hundreds of KB of native memory at the default window, against ~25 KB
            // for an idle connection otherwise), browsers always offer it, and the frames are small JSON events
            // encoded once for all receivers. The registry is the context's, shared by every WebSocket endpoint;
            // the servlet factory is configured when the servlet starts, after the context created it.
            ServletContextHandler[] context = new ServletContextHandler[1];
            config.jetty.modifyServletContextHandler(handler -> context[0] = handler);
            config.jetty.modifyWebSocketServletFactory(factory -> WebSocketServerComponents
                    .getWebSocketComponents(context[0]).getExtensionRegistry().unregister(PERMESSAGE_DEFLATE));
            defences.install(config.routes);
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
            recorded[0] = new Routes(config.routes, (ctx, route) -> guard(ctx, route, authenticator));
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

    /**
     * Lets the caller through to the route, or answers 401 (no valid credentials) or 403 (an administrator's
     * route, or a personal access token without the scope). On a public route, credentials are used when valid
     * and otherwise ignored, so a stale token never locks anyone out of signing in.
     */
    private static void guard(Context ctx, Routes.Route route, Authenticator authenticator) {
        String presented = presentedCredential(ctx);
        if (route.access() == Routes.Access.PUBLIC) {
            if (presented != null) {
                try {
                    Owner.set(ctx, authenticator.authenticate(presented));
                } catch (UnauthorizedException ignored) {
                    // a public route does not need them
                }
            }
            return;
        }
        if (presented == null) {
            throw new UnauthorizedException("Credentials are required: send 'Authorization: Bearer <token>' with "
                    + "an access token, a personal access token or the API key");
        }
        Principal principal = authenticator.authenticate(presented);
        Owner.set(ctx, principal);
        if (route.access() == Routes.Access.ADMIN && !principal.isAdmin()) {
            throw new ForbiddenException("Only administrators may " + route.method().toUpperCase(Locale.ROOT) + " "
                    + route.path(), Map.of("required", "admin"));
        }
        boolean reads = route.method().equals("get") || route.method().equals("head");
        String scope = reads ? Principal.READ : Principal.WRITE;
        if (!principal.may(scope)) {
            throw new ForbiddenException("This token lacks the '" + scope + "' scope", Map.of("required", scope));
        }
    }

    /** The bearer token or {@code X-API-Key}, or null when the request carries neither. */
    public static String presentedCredential(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).strip();
            return token.isEmpty() ? null : token;
        }
        String key = ctx.header("X-API-Key");
        return key == null || key.isBlank() ? null : key.strip();
    }

    private static void failure(SwitchboardException e, Context ctx) {
        if (e instanceof UnauthorizedException) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"switchboard\"");
            error(ctx, 401, e.code(), e.getMessage(), e.details());
            return;
        }
        int status = switch (e.code()) {
            case "invalid_input" -> 400;
            case "forbidden" -> 403;
            case "not_found" -> 404;
            case "conflict", "cancelled", "not_available" -> 409;
            case "rate_limited" -> 429;
            case "budget_exceeded" -> 402;
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
        if (OpenAiErrors.covers(ctx.path())) {
            // OpenAI clients read only OpenAI's error shape
            OpenAiErrors.write(ctx, status, code, message, details);
            return;
        }
        var body = Json.object();
        var error = body.putObject("error").put("code", code).put("message", message);
        error.set("details", Json.MAPPER.valueToTree(details));
        ctx.status(status).json(body);
    }
}

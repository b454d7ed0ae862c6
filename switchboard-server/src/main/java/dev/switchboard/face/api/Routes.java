package dev.switchboard.face.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Registers routes with Javalin and remembers them, so the API document can be checked against the server.
 *
 * <p>Javalin answers a request with the first registered route that matches it. Routes are therefore handed to
 * Javalin only by {@link #install()}, most specific first: at the first path segment where two routes differ in
 * kind, a literal segment wins over a parameter, so {@code /mcp/servers} is never taken by {@code /mcp/{token}},
 * whichever face registered first.
 */
public final class Routes {

    /** Who may call a route. */
    public enum Access {
        /** Anyone, without credentials: health, the API document, login and the like. */
        PUBLIC,
        /** Any signed-in caller; what they see is limited to what they own. */
        USER,
        /** Administrators only. */
        ADMIN
    }

    /** One registered operation. {@code path} uses {@code {name}} for parameters, as OpenAPI does. */
    public record Route(String method, String path, Access access) {

        public Route(String method, String path) {
            this(method, path, Access.USER);
        }
    }

    private record Pending(Route route, Endpoint endpoint, int order) {
    }

    /** What every view of the same routes shares. */
    private static final class Registry {
        final RoutesConfig javalin;
        final RouteGuard guard;
        final List<Pending> pending = new ArrayList<>();
        final List<Route> registered = new ArrayList<>();
        boolean installed;

        Registry(RoutesConfig javalin, RouteGuard guard) {
            this.javalin = javalin;
            this.guard = guard;
        }
    }

    /** Checks the caller of a route before its handler runs. */
    @FunctionalInterface
    public interface RouteGuard {
        void check(Context ctx, Route route) throws Exception;
    }

    private final Registry registry;
    private final Access access;

    /** Routes whose handlers run without any check; for tests of a single face. */
    public Routes(RoutesConfig javalin) {
        this(javalin, (ctx, route) -> { });
    }

    /** Routes whose handlers run after {@code guard} let the caller through. */
    public Routes(RoutesConfig javalin, RouteGuard guard) {
        this(new Registry(javalin, guard), Access.USER);
    }

    private Routes(Registry registry, Access access) {
        this.registry = registry;
        this.access = access;
    }

    /** A view of these routes that registers routes anyone may call without credentials. */
    public Routes open() {
        return new Routes(registry, Access.PUBLIC);
    }

    /** A view of these routes that registers routes only administrators may call. */
    public Routes admin() {
        return new Routes(registry, Access.ADMIN);
    }

    public Routes get(String path, Handler handler) {
        return add(HandlerType.GET, path, handler);
    }

    public Routes post(String path, Handler handler) {
        return add(HandlerType.POST, path, handler);
    }

    public Routes patch(String path, Handler handler) {
        return add(HandlerType.PATCH, path, handler);
    }

    public Routes put(String path, Handler handler) {
        return add(HandlerType.PUT, path, handler);
    }

    public Routes delete(String path, Handler handler) {
        return add(HandlerType.DELETE, path, handler);
    }

    /**
     * A WebSocket endpoint at {@code path}. Its upgrade requests do not pass the route guard, since browsers cannot
     * send headers with them: {@code beforeUpgrade} checks the caller (from the query string) and refuses by
     * throwing, which answers the upgrade request with the usual error status and body. Register the plain
     * {@code GET} of the same path separately, so that the API document and the access checks see it.
     */
    public Routes websocket(String path, Handler beforeUpgrade, java.util.function.Consumer<io.javalin.websocket.WsConfig> ws) {
        if (registry.installed) {
            throw new IllegalStateException("Routes are already installed; register " + path + " earlier");
        }
        registry.javalin.wsBeforeUpgrade(path, beforeUpgrade);
        registry.javalin.ws(path, ws);
        return this;
    }

    private Routes add(HandlerType type, String path, Handler handler) {
        if (registry.installed) {
            throw new IllegalStateException("Routes are already installed; register " + path + " earlier");
        }
        Route route = new Route(type.name().toLowerCase(Locale.ROOT), path, access);
        RouteGuard guard = registry.guard;
        Handler guarded = ctx -> {
            guard.check(ctx, route);
            handler.handle(ctx);
        };
        registry.pending.add(new Pending(route, new Endpoint(type, path, guarded, Set.of()), registry.pending.size()));
        registry.registered.add(route);
        return this;
    }

    /** Hands the routes to Javalin, most specific first; call once, after every face has registered. */
    public void install() {
        if (registry.installed) {
            return;
        }
        registry.installed = true;
        registry.pending.stream()
                .sorted(Comparator.<Pending, String>comparing(p -> specificity(p.route().path()))
                        .thenComparingInt(Pending::order))
                .forEach(p -> registry.javalin.addEndpoint(p.endpoint()));
    }

    /**
     * The kinds of the path's segments as a string that sorts more specific paths first: {@code 0} a literal,
     * {@code 1} a parameter, {@code 2} a parameter that may span slashes or a wildcard.
     */
    static String specificity(String path) {
        StringBuilder kinds = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.contains("<") || segment.contains("*")) {
                kinds.append('2');
            } else if (segment.contains("{")) {
                kinds.append('1');
            } else {
                kinds.append('0');
            }
        }
        return kinds.toString();
    }

    public List<Route> registered() {
        return List.copyOf(registry.registered);
    }
}

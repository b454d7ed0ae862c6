package dev.switchboard.face.api;

import io.javalin.config.RoutesConfig;
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

    /** One registered operation. {@code path} uses {@code {name}} for parameters, as OpenAPI does. */
    public record Route(String method, String path) {
    }

    private record Pending(Route route, Endpoint endpoint, int order) {
    }

    private final RoutesConfig javalin;
    private final List<Pending> pending = new ArrayList<>();
    private final List<Route> registered = new ArrayList<>();
    private boolean installed;

    public Routes(RoutesConfig javalin) {
        this.javalin = javalin;
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

    private Routes add(HandlerType type, String path, Handler handler) {
        if (installed) {
            throw new IllegalStateException("Routes are already installed; register " + path + " earlier");
        }
        Route route = new Route(type.name().toLowerCase(Locale.ROOT), path);
        pending.add(new Pending(route, new Endpoint(type, path, handler, Set.of()), pending.size()));
        registered.add(route);
        return this;
    }

    /** Hands the routes to Javalin, most specific first; call once, after every face has registered. */
    public void install() {
        if (installed) {
            return;
        }
        installed = true;
        pending.stream()
                .sorted(Comparator.<Pending, String>comparing(p -> specificity(p.route().path()))
                        .thenComparingInt(Pending::order))
                .forEach(p -> javalin.addEndpoint(p.endpoint()));
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
        return List.copyOf(registered);
    }
}

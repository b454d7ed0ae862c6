package dev.switchboard.face.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/** Registers routes with Javalin and remembers them, so the API document can be checked against the server. */
public final class Routes {

    /** One registered operation. {@code path} uses {@code {name}} for parameters, as OpenAPI does. */
    public record Route(String method, String path) {
    }

    private final RoutesConfig javalin;
    private final List<Route> registered = new ArrayList<>();

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
        javalin.addEndpoint(new io.javalin.router.Endpoint(type, path, handler, java.util.Set.of()));
        registered.add(new Route(type.name().toLowerCase(java.util.Locale.ROOT), path));
        return this;
    }

    public List<Route> registered() {
        return List.copyOf(registered);
    }
}

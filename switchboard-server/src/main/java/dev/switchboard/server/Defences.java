package dev.switchboard.server;

import dev.switchboard.config.ServerConfig;
import dev.switchboard.face.api.ClientAddress;
import io.javalin.config.RoutesConfig;
import java.time.Clock;

/** What stands in front of every route: security headers, the client's address, CORS and the rate limits. */
public final class Defences {

    private final Cors cors;
    private final RateLimits rateLimits;
    private final boolean trustForwardedFor;

    private Defences(Cors cors, RateLimits rateLimits, boolean trustForwardedFor) {
        this.cors = cors;
        this.rateLimits = rateLimits;
        this.trustForwardedFor = trustForwardedFor;
    }

    public static Defences from(ServerConfig config, Clock clock) {
        return new Defences(new Cors(config.http().cors()), new RateLimits(config.rateLimits(), clock),
                config.rateLimits().trustForwardedFor());
    }

    /** Registers the guards, in this order, ahead of every other handler. */
    void install(RoutesConfig routes) {
        routes.before(SecurityHeaders::apply);
        routes.before(ctx -> ClientAddress.resolve(ctx, trustForwardedFor));
        // before the limits, so that a page of an allowed origin can read a 429 and its Retry-After
        routes.before(cors::allow);
        routes.before(rateLimits::apply);
        routes.before(cors::preflight);
    }
}

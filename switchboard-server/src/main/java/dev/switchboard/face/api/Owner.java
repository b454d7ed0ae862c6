package dev.switchboard.face.api;

import dev.switchboard.failure.UnauthorizedException;
import dev.switchboard.user.Principal;
import io.javalin.http.Context;

/** Who is calling: set by the route guard once the caller's credentials were checked. */
public final class Owner {

    static final String ATTRIBUTE = "switchboard.principal";

    private Owner() {
    }

    /** The owner id of everything the caller stores and sees. */
    public static String of(Context ctx) {
        return principal(ctx).userId();
    }

    /** The caller; 401 on a public route called without valid credentials. */
    public static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(ATTRIBUTE);
        if (principal == null) {
            throw new UnauthorizedException("Credentials are required");
        }
        return principal;
    }

    /** The caller when the route is public and they sent valid credentials; else null. */
    public static Principal optional(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }

    public static void set(Context ctx, Principal principal) {
        ctx.attribute(ATTRIBUTE, principal);
    }
}

package dev.switchboard.face.api;

import io.javalin.http.Context;

/** Who is calling. Until users exist, every authenticated caller acts as the one operator. */
public final class Owner {

    public static final String OPERATOR = "operator";
    static final String ATTRIBUTE = "switchboard.owner";

    private Owner() {
    }

    public static String of(Context ctx) {
        String owner = ctx.attribute(ATTRIBUTE);
        return owner == null ? OPERATOR : owner;
    }

    public static void set(Context ctx, String ownerId) {
        ctx.attribute(ATTRIBUTE, ownerId);
    }
}

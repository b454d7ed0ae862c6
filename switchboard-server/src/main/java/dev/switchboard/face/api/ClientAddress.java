package dev.switchboard.face.api;

import io.javalin.http.Context;

/**
 * The address a request comes from, as rate limits, sign-in throttling and the audit log see it: the socket's
 * peer, or the last {@code X-Forwarded-For} entry when the server is told it sits behind a proxy that sets it.
 */
public final class ClientAddress {

    static final String ATTRIBUTE = "switchboard.clientAddress";

    private ClientAddress() {
    }

    /** The address resolved for this request; the socket's peer when nothing was resolved. */
    public static String of(Context ctx) {
        String address = ctx.attribute(ATTRIBUTE);
        return address == null ? ctx.ip() : address;
    }

    /** Resolves the address once per request, before any route runs. */
    public static void resolve(Context ctx, boolean trustForwardedFor) {
        ctx.attribute(ATTRIBUTE, trustForwardedFor ? forwarded(ctx.header("X-Forwarded-For"), ctx.ip()) : ctx.ip());
    }

    /**
     * The last entry of {@code X-Forwarded-For}: the one the proxy in front of the server added. Earlier entries
     * come from the client and could say anything.
     */
    static String forwarded(String header, String peer) {
        if (header == null || header.isBlank()) {
            return peer;
        }
        String last = header.substring(header.lastIndexOf(',') + 1).strip();
        if (last.startsWith("[") && last.endsWith("]")) {
            last = last.substring(1, last.length() - 1);
        }
        return looksLikeAddress(last) ? last : peer;
    }

    /** An IPv4 or IPv6 literal's characters only, so a header cannot smuggle odd text into logs and keys. */
    private static boolean looksLikeAddress(String value) {
        if (value.isEmpty() || value.length() > 45) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex && c != '.' && c != ':') {
                return false;
            }
        }
        return true;
    }
}

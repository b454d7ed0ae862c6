package dev.switchboard.server;

import dev.switchboard.config.ServerConfig;
import dev.switchboard.face.api.ClientAddress;
import dev.switchboard.failure.RateLimitedException;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;

/**
 * The request rate limits in front of every route: one allowance per client address and one per presented
 * credential (valid or not, so that guessing keys is slowed too). Beyond either the request fails with
 * {@link RateLimitedException}, which the server answers with 429 and {@code Retry-After}.
 */
public final class RateLimits {

    /** Buckets remembered per limit; beyond it the least recently used are forgotten. */
    static final int MAX_CLIENTS = 20_000;

    private final RequestBuckets perAddress;
    private final RequestBuckets perCredential;

    public RateLimits(ServerConfig.RateLimits config, Clock clock) {
        this.perAddress = config.perIpPerMinute() == 0 ? null
                : new RequestBuckets(config.perIpPerMinute(), MAX_CLIENTS, clock);
        this.perCredential = config.perCredentialPerMinute() == 0 ? null
                : new RequestBuckets(config.perCredentialPerMinute(), MAX_CLIENTS, clock);
    }

    /** Counts the request against its address and its credential. */
    void apply(Context ctx) {
        if (perAddress != null) {
            long wait = perAddress.take(ClientAddress.of(ctx));
            if (wait > 0) {
                throw new RateLimitedException("Too many requests from this address; retry in " + wait + " s", wait);
            }
        }
        String credential = HttpServer.presentedCredential(ctx);
        if (perCredential != null && credential != null) {
            // only a digest is kept: the buckets must not become a list of everyone's keys
            long wait = perCredential.take(fingerprint(credential));
            if (wait > 0) {
                throw new RateLimitedException("Too many requests with this credential; retry in " + wait + " s",
                        wait);
            }
        }
    }

    /** The credential's SHA-256 in hex. */
    static String fingerprint(String credential) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(credential.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}

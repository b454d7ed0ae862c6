package dev.switchboard.failure;

import java.util.Map;

/** The caller sent too many requests, or too many failed sign-ins; it may try again after a wait. */
public final class RateLimitedException extends SwitchboardException {

    private final long retryAfterSeconds;

    /** @param retryAfterSeconds how long the caller should wait before the next try; raised to at least 1 */
    public RateLimitedException(String message, long retryAfterSeconds) {
        super("rate_limited", message, Map.of("retryAfterSeconds", Math.max(1, retryAfterSeconds)));
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** Seconds until a retry can succeed, as the {@code Retry-After} header says. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

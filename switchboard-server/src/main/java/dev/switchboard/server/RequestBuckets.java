package dev.switchboard.server;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket per key (a client address, a credential's hash): {@code perMinute} requests a minute, refilled
 * continuously, and up to a minute's worth at once after a quiet spell. Buckets idle for a minute are full again,
 * so they are forgotten then; at most {@code maxKeys} are kept.
 */
public final class RequestBuckets {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final long perMinute;
    private final TimeMeter time;
    private final ExpiringMap<String, Bucket> buckets;

    public RequestBuckets(long perMinute, int maxKeys, Clock clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1");
        }
        this.perMinute = perMinute;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.millis() * 1_000_000L;
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.buckets = new ExpiringMap<>(maxKeys, MINUTE, clock);
    }

    /** Takes one request from the key's allowance: 0 when it is admitted, else the seconds until one would be. */
    public long take(String key) {
        Bucket bucket = buckets.use(key, k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, MINUTE))
                .withCustomTimePrecision(time)
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        // round up: a client that waits the whole Retry-After must find a token
        return Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }

    /** How many keys are remembered now. */
    public int size() {
        return buckets.size();
    }
}

package dev.switchboard.mcp.sdk;

import java.time.Duration;

/**
 * How a lost MCP connection comes back: the first retry waits {@code initialDelay}, each failed retry doubles the
 * wait up to {@code maxDelay}; a connected server is pinged every {@code healthCheckEvery} to notice a silent drop.
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, Duration healthCheckEvery) {

    public static final ReconnectPolicy DEFAULT =
            new ReconnectPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(15));

    public ReconnectPolicy {
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0
                || healthCheckEvery.isNegative() || healthCheckEvery.isZero()) {
            throw new IllegalArgumentException("delays must be positive and maxDelay at least initialDelay");
        }
    }

    /** The wait after {@code delay}: doubled, at most {@code maxDelay}. */
    Duration next(Duration delay) {
        Duration doubled = delay.multipliedBy(2);
        return doubled.compareTo(maxDelay) > 0 ? maxDelay : doubled;
    }
}

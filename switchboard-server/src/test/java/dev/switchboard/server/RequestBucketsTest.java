package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestBucketsTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aMinutesWorthAtOnceThenTheSteadyRate() {
        RequestBuckets buckets = new RequestBuckets(60, 100, clock);
        for (int i = 0; i < 60; i++) {
            assertThat(buckets.take("a")).isZero();
        }
        assertThat(buckets.take("a")).isEqualTo(1);
        assertThat(buckets.take("b")).as("each key its own bucket").isZero();

        clock.advance(Duration.ofMillis(999));
        assertThat(buckets.take("a")).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(buckets.take("a")).isZero();
    }

    @Test
    void idleBucketsAreForgottenAndTheirNumberIsBounded() {
        RequestBuckets buckets = new RequestBuckets(10, 1000, clock);
        for (int i = 0; i < 500; i++) {
            buckets.take("client-" + i);
        }
        assertThat(buckets.size()).isEqualTo(500);
        clock.advance(Duration.ofMinutes(1));
        assertThat(buckets.size()).isZero();

        for (int i = 0; i < 5000; i++) {
            buckets.take("flood-" + i);
        }
        assertThat(buckets.size()).isEqualTo(1000);
    }

    @Test
    void aForgottenBucketStartsFull() {
        RequestBuckets buckets = new RequestBuckets(2, 100, clock);
        buckets.take("a");
        buckets.take("a");
        assertThat(buckets.take("a")).isPositive();
        clock.advance(Duration.ofMinutes(1));
        assertThat(buckets.take("a")).isZero();
        assertThat(buckets.take("a")).isZero();
        assertThat(buckets.take("a")).isPositive();
    }

    @Test
    void theLeastRecentlyUsedEntryLeavesFirst() {
        ExpiringMap<String, Integer> map = new ExpiringMap<>(2, Duration.ofMinutes(5), clock);
        map.use("a", k -> 1);
        map.use("b", k -> 2);
        assertThat(map.get("a")).isEqualTo(1); // a is now the most recent
        map.use("c", k -> 3);

        assertThat(map.get("b")).isNull();
        assertThat(map.get("a")).isEqualTo(1);
        assertThat(map.get("c")).isEqualTo(3);
    }

    @Test
    void aCredentialIsKeptOnlyAsItsDigest() {
        String fingerprint = RateLimits.fingerprint("sb_secret-value");
        assertThat(fingerprint).matches("[0-9a-f]{64}").doesNotContain("secret");
    }
}

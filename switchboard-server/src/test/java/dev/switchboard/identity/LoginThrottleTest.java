package dev.switchboard.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.failure.RateLimitedException;
import dev.switchboard.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<LoginThrottle.Lockout> lockouts = new ArrayList<>();
    private final LoginThrottle throttle = new LoginThrottle(LoginThrottle.Policy.defaults(), clock, lockouts::add);

    /** One attempt that fails, as the sign-in route makes it: check first, then report the failure. */
    private void wrongPassword(String name, String address) {
        throttle.check(name, address);
        throttle.failed(name, address);
        clock.advance(Duration.ofSeconds(7)); // stay under the per-address limit
    }

    private long lockedFor(String name) {
        try {
            throttle.check(name, "192.0.2.99");
            return 0;
        } catch (RateLimitedException e) {
            return e.retryAfterSeconds();
        }
    }

    @Test
    void fiveFailuresLockTheAccountForFifteenMinutes() {
        for (int i = 0; i < 4; i++) {
            wrongPassword("alice", "192.0.2.1");
        }
        assertThat(lockedFor("alice")).isZero();
        wrongPassword("alice", "192.0.2.1");

        assertThat(lockedFor("alice")).isBetween(Duration.ofMinutes(15).toSeconds() - 10, 900L);
        assertThat(lockouts).singleElement().satisfies(lockout -> {
            assertThat(lockout.username()).isEqualTo("alice");
            assertThat(lockout.address()).isEqualTo("192.0.2.1");
            assertThat(lockout.duration()).isEqualTo(Duration.ofMinutes(15));
            assertThat(lockout.lockoutInARow()).isEqualTo(1);
        });
        assertThatThrownBy(() -> throttle.check("alice", "198.51.100.7"))
                .as("another address does not help").isInstanceOf(RateLimitedException.class)
                .hasMessageContaining("locked");

        clock.advance(Duration.ofMinutes(15));
        assertThat(lockedFor("alice")).isZero();
    }

    @Test
    void eachFurtherLockoutLastsTwiceAsLongUpToADay() {
        List<Long> minutes = new ArrayList<>();
        for (int round = 0; round < 9; round++) {
            for (int i = 0; i < 5; i++) {
                wrongPassword("bob", "192.0.2.1");
            }
            minutes.add(lockouts.getLast().duration().toMinutes());
            clock.advance(lockouts.getLast().duration());
        }
        assertThat(minutes).containsExactly(15L, 30L, 60L, 120L, 240L, 480L, 960L, 1440L, 1440L);
    }

    @Test
    void aSuccessForgetsTheFailuresAndTheStreak() {
        for (int i = 0; i < 5; i++) {
            wrongPassword("carol", "192.0.2.1");
        }
        clock.advance(Duration.ofMinutes(15));
        throttle.check("carol", "192.0.2.1");
        throttle.succeeded("carol", "192.0.2.1");

        for (int i = 0; i < 4; i++) {
            wrongPassword("carol", "192.0.2.1");
        }
        assertThat(lockedFor("carol")).isZero();
        wrongPassword("carol", "192.0.2.1");
        assertThat(lockouts.getLast().duration()).as("a fresh streak").isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        for (int i = 0; i < 4; i++) {
            wrongPassword("dave", "192.0.2.1");
        }
        clock.advance(Duration.ofMinutes(15));
        wrongPassword("dave", "192.0.2.1");
        assertThat(lockedFor("dave")).isZero();
        assertThat(lockouts).isEmpty();
    }

    @Test
    void theNameIsTakenAsTypedCaseFoldedWhetherOrNotSuchAUserExists() {
        for (int i = 0; i < 5; i++) {
            wrongPassword(i % 2 == 0 ? "Nobody-Here " : "nobody-here", "192.0.2.1");
        }
        assertThat(lockedFor("NOBODY-HERE")).isPositive();
        assertThat(lockedFor("somebody-else")).isZero();
    }

    @Test
    void oneAddressGetsTenAttemptsAMinute() {
        for (int i = 0; i < 10; i++) {
            throttle.check("user" + i, "192.0.2.1");
        }
        assertThatThrownBy(() -> throttle.check("user-eleven", "192.0.2.1"))
                .isInstanceOfSatisfying(RateLimitedException.class,
                        e -> assertThat(e.retryAfterSeconds()).isEqualTo(6))
                .hasMessageContaining("address");
        assertThatCode(() -> throttle.check("user-eleven", "192.0.2.2")).doesNotThrowAnyException();

        clock.advance(Duration.ofSeconds(6));
        assertThatCode(() -> throttle.check("user-eleven", "192.0.2.1")).doesNotThrowAnyException();
    }

    @Test
    void zeroTurnsTheLimitsOff() {
        LoginThrottle open = new LoginThrottle(LoginThrottle.Policy.of(0, 0), clock, lockouts::add);
        for (int i = 0; i < 100; i++) {
            open.check("erin", "192.0.2.1");
            open.failed("erin", "192.0.2.1");
        }
        assertThat(lockouts).isEmpty();
    }
}

package dev.switchboard.identity;

import dev.switchboard.failure.RateLimitedException;
import dev.switchboard.server.ExpiringMap;
import dev.switchboard.server.RequestBuckets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows password guessing at sign-in: few attempts a minute per client address, and an account locked for a while
 * after repeated failures, each further lockout twice as long (up to a ceiling) until a sign-in succeeds.
 *
 * <p>Accounts are keyed by the name as typed (case-folded), whether or not such a user exists, so a lockout says
 * nothing about which names are real. The sign-in route calls {@link #check} before it looks at the password, then
 * {@link #failed} or {@link #succeeded}.
 */
public final class LoginThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
    private static final int MAX_TRACKED = 20_000;

    /**
     * The rules.
     *
     * @param attemptsPerAddressPerMinute sign-in attempts per client address and minute; 0 for no limit
     * @param failuresBeforeLockout failures within {@code failureWindow} that lock the account; 0 never locks
     * @param failureWindow how long a failure counts
     * @param firstLockout how long the first lockout lasts; each further one lasts twice as long
     * @param longestLockout the ceiling of a lockout; also how long after a lockout's end a new one counts as the
     *     next in a row (twice as long)
     */
    public record Policy(int attemptsPerAddressPerMinute, int failuresBeforeLockout, Duration failureWindow,
            Duration firstLockout, Duration longestLockout) {

        public Policy {
            if (attemptsPerAddressPerMinute < 0 || failuresBeforeLockout < 0) {
                throw new IllegalArgumentException("limits must be 0 (off) or more");
            }
            if (failureWindow.isNegative() || firstLockout.isNegative() || longestLockout.compareTo(firstLockout) < 0) {
                throw new IllegalArgumentException("durations must be positive and the longest lockout the longest");
            }
        }

        /** 10 attempts a minute per address; 5 failures in 15 minutes lock for 15 minutes, doubling up to 24 h. */
        public static Policy defaults() {
            return of(10, 5);
        }

        /** The default durations with these counts (the {@code rateLimits.login*} settings). */
        public static Policy of(int attemptsPerAddressPerMinute, int failuresBeforeLockout) {
            return new Policy(attemptsPerAddressPerMinute, failuresBeforeLockout, Duration.ofMinutes(15),
                    Duration.ofMinutes(15), Duration.ofHours(24));
        }
    }

    /**
     * An account just locked, for the audit log.
     *
     * @param username the name as typed at sign-in
     * @param address the client address of the failure that locked it
     * @param duration how long it stays locked
     * @param lockoutInARow 1 for the first lockout, 2 for the next one (twice as long), ...
     */
    public record Lockout(String username, String address, Duration duration, int lockoutInARow) {
    }

    /** What is known of one account name's recent failures. */
    private static final class Account {
        final Deque<Long> failures = new ArrayDeque<>();
        long lockedUntil;
        int lockoutsInARow;
    }

    private final Policy policy;
    private final Clock clock;
    private final Consumer<Lockout> onLockout;
    private final RequestBuckets perAddress;
    private final ExpiringMap<String, Account> accounts;

    /** @param onLockout told of each new lockout, for example to write it to the audit log */
    public LoginThrottle(Policy policy, Clock clock, Consumer<Lockout> onLockout) {
        this.policy = policy;
        this.clock = clock;
        this.onLockout = onLockout;
        this.perAddress = policy.attemptsPerAddressPerMinute() == 0 ? null
                : new RequestBuckets(policy.attemptsPerAddressPerMinute(), MAX_TRACKED, clock);
        // an account idle this long has no lockout left, no failure in the window and no streak worth doubling
        this.accounts = new ExpiringMap<>(MAX_TRACKED,
                policy.longestLockout().multipliedBy(2).plus(policy.failureWindow()), clock);
    }

    /**
     * Counts a sign-in attempt.
     *
     * @throws RateLimitedException when the address has used up its attempts or the account is locked
     */
    public void check(String username, String address) {
        if (perAddress != null) {
            long wait = perAddress.take(address);
            if (wait > 0) {
                throw new RateLimitedException("Too many sign-in attempts from this address; retry in " + wait + " s",
                        wait);
            }
        }
        long now = clock.millis();
        Account account = accounts.get(key(username));
        if (account == null) {
            return;
        }
        synchronized (account) {
            if (account.lockedUntil > now) {
                long wait = (account.lockedUntil - now + 999) / 1000;
                throw new RateLimitedException("Sign-in to this account is locked for a while after repeated "
                        + "failures; retry in " + wait + " s", wait);
            }
        }
    }

    /** Records a failed sign-in (wrong password or code); enough of them lock the account. */
    public void failed(String username, String address) {
        if (policy.failuresBeforeLockout() == 0) {
            return;
        }
        long now = clock.millis();
        Account account = accounts.use(key(username), k -> new Account());
        Lockout lockout = null;
        synchronized (account) {
            account.failures.addLast(now);
            while (now - account.failures.peekFirst() >= policy.failureWindow().toMillis()) {
                account.failures.removeFirst();
            }
            if (account.failures.size() >= policy.failuresBeforeLockout()) {
                account.failures.clear();
                // failing again within a day of the last lockout's end continues the streak
                boolean streak = account.lockoutsInARow > 0
                        && now - account.lockedUntil < policy.longestLockout().toMillis();
                account.lockoutsInARow = streak ? account.lockoutsInARow + 1 : 1;
                Duration duration = lockoutLength(account.lockoutsInARow);
                account.lockedUntil = now + duration.toMillis();
                lockout = new Lockout(username, address, duration, account.lockoutsInARow);
            }
        }
        if (lockout != null) {
            // the name is left out: people type passwords into the name field, and logs travel further
            LOG.warn("Sign-in to an account locked for {} after {} failures; the last from {}",
                    lockout.duration(), policy.failuresBeforeLockout(), address);
            onLockout.accept(lockout);
        }
    }

    /** Records a successful sign-in: the account's failures and lockout streak are forgotten. */
    public void succeeded(String username, String address) {
        accounts.remove(key(username));
    }

    /** Lifts a lockout and forgets the account's failures: an administrator vouched for the person. */
    public void unlock(String username) {
        accounts.remove(key(username));
    }

    private Duration lockoutLength(int inARow) {
        Duration length = policy.firstLockout();
        for (int i = 1; i < inARow && length.compareTo(policy.longestLockout()) < 0; i++) {
            length = length.multipliedBy(2);
        }
        return length.compareTo(policy.longestLockout()) > 0 ? policy.longestLockout() : length;
    }

    private static String key(String username) {
        return username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    }
}

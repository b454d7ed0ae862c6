package dev.switchboard.identity;

import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.UnauthorizedException;
import dev.switchboard.user.OneTimeCode;
import dev.switchboard.user.Principal;
import dev.switchboard.user.Role;
import dev.switchboard.user.User;
import dev.switchboard.user.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * First start: until setup is complete, a one-time setup token printed on the console lets whoever started the
 * server create the first administrator (the operator's API key works throughout, and can complete setup too).
 */
public final class Setup {

    static final String COMPLETED_SETTING = "setup.completedAt";
    private static final Duration TOKEN_LIFETIME = Duration.ofDays(7);
    private static final String PREFIX = "sbs_";

    /** Where onboarding stands. */
    public record State(boolean complete, boolean hasAdmin, Instant completedAt, boolean registrationOpen) {
    }

    private final UserStore users;
    private final Accounts accounts;
    private final AuditLog audit;
    private final Clock clock;

    public Setup(UserStore users, Accounts accounts, AuditLog audit, Clock clock) {
        this.users = users;
        this.accounts = accounts;
        this.audit = audit;
        this.clock = clock;
    }

    public State state() {
        Optional<Instant> completed = users.setting(COMPLETED_SETTING).map(Instant::parse);
        return new State(completed.isPresent(), accounts.hasAdmin(), completed.orElse(null),
                accounts.registrationOpen());
    }

    /**
     * A new setup token (earlier ones stop working) while setup is not complete; empty once it is. The caller
     * prints it on the console: only its hash is stored.
     */
    public Optional<String> newTokenIfPending() {
        if (state().complete()) {
            return Optional.empty();
        }
        users.deleteCodes(OneTimeCode.SETUP, null);
        Instant now = clock.instant();
        String token = Secrets.token(PREFIX);
        users.saveCode(new OneTimeCode(OneTimeCode.SETUP, Secrets.sha256(token), null, null, now,
                now.plus(TOKEN_LIFETIME)));
        return Optional.of(token);
    }

    /**
     * Completes setup, creating the first administrator when a username is given. Allowed with the setup token,
     * or for an administrator (the operator's key).
     *
     * @return the new administrator's session, or null when no administrator was created
     */
    public IssuedSession complete(Principal caller, String setupToken, String username, String password,
            String displayName, String ip, String userAgent) {
        if (state().complete()) {
            throw new ConflictException("Setup is already complete", Map.of("complete", true));
        }
        boolean admin = caller != null && caller.isAdmin();
        boolean creating = username != null || !admin;
        if (creating) {
            // checked before the token is used up, so that a typo does not cost the token
            Passwords.check(password, Accounts.checkUsername(username), "password");
        }
        if (!admin) {
            if (setupToken == null || setupToken.isBlank()) {
                throw new UnauthorizedException("Send the setupToken printed on the server's console");
            }
            if (users.redeemCode(OneTimeCode.SETUP, Secrets.sha256(setupToken.strip()), clock.instant()).isEmpty()) {
                audit.record(AuditEvent.of("auth.setup", null, "setup", null, "failure",
                        Map.of("reason", "bad setup token")).withIp(ip));
                throw new UnauthorizedException("The setup token is not valid (it works once, until it expires)");
            }
        }
        User created = null;
        if (creating) {
            created = accounts.create(username, password, displayName, Role.ADMIN);
        }
        users.putSetting(COMPLETED_SETTING, clock.instant().toString(), clock.instant());
        users.deleteCodes(OneTimeCode.SETUP, null);
        String actor = created != null ? created.id() : caller.userId();
        audit.record(AuditEvent.of("auth.setup", actor, "user", created == null ? null : created.id(), "success",
                Map.of()).withIp(ip));
        return created == null ? null : accounts.issueSession(created.id(), ip, userAgent);
    }
}

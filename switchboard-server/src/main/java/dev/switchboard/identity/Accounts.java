package dev.switchboard.identity;

import dev.switchboard.Ids;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.UnauthorizedException;
import dev.switchboard.user.AuthSession;
import dev.switchboard.user.Principal;
import dev.switchboard.user.Role;
import dev.switchboard.user.User;
import dev.switchboard.user.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Users and their sessions: registration, sign-in with password (and a second factor when enabled), refresh,
 * sign-out, password change, and the administrators' management of users. Every outcome is audited.
 */
public final class Accounts {

    /** The setting that opens registration at run time, over the configured default. */
    static final String REGISTRATION_SETTING = "auth.registration";
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,62}");
    private static final String REFRESH_PREFIX = "sbr_";

    /** The optional fields of an administrator's change to a user; null leaves a field as it is. */
    public record UserChange(String displayName, Role role, Boolean disabled, String password) {
    }

    private final UserStore users;
    private final Passwords passwords;
    private final AccessTokens accessTokens;
    private final TwoFactor twoFactor;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final boolean registrationOpenByDefault;
    private final Duration refreshLifetime;
    private final Clock clock;

    public Accounts(UserStore users, Passwords passwords, AccessTokens accessTokens, TwoFactor twoFactor,
            LoginThrottle throttle, AuditLog audit, boolean registrationOpenByDefault, Duration refreshLifetime,
            Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.accessTokens = accessTokens;
        this.twoFactor = twoFactor;
        this.throttle = throttle;
        this.audit = audit;
        this.registrationOpenByDefault = registrationOpenByDefault;
        this.refreshLifetime = refreshLifetime;
        this.clock = clock;
    }

    // ---- registration and sign-in

    public boolean registrationOpen() {
        return users.setting(REGISTRATION_SETTING).map("open"::equals).orElse(registrationOpenByDefault);
    }

    public void setRegistrationOpen(boolean open, Principal by) {
        users.putSetting(REGISTRATION_SETTING, open ? "open" : "closed", clock.instant());
        audit.record(AuditEvent.of("admin.settings.registration", by.userId(), "setting", REGISTRATION_SETTING,
                "success", Map.of("registration", open ? "open" : "closed")));
    }

    /** Registers a user when registration is open, and signs them in. */
    public IssuedSession register(String username, String password, String displayName, String ip,
            String userAgent) {
        if (!registrationOpen()) {
            audit.record(AuditEvent.of("auth.register", null, "user", null, "denied",
                    Map.of("reason", "registration closed")).withIp(ip));
            throw new ForbiddenException("Registration is closed: ask an administrator for an account",
                    Map.of("reason", "registration_closed"));
        }
        User user = create(username, password, displayName, Role.USER);
        audit.record(AuditEvent.of("auth.register", user.id(), "user", user.id(), "success",
                Map.of("username", user.username())).withIp(ip));
        return issueSession(user.id(), ip, userAgent);
    }

    /**
     * Signs in with a password and, when the user enabled it, a TOTP or backup code. Wrong names and wrong
     * passwords get the same answer in the same time; repeated failures lock the account for a while.
     */
    public IssuedSession login(String username, String password, String totpCode, String ip, String userAgent) {
        String name = username.strip().toLowerCase(Locale.ROOT);
        throttle.check(name, ip);
        Optional<User> found = users.findUserByName(name);
        boolean valid = passwords.verify(found.map(User::passwordHash).orElse(null), password);
        if (!valid || found.get().disabled()) {
            throttle.failed(name, ip);
            audit.record(AuditEvent.of("auth.login", found.map(User::id).orElse(null), "user",
                    found.map(User::id).orElse(null), "failure",
                    Map.of("username", name, "reason", valid ? "disabled" : "bad credentials")).withIp(ip));
            throw new UnauthorizedException("invalid_credentials", "The username or password is wrong", Map.of());
        }
        User user = found.get();
        if (user.totpEnabled()) {
            if (totpCode == null || totpCode.isBlank()) {
                throw new UnauthorizedException("totp_required",
                        "This account has two-factor authentication: send totpCode as well", Map.of());
            }
            if (!twoFactor.accept(user, totpCode)) {
                throttle.failed(name, ip);
                audit.record(AuditEvent.of("auth.login", user.id(), "user", user.id(), "failure",
                        Map.of("reason", "bad second factor")).withIp(ip));
                throw new UnauthorizedException("invalid_totp", "The two-factor code is wrong or was used already",
                        Map.of());
            }
        }
        throttle.succeeded(name, ip);
        users.updateUser(user.withLastLogin(clock.instant()));
        audit.record(AuditEvent.of("auth.login", user.id(), "user", user.id(), "success",
                Map.of("method", "password")).withIp(ip));
        return issueSession(user.id(), ip, userAgent);
    }

    /** Starts a session for a user who proved who they are (by password, passkey or setup token). */
    public IssuedSession issueSession(String userId, String ip, String userAgent) {
        User user = users.findUser(userId).orElseThrow(() -> new NotFoundException("user", userId));
        if (user.disabled()) {
            throw new UnauthorizedException("invalid_credentials", "This account is disabled", Map.of());
        }
        Instant now = clock.instant();
        String refresh = Secrets.token(REFRESH_PREFIX);
        AuthSession session = new AuthSession(Ids.next("ses"), userId, Secrets.sha256(refresh), null, now,
                now.plus(refreshLifetime), now, null, ip, truncate(userAgent, 300));
        users.createSession(session);
        return new IssuedSession(accessTokens.issue(userId, session.id()), refresh,
                accessTokens.lifetime().toSeconds(), user);
    }

    /**
     * Renews a session: the refresh token is replaced by a new one. A refresh token presented again after it was
     * replaced was copied by someone: the whole session is revoked.
     */
    public IssuedSession refresh(String refreshToken, String ip, String userAgent) {
        String hash = Secrets.sha256(refreshToken);
        Instant now = clock.instant();
        Optional<AuthSession> current = users.findSessionByRefreshHash(hash);
        if (current.isEmpty()) {
            users.findSessionByPreviousRefreshHash(hash).ifPresent(stolen -> {
                users.revokeSession(stolen.id(), now);
                audit.record(AuditEvent.of("auth.refresh", stolen.userId(), "session", stolen.id(), "denied",
                        Map.of("reason", "refresh token reused; session revoked")).withIp(ip));
            });
            throw new UnauthorizedException("The refresh token is not valid");
        }
        AuthSession session = current.get();
        User user = users.findUser(session.userId()).orElse(null);
        if (!session.activeAt(now) || user == null || user.disabled()) {
            throw new UnauthorizedException("The session has ended: sign in again");
        }
        String next = Secrets.token(REFRESH_PREFIX);
        if (!users.rotateRefresh(session.id(), hash, Secrets.sha256(next), now.plus(refreshLifetime), now)) {
            throw new UnauthorizedException("The refresh token is not valid");
        }
        return new IssuedSession(accessTokens.issue(user.id(), session.id()), next,
                accessTokens.lifetime().toSeconds(), user);
    }

    /** Ends the caller's session: its refresh token and every access token issued for it stop working at once. */
    public void logout(String userId, String sessionId, String ip) {
        if (sessionId != null) {
            users.revokeSession(sessionId, clock.instant());
        }
        audit.record(AuditEvent.of("auth.logout", userId, "session", sessionId, "success", Map.of()).withIp(ip));
    }

    /** Changes the password after checking the current one; every other session of the user ends. */
    public void changePassword(String userId, String sessionId, String current, String next, String ip) {
        User user = require(userId);
        if (!passwords.verify(user.passwordHash(), current)) {
            audit.record(AuditEvent.of("auth.password.change", userId, "user", userId, "failure",
                    Map.of("reason", "wrong current password")).withIp(ip));
            throw new InvalidInputException("currentPassword", "currentPassword is wrong");
        }
        Passwords.check(next, user.username(), "newPassword");
        Instant now = clock.instant();
        users.updateUser(user.withPasswordHash(passwords.hash(next), now));
        int revoked = users.revokeSessions(userId, sessionId, now);
        audit.record(AuditEvent.of("auth.password.change", userId, "user", userId, "success",
                Map.of("sessionsRevoked", Integer.toString(revoked))).withIp(ip));
    }

    /** The principal of a valid access token whose session and user are still active. */
    Optional<Principal> principalOf(AccessTokens.Claims claims) {
        Instant now = clock.instant();
        Optional<AuthSession> session = users.findSession(claims.sessionId());
        if (session.isEmpty() || !session.get().activeAt(now) || !session.get().userId().equals(claims.userId())) {
            return Optional.empty();
        }
        return users.findUser(claims.userId())
                .filter(u -> !u.disabled())
                .map(u -> new Principal(u.id(), u.role(), "session", Principal.ALL_SCOPES));
    }

    // ---- users

    public User require(String userId) {
        return users.findUser(userId).orElseThrow(() -> new NotFoundException("user", userId));
    }

    public List<User> list() {
        return users.listUsers();
    }

    public boolean hasAdmin() {
        return users.countAdmins() > 0;
    }

    /** An administrator creates a user. */
    public User create(String username, String password, String displayName, Role role, Principal by) {
        User user = create(username, password, displayName, role);
        audit.record(AuditEvent.of("admin.user.create", by.userId(), "user", user.id(), "success",
                Map.of("username", user.username(), "role", role.wireName())));
        return user;
    }

    User create(String username, String password, String displayName, Role role) {
        String name = checkUsername(username);
        Passwords.check(password, name, "password");
        if (displayName != null && displayName.length() > 100) {
            throw new InvalidInputException("displayName", "displayName must have at most 100 characters");
        }
        Instant now = clock.instant();
        User user = new User(Ids.next("usr"), name, displayName == null ? name : displayName.strip(), role, false,
                passwords.hash(password), null, false, 0, now, now, null);
        users.createUser(user);
        return user;
    }

    /** An administrator changes a user; disabling one ends their sessions. */
    public User update(String userId, UserChange change, Principal by) {
        User user = require(userId);
        boolean disabling = Boolean.TRUE.equals(change.disabled()) && !user.disabled();
        boolean demoting = change.role() == Role.USER && user.role() == Role.ADMIN;
        if (userId.equals(by.userId()) && (disabling || demoting)) {
            throw new ConflictException("Administrators cannot disable or demote themselves",
                    Map.of("field", disabling ? "disabled" : "role"));
        }
        if (change.displayName() != null && (change.displayName().isBlank() || change.displayName().length() > 100)) {
            throw new InvalidInputException("displayName", "displayName must have 1 to 100 characters");
        }
        Instant now = clock.instant();
        User updated = user.withProfile(change.displayName() == null ? user.displayName() : change.displayName(),
                change.role() == null ? user.role() : change.role(),
                change.disabled() == null ? user.disabled() : change.disabled(), now);
        if (change.password() != null) {
            Passwords.check(change.password(), user.username(), "password");
            updated = updated.withPasswordHash(passwords.hash(change.password()), now);
        }
        users.updateUser(updated);
        if (disabling || change.password() != null) {
            users.revokeSessions(userId, null, now);
        }
        audit.record(AuditEvent.of("admin.user.update", by.userId(), "user", userId, "success", Map.of(
                "fields", String.join(",", changedFields(change)))));
        return updated;
    }

    /** An administrator lifts a sign-in lockout of the user (after checking with them out of band). */
    public User unlock(String userId, Principal by) {
        User user = require(userId);
        throttle.unlock(user.username());
        audit.record(AuditEvent.of("admin.user.unlock", by.userId(), "user", userId, "success",
                Map.of("username", user.username())));
        return user;
    }

    private static List<String> changedFields(UserChange change) {
        return java.util.stream.Stream.of(
                        change.displayName() == null ? null : "displayName",
                        change.role() == null ? null : "role",
                        change.disabled() == null ? null : "disabled",
                        change.password() == null ? null : "password")
                .filter(java.util.Objects::nonNull)
                .toList();
    }

    static String checkUsername(String username) {
        if (username == null || username.isBlank()) {
            throw new InvalidInputException("username", "username is required");
        }
        String name = username.strip().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(name).matches() || name.equals("operator")) {
            throw new InvalidInputException("username", "username must be 2 to 63 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit, and not 'operator'");
        }
        return name;
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}

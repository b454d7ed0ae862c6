package dev.switchboard.identity;

import dev.switchboard.Ids;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.user.ApiToken;
import dev.switchboard.user.Principal;
import dev.switchboard.user.User;
import dev.switchboard.user.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Personal access tokens: long-lived credentials for scripts, limited to scopes, optionally expiring, revocable at
 * once. The token is shown when it is created and never again; the server keeps its SHA-256.
 */
public final class PersonalTokens {

    static final String PREFIX = "sbp_";
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    /** A new token and the only time its secret is seen. */
    public record Created(ApiToken token, String secret) {
    }

    private final UserStore users;
    private final AuditLog audit;
    private final Clock clock;

    public PersonalTokens(UserStore users, AuditLog audit, Clock clock) {
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Creates a token for the caller.
     *
     * @param scopes a subset of {@code read}, {@code write}, {@code admin} ({@code admin} only for administrators)
     * @param expiresInDays null for a token that works until revoked
     */
    public Created create(Principal owner, String name, Set<String> scopes, Integer expiresInDays) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInputException("name", "name must have 1 to 100 characters");
        }
        if (scopes.isEmpty() || !Principal.ALL_SCOPES.containsAll(scopes)) {
            throw new InvalidInputException("scopes", "scopes must be a non-empty subset of read, write, admin");
        }
        if (scopes.contains(Principal.ADMIN_SCOPE) && !owner.isAdmin()) {
            throw new ForbiddenException("Only administrators may create tokens with the admin scope",
                    Map.of("field", "scopes"));
        }
        if (!owner.scopes().containsAll(scopes)) {
            throw new ForbiddenException("A token cannot grant more than the credential that creates it",
                    Map.of("field", "scopes"));
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > 3650)) {
            throw new InvalidInputException("expiresInDays", "expiresInDays must be between 1 and 3650");
        }
        Instant now = clock.instant();
        String secret = Secrets.token(PREFIX);
        ApiToken token = new ApiToken(Ids.next("pat"), owner.userId(), name.strip(), Secrets.sha256(secret),
                secret.substring(0, PREFIX.length() + 6), scopes, now,
                expiresInDays == null ? null : now.plus(Duration.ofDays(expiresInDays)), null, null);
        users.createToken(token);
        audit.record(AuditEvent.of("auth.token.create", owner.userId(), "api-token", token.id(), "success",
                Map.of("name", token.name(), "scopes", String.join(" ", new java.util.TreeSet<>(scopes)))));
        return new Created(token, secret);
    }

    public List<ApiToken> list(String userId) {
        return users.listTokens(userId);
    }

    public void revoke(String userId, String tokenId) {
        if (!users.revokeToken(userId, tokenId, clock.instant())) {
            throw new NotFoundException("api token", tokenId);
        }
        audit.record(AuditEvent.of("auth.token.revoke", userId, "api-token", tokenId, "success", Map.of()));
    }

    static boolean looksLikeToken(String presented) {
        return presented.startsWith(PREFIX);
    }

    /** The principal of an active token of an active user. */
    Optional<Principal> authenticate(String presented) {
        Instant now = clock.instant();
        Optional<ApiToken> found = users.findTokenByHash(Secrets.sha256(presented)).filter(t -> t.activeAt(now));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ApiToken token = found.get();
        Optional<User> user;
        if (token.userId().equals(Principal.OPERATOR.userId())) {
            user = Optional.empty();
        } else {
            user = users.findUser(token.userId()).filter(u -> !u.disabled());
            if (user.isEmpty()) {
                return Optional.empty();
            }
        }
        if (token.lastUsedAt() == null || token.lastUsedAt().plus(TOUCH_EVERY).isBefore(now)) {
            users.touchToken(token.id(), now);
        }
        var role = user.map(User::role).orElse(Principal.OPERATOR.role());
        return Optional.of(new Principal(token.userId(), role, "token", token.scopes()));
    }
}

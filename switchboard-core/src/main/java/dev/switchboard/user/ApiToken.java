package dev.switchboard.user;

import java.time.Instant;
import java.util.Set;

/** A personal access token: only its hash is stored; the token itself is shown once, when it is created. */
public record ApiToken(
        String id,
        String userId,
        String name,
        String tokenHash,
        String prefix,
        Set<String> scopes,
        Instant createdAt,
        Instant expiresAt,
        Instant lastUsedAt,
        Instant revokedAt) {

    public ApiToken {
        scopes = Set.copyOf(scopes);
    }

    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}

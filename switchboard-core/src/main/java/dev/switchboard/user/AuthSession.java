package dev.switchboard.user;

import java.time.Instant;

/**
 * One signed-in device: the refresh token's hash (rotated on every refresh) and the access tokens issued for it,
 * which name its id and stop working when it is revoked.
 *
 * @param previousRefreshHash the hash before the last rotation: presenting it again means the token was stolen
 */
public record AuthSession(
        String id,
        String userId,
        String refreshHash,
        String previousRefreshHash,
        Instant createdAt,
        Instant expiresAt,
        Instant lastUsedAt,
        Instant revokedAt,
        String ip,
        String userAgent) {

    public boolean activeAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}

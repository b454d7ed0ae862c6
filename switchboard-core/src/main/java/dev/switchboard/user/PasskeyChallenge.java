package dev.switchboard.user;

import java.time.Instant;
import java.util.Objects;

/**
 * A random challenge handed out for one WebAuthn ceremony: it is good once, for that ceremony, until it expires.
 *
 * @param challenge the challenge, base64url without padding, as it comes back in the client data
 * @param userId for a registration the user who asked for it; for an authentication the user it was narrowed to
 *     by username, or null when any user's passkey may answer it
 */
public record PasskeyChallenge(String challenge, Ceremony ceremony, String userId, Instant createdAt,
        Instant expiresAt) {

    /** The two WebAuthn ceremonies; a challenge issued for one never passes the other. */
    public enum Ceremony {
        REGISTRATION,
        AUTHENTICATION
    }

    public PasskeyChallenge {
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(ceremony, "ceremony");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (ceremony == Ceremony.REGISTRATION && userId == null) {
            throw new IllegalArgumentException("a registration challenge belongs to a user");
        }
    }
}

package dev.switchboard.user;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A WebAuthn credential a user registered to sign in with: the public half of a key pair whose private half never
 * leaves the user's authenticator.
 *
 * @param id Switchboard's id of the passkey ({@code pk_...}), used to list and delete it
 * @param credentialId the authenticator's credential id, base64url without padding; unique across all users
 * @param credentialData the attested credential data (AAGUID, credential id and COSE public key) as the WebAuthn
 *     adapter serialized it; opaque to everyone else
 * @param signCount the authenticator's signature counter at the last verified use; 0 when it keeps none
 * @param uvInitialized whether the authenticator has verified the user (PIN, biometrics) with this credential
 * @param backupEligible whether the credential may be synced to other devices (fixed at registration)
 * @param backupState whether the credential was backed up (synced) at its last use
 * @param transports how the browser can reach the authenticator ({@code usb}, {@code internal}, ...), as hints
 * @param name the name the user gave it, to tell their passkeys apart
 * @param lastUsedAt null until the passkey is first used to sign in
 */
public record Passkey(
        String id,
        String userId,
        String credentialId,
        String credentialData,
        long signCount,
        boolean uvInitialized,
        boolean backupEligible,
        boolean backupState,
        List<String> transports,
        String name,
        Instant createdAt,
        Instant lastUsedAt) {

    public Passkey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(credentialData, "credentialData");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        transports = transports == null ? List.of() : List.copyOf(transports);
        if (signCount < 0) {
            throw new IllegalArgumentException("signCount must not be negative");
        }
    }
}

package dev.switchboard.user;

import java.time.Instant;

/**
 * A person who signs in. {@code passwordHash} and {@code totpSecret} (sealed) never leave the server.
 *
 * @param username unique, stored in lower case
 * @param totpSecret the sealed TOTP secret, set by setup and kept when enabled; null without one
 * @param totpLastStep the last 30-second step whose code was accepted, so no code is accepted twice
 */
public record User(
        String id,
        String username,
        String displayName,
        Role role,
        boolean disabled,
        String passwordHash,
        String totpSecret,
        boolean totpEnabled,
        long totpLastStep,
        Instant createdAt,
        Instant updatedAt,
        Instant lastLoginAt) {

    public User withPasswordHash(String hash, Instant at) {
        return new User(id, username, displayName, role, disabled, hash, totpSecret, totpEnabled, totpLastStep,
                createdAt, at, lastLoginAt);
    }

    public User withProfile(String newDisplayName, Role newRole, boolean newDisabled, Instant at) {
        return new User(id, username, newDisplayName, newRole, newDisabled, passwordHash, totpSecret, totpEnabled,
                totpLastStep, createdAt, at, lastLoginAt);
    }

    public User withTotp(String sealedSecret, boolean enabled, long lastStep, Instant at) {
        return new User(id, username, displayName, role, disabled, passwordHash, sealedSecret, enabled, lastStep,
                createdAt, at, lastLoginAt);
    }

    public User withLastLogin(Instant at) {
        return new User(id, username, displayName, role, disabled, passwordHash, totpSecret, totpEnabled,
                totpLastStep, createdAt, updatedAt, at);
    }
}

-- Passkeys (WebAuthn credentials), the random user handle all of a user's passkeys carry, and the challenges of
-- the ceremonies in flight. Challenges live here rather than in memory so that any node can finish a ceremony
-- another node began, and a challenge is used at most once across all of them.

CREATE TABLE passkey_user_handles (
    user_id            TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    user_handle        TEXT NOT NULL UNIQUE,
    created_at         BIGINT NOT NULL
);

CREATE TABLE passkeys (
    id                 TEXT PRIMARY KEY,
    user_id            TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id      TEXT NOT NULL UNIQUE,
    -- attested credential data (AAGUID, credential id, COSE public key), base64url: public, never a secret
    credential_data    TEXT NOT NULL,
    sign_count         BIGINT NOT NULL,
    uv_initialized     BOOLEAN NOT NULL,
    backup_eligible    BOOLEAN NOT NULL,
    backup_state       BOOLEAN NOT NULL,
    transports         TEXT NOT NULL,
    name               TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    last_used_at       BIGINT
);
CREATE INDEX passkeys_user ON passkeys (user_id, created_at);

CREATE TABLE passkey_challenges (
    challenge          TEXT PRIMARY KEY,
    ceremony           TEXT NOT NULL,
    user_id            TEXT REFERENCES users (id) ON DELETE CASCADE,
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT NOT NULL
);
CREATE INDEX passkey_challenges_expiry ON passkey_challenges (expires_at);

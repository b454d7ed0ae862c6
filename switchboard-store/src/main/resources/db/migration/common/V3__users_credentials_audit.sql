-- Users and every credential they hold. Secrets are stored only as hashes (passwords: argon2id; tokens and
-- codes: SHA-256 of 256-bit or otherwise high-entropy values) or sealed (the TOTP secret).

CREATE TABLE users (
    id                 TEXT PRIMARY KEY,
    username           TEXT NOT NULL UNIQUE,
    display_name       TEXT,
    role               TEXT NOT NULL,
    disabled           BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash      TEXT,
    totp_secret        TEXT,
    totp_enabled       BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step     BIGINT NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    last_login_at      BIGINT
);

CREATE TABLE auth_sessions (
    id                 TEXT PRIMARY KEY,
    user_id            TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    refresh_hash       TEXT NOT NULL UNIQUE,
    previous_hash      TEXT,
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT NOT NULL,
    last_used_at       BIGINT NOT NULL,
    revoked_at         BIGINT,
    ip                 TEXT,
    user_agent         TEXT
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
CREATE INDEX auth_sessions_previous ON auth_sessions (previous_hash);

CREATE TABLE api_tokens (
    id                 TEXT PRIMARY KEY,
    user_id            TEXT NOT NULL,
    name               TEXT NOT NULL,
    token_hash         TEXT NOT NULL UNIQUE,
    prefix             TEXT NOT NULL,
    scopes             TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT,
    last_used_at       BIGINT,
    revoked_at         BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);

CREATE TABLE one_time_codes (
    kind               TEXT NOT NULL,
    code_hash          TEXT NOT NULL,
    user_id            TEXT,
    payload            TEXT,
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT NOT NULL,
    used_at            BIGINT,
    PRIMARY KEY (kind, code_hash)
);
CREATE INDEX one_time_codes_user ON one_time_codes (kind, user_id);

CREATE TABLE channel_links (
    channel            TEXT NOT NULL,
    external_id        TEXT NOT NULL,
    user_id            TEXT NOT NULL,
    linked_at          BIGINT NOT NULL,
    PRIMARY KEY (channel, external_id)
);
CREATE INDEX channel_links_user ON channel_links (user_id);

CREATE TABLE settings (
    name               TEXT PRIMARY KEY,
    value              TEXT NOT NULL,
    updated_at         BIGINT NOT NULL
);

CREATE TABLE audit_events (
    id                 TEXT PRIMARY KEY,
    at                 BIGINT NOT NULL,
    type               TEXT NOT NULL,
    actor_id           TEXT,
    ip                 TEXT,
    target_type        TEXT,
    target_id          TEXT,
    outcome            TEXT NOT NULL,
    details            TEXT
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_actor ON audit_events (actor_id, at);

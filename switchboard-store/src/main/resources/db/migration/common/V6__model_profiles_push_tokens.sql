-- Provider/model profiles the default agent can be switched to (server-wide; which one is current lives in the
-- settings table), and users' push notification tokens with their badge counts.

CREATE TABLE model_profiles (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    provider           TEXT NOT NULL,
    model              TEXT NOT NULL,
    base_url           TEXT,
    -- null or a reference ($VAULT:name, $ENV_VAR), never a key: the import refuses literal keys
    api_key_ref        TEXT,
    temperature        DOUBLE PRECISION,
    max_tokens         INTEGER,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);

CREATE TABLE push_tokens (
    id                 TEXT PRIMARY KEY,
    -- no foreign key: the operator (the API key's user) has no users row
    owner_id           TEXT NOT NULL,
    -- one row per device: a token registered again moves to whoever registered it last
    token              TEXT NOT NULL UNIQUE,
    platform           TEXT NOT NULL,
    device_name        TEXT,
    registered_at      BIGINT NOT NULL
);
CREATE INDEX push_tokens_owner ON push_tokens (owner_id, registered_at);

CREATE TABLE push_badges (
    owner_id           TEXT PRIMARY KEY,
    badge              INTEGER NOT NULL,
    updated_at         BIGINT NOT NULL
);

-- The vault. Values are sealed with AES-256-GCM under their owner's data key; a data key is stored only wrapped
-- (sealed) by the master key, which never enters the database. Sealed texts are base64 of nonce || ciphertext || tag.

-- One row: a known text sealed under the master key, so a start with another key fails before writing anything.
CREATE TABLE vault_master (
    id                 INTEGER PRIMARY KEY,
    key_check          TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    rotated_at         BIGINT
);

CREATE TABLE vault_data_keys (
    owner_id           TEXT PRIMARY KEY,
    wrapped_key        TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    rewrapped_at       BIGINT
);

CREATE TABLE vault_entries (
    id                 TEXT PRIMARY KEY,
    owner_id           TEXT NOT NULL,
    name               TEXT NOT NULL,
    description        TEXT,
    -- the value masked for display (first 5 and last 4 characters of values of 16 or more), never more
    hint               TEXT NOT NULL,
    -- JSON arrays of strings; empty means any
    allowed_agents     TEXT NOT NULL,
    allowed_tools      TEXT NOT NULL,
    expires_at         BIGINT,
    version            INTEGER NOT NULL,
    sealed_value       TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    rotated_at         BIGINT,
    UNIQUE (owner_id, name)
);

-- Webhooks (seed 004) with a durable outbox of deliveries and a log of every attempt; hooks (seed 002) with their
-- execution log; users' notifications. No foreign keys to users: the operator (the API key's user) has no users row.

CREATE TABLE webhooks (
    id                 TEXT PRIMARY KEY,
    owner_id           TEXT NOT NULL,
    url                TEXT NOT NULL,
    description        TEXT,
    -- JSON list of event names; empty for the default set
    events             TEXT NOT NULL,
    -- AES-256-GCM under a key derived from the vault's master key, bound to the webhook id; null when unsigned
    secret_sealed      TEXT,
    created_at         BIGINT NOT NULL
);
CREATE INDEX webhooks_owner ON webhooks (owner_id, created_at);

CREATE TABLE webhook_deliveries (
    id                 TEXT PRIMARY KEY,
    webhook_id         TEXT NOT NULL,
    owner_id           TEXT NOT NULL,
    event              TEXT NOT NULL,
    body               TEXT NOT NULL,
    -- pending | delivered | failed
    status             TEXT NOT NULL,
    attempts           INTEGER NOT NULL,
    -- when pending: the next attempt is due, or an attempt in progress holds it until then
    next_attempt_at    BIGINT NOT NULL,
    last_status_code   INTEGER,
    last_error         TEXT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at);

CREATE TABLE webhook_attempts (
    delivery_id        TEXT NOT NULL,
    attempt            INTEGER NOT NULL,
    status_code        INTEGER,
    error              TEXT,
    duration_ms        BIGINT NOT NULL,
    attempted_at       BIGINT NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);

CREATE TABLE hooks (
    id                 TEXT PRIMARY KEY,
    owner_id           TEXT NOT NULL,
    name               TEXT NOT NULL,
    description        TEXT,
    trigger_type       TEXT NOT NULL,
    agent_id           TEXT,
    cron               TEXT,
    -- JSON lists
    conditions         TEXT NOT NULL,
    actions            TEXT NOT NULL,
    priority           INTEGER NOT NULL,
    cooldown_ms        BIGINT NOT NULL,
    max_executions     INTEGER,
    enabled            INTEGER NOT NULL,
    -- SHA-256 (hex) of an incoming hook's secret
    secret_hash        TEXT,
    execution_count    INTEGER NOT NULL,
    last_executed_at   BIGINT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX hooks_owner ON hooks (owner_id, priority);
CREATE INDEX hooks_trigger ON hooks (trigger_type, enabled);

CREATE TABLE hook_executions (
    id                 TEXT PRIMARY KEY,
    hook_id            TEXT NOT NULL,
    owner_id           TEXT NOT NULL,
    trigger_type       TEXT NOT NULL,
    payload            TEXT NOT NULL,
    status             TEXT NOT NULL,
    results            TEXT NOT NULL,
    duration_ms        BIGINT NOT NULL,
    executed_at        BIGINT NOT NULL
);
CREATE INDEX hook_executions_hook ON hook_executions (hook_id, executed_at);

CREATE TABLE notifications (
    id                 TEXT PRIMARY KEY,
    owner_id           TEXT NOT NULL,
    type               TEXT NOT NULL,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    -- JSON object of strings
    data               TEXT NOT NULL,
    is_read            INTEGER NOT NULL,
    created_at         BIGINT NOT NULL
);
CREATE INDEX notifications_owner ON notifications (owner_id, created_at);

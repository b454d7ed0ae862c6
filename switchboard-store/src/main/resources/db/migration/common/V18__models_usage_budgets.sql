-- Issue 9: model switches, custom models, the model registry and topic routes; the usage ledger and budgets.
-- Shared by SQLite and PostgreSQL. Times are epoch milliseconds. API keys are references ($VAULT:, $ENV), never keys.

CREATE TABLE model_choices (
    scope              TEXT NOT NULL,
    subject_id         TEXT NOT NULL,
    provider           TEXT,
    model              TEXT NOT NULL,
    base_url           TEXT,
    api_key_ref        TEXT,
    max_iterations     INTEGER,
    max_input_tokens   INTEGER,
    max_output_tokens  INTEGER,
    temperature        DOUBLE PRECISION,
    reasoning_effort   TEXT,
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (scope, subject_id)
);

CREATE TABLE custom_models (
    name               TEXT PRIMARY KEY,
    provider           TEXT NOT NULL,
    base_url           TEXT,
    display_name       TEXT,
    max_input_tokens   INTEGER,
    max_output_tokens  INTEGER,
    api_key_ref        TEXT,
    file_path          TEXT,
    reasoning_effort   TEXT,
    created_at         BIGINT NOT NULL
);

CREATE TABLE registered_models (
    name               TEXT PRIMARY KEY,
    provider           TEXT NOT NULL,
    model              TEXT NOT NULL,
    base_url           TEXT,
    api_key_ref        TEXT,
    max_output_tokens  INTEGER,
    temperature        DOUBLE PRECISION,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);

CREATE TABLE model_routes (
    topic              TEXT PRIMARY KEY,
    primary_model      TEXT,
    backup_model       TEXT,
    updated_at         BIGINT NOT NULL
);

-- one row per model call; no foreign key to sessions, so deleting a conversation keeps what it cost
CREATE TABLE llm_usage (
    id                 TEXT PRIMARY KEY,
    owner_id           TEXT NOT NULL,
    agent_id           TEXT NOT NULL,
    session_id         TEXT NOT NULL,
    run_id             TEXT,
    provider           TEXT,
    model              TEXT,
    day                TEXT NOT NULL,
    input_tokens       BIGINT NOT NULL,
    output_tokens      BIGINT NOT NULL,
    reasoning_tokens   BIGINT NOT NULL,
    cached_tokens      BIGINT NOT NULL,
    cost               DOUBLE PRECISION,
    at                 BIGINT NOT NULL
);
CREATE INDEX llm_usage_owner_at ON llm_usage (owner_id, at);
CREATE INDEX llm_usage_agent_at ON llm_usage (agent_id, at);
CREATE INDEX llm_usage_session ON llm_usage (session_id);

CREATE TABLE budgets (
    scope              TEXT NOT NULL,
    subject_id         TEXT NOT NULL,
    limit_usd          DOUBLE PRECISION NOT NULL,
    period             TEXT NOT NULL,
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (scope, subject_id)
);

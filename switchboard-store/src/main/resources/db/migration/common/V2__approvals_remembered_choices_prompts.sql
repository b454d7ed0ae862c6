-- Approvals are kept after they are resolved: the answer, who gave it and with which Idempotency-Key.

CREATE TABLE approvals (
    id                 TEXT PRIMARY KEY,
    owner_id           TEXT NOT NULL,
    -- null for questions asked outside a conversation
    session_id         TEXT REFERENCES sessions (id) ON DELETE CASCADE,
    run_id             TEXT,
    agent_id           TEXT,
    type               TEXT NOT NULL,
    tool_name          TEXT,
    call_id            TEXT,
    args               TEXT,
    message            TEXT,
    metadata           TEXT,
    timeout_ms         BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    status             TEXT NOT NULL,
    form_data          TEXT,
    reason             TEXT,
    remember_choice    BOOLEAN NOT NULL DEFAULT FALSE,
    idempotency_key    TEXT,
    resolved_at        BIGINT
);
CREATE INDEX approvals_owner_session ON approvals (owner_id, session_id, created_at);
CREATE INDEX approvals_session_call ON approvals (session_id, call_id);
CREATE INDEX approvals_pending ON approvals (status) WHERE status = 'pending';

CREATE TABLE remembered_choices (
    owner_id           TEXT NOT NULL,
    agent_id           TEXT NOT NULL,
    tool_name          TEXT NOT NULL,
    status             TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    PRIMARY KEY (owner_id, agent_id, tool_name)
);

CREATE TABLE custom_prompts (
    owner_id           TEXT NOT NULL,
    name               TEXT NOT NULL,
    title              TEXT,
    description        TEXT,
    content            TEXT NOT NULL,
    arguments          TEXT,
    resource_blob_id   TEXT,
    resource_mime_type TEXT,
    resource_filename  TEXT,
    resource_size      BIGINT,
    created_at         BIGINT NOT NULL,
    PRIMARY KEY (owner_id, name)
);

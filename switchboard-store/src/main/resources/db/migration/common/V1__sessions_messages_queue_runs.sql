-- Shared by SQLite and PostgreSQL: only types and syntax both accept. Times are epoch milliseconds.

CREATE TABLE sessions (
    id                 TEXT PRIMARY KEY,
    owner_id           TEXT NOT NULL,
    agent_id           TEXT NOT NULL,
    title              TEXT,
    created_at         BIGINT NOT NULL,
    last_activity      BIGINT NOT NULL,
    message_count      INTEGER NOT NULL DEFAULT 0,
    input_tokens       BIGINT NOT NULL DEFAULT 0,
    output_tokens      BIGINT NOT NULL DEFAULT 0,
    reasoning_tokens   BIGINT NOT NULL DEFAULT 0,
    cached_tokens      BIGINT NOT NULL DEFAULT 0,
    estimated_cost     DOUBLE PRECISION NOT NULL DEFAULT 0,
    -- counters that only grow: event seq blocks handed out, and the last message / queue position used
    seq_reserved       BIGINT NOT NULL DEFAULT 0,
    message_positions  BIGINT NOT NULL DEFAULT 0,
    queue_positions    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sessions_owner_activity ON sessions (owner_id, last_activity);

CREATE TABLE messages (
    id                 TEXT PRIMARY KEY,
    session_id         TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    owner_id           TEXT NOT NULL,
    run_id             TEXT,
    position           BIGINT NOT NULL,
    role               TEXT NOT NULL,
    content            TEXT NOT NULL,
    reasoning          TEXT,
    tool_calls         TEXT,
    tool_call_id       TEXT,
    tool_name          TEXT,
    success            BOOLEAN,
    input_tokens       BIGINT,
    output_tokens      BIGINT,
    reasoning_tokens   BIGINT,
    cached_tokens      BIGINT,
    provider           TEXT,
    model              TEXT,
    estimated_cost     DOUBLE PRECISION,
    created_at         BIGINT NOT NULL
);
CREATE UNIQUE INDEX messages_session_position ON messages (session_id, position);
CREATE INDEX messages_owner ON messages (owner_id);

CREATE TABLE queued_messages (
    id                 TEXT PRIMARY KEY,
    session_id         TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    owner_id           TEXT NOT NULL,
    position           BIGINT NOT NULL,
    content            TEXT NOT NULL,
    kind               TEXT NOT NULL,
    queued_at          BIGINT NOT NULL,
    metadata           TEXT
);
CREATE UNIQUE INDEX queued_messages_session_position ON queued_messages (session_id, position);
CREATE INDEX queued_messages_owner ON queued_messages (owner_id);

CREATE TABLE runs (
    id                 TEXT PRIMARY KEY,
    session_id         TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    owner_id           TEXT NOT NULL,
    message_id         TEXT,
    -- the position of the run's user message, so runs sort in the order they started
    position           BIGINT NOT NULL,
    status             TEXT NOT NULL,
    finish_reason      TEXT,
    steps              INTEGER NOT NULL DEFAULT 0,
    input_tokens       BIGINT,
    output_tokens      BIGINT,
    reasoning_tokens   BIGINT,
    cached_tokens      BIGINT,
    estimated_cost     DOUBLE PRECISION,
    error              TEXT,
    started_at         BIGINT NOT NULL,
    ended_at           BIGINT
);
CREATE INDEX runs_session_position ON runs (session_id, position);
CREATE INDEX runs_owner ON runs (owner_id);
CREATE INDEX runs_running ON runs (status) WHERE status = 'running';

-- Agents working together (issue 8): the bus of agent-to-agent messages, the tasks agents hand each other, and
-- each agent's event log behind its in-memory ring. Only the bus's numbering differs between SQLite and PostgreSQL.

CREATE TABLE bus_messages (
    seq                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    -- no foreign key: the operator (the API key's user) has no users row
    owner_id           TEXT NOT NULL,
    from_agent         TEXT NOT NULL,
    to_agent           TEXT NOT NULL,
    kind               TEXT NOT NULL,
    content            TEXT NOT NULL,
    task_id            TEXT,
    session_id         TEXT,
    created_at         BIGINT NOT NULL
);
CREATE INDEX bus_messages_owner ON bus_messages (owner_id, seq);

CREATE TABLE subagent_tasks (
    id                 TEXT PRIMARY KEY,
    owner_id           TEXT NOT NULL,
    kind               TEXT NOT NULL,
    parent_agent_id    TEXT NOT NULL,
    parent_session_id  TEXT,
    parent_run_id      TEXT,
    agent_id           TEXT NOT NULL,
    -- no foreign key: the task's record outlives its session
    session_id         TEXT NOT NULL,
    prompt             TEXT NOT NULL,
    depth              INTEGER NOT NULL,
    status             TEXT NOT NULL,
    result             TEXT,
    error              TEXT,
    estimated_cost     DOUBLE PRECISION,
    created_at         BIGINT NOT NULL,
    finished_at        BIGINT
);
CREATE INDEX subagent_tasks_owner ON subagent_tasks (owner_id, created_at);

CREATE TABLE agent_events (
    agent_id           TEXT NOT NULL,
    seq                BIGINT NOT NULL,
    owner_id           TEXT NOT NULL,
    session_id         TEXT NOT NULL,
    run_id             TEXT,
    name               TEXT NOT NULL,
    data               TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    PRIMARY KEY (agent_id, seq)
);
CREATE INDEX agent_events_owner ON agent_events (agent_id, owner_id, seq);

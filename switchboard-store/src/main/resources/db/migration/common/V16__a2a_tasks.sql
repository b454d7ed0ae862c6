-- A2A tasks (issue 8): each is one message from a remote agent, answered by an ordinary run in the session its
-- context names; and the URLs their clients asked to be notified at.

CREATE TABLE a2a_tasks (
    id                 TEXT PRIMARY KEY,
    -- no foreign key: the operator (the API key's user) has no users row
    owner_id           TEXT NOT NULL,
    -- the session; no foreign key, so a task outlives a deleted conversation
    context_id         TEXT NOT NULL,
    agent_id           TEXT NOT NULL,
    -- the queued user message whose run answers the task
    message_id         TEXT NOT NULL,
    client_message_id  TEXT,
    state              TEXT NOT NULL,
    request            TEXT NOT NULL,
    answer             TEXT,
    error              TEXT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX a2a_tasks_owner ON a2a_tasks (owner_id, created_at);
CREATE INDEX a2a_tasks_context ON a2a_tasks (owner_id, context_id, created_at);

CREATE TABLE a2a_push_targets (
    id                 TEXT NOT NULL,
    task_id            TEXT NOT NULL REFERENCES a2a_tasks (id) ON DELETE CASCADE,
    owner_id           TEXT NOT NULL,
    url                TEXT NOT NULL,
    -- the client's token and credentials are sealed by the server (AES-GCM), never stored in clear
    sealed_token       TEXT,
    auth_scheme        TEXT,
    sealed_credentials TEXT,
    protocol_version   TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    PRIMARY KEY (task_id, id)
);

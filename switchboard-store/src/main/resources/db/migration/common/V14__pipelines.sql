-- Pipelines (issue 7): templates of steps, their runs, and the checkpoints each run stores at its step boundaries.
-- Steps, inputs and states are JSON text: they are read and written whole, never queried inside.

CREATE TABLE pipeline_templates (
    id           TEXT PRIMARY KEY,
    -- no foreign key: the operator (the API key's user) has no users row
    owner_id     TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT,
    steps        TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX pipeline_templates_owner ON pipeline_templates (owner_id, name);

CREATE TABLE pipeline_runs (
    id           TEXT PRIMARY KEY,
    owner_id     TEXT NOT NULL,
    -- no foreign key: a run keeps its own copy of the steps and outlives its template
    template_id  TEXT NOT NULL,
    name         TEXT NOT NULL,
    steps        TEXT NOT NULL,
    inputs       TEXT NOT NULL,
    status       TEXT NOT NULL,
    state        TEXT NOT NULL,
    error        TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX pipeline_runs_owner ON pipeline_runs (owner_id, created_at);
CREATE INDEX pipeline_runs_status ON pipeline_runs (status);

CREATE TABLE pipeline_checkpoints (
    id           TEXT PRIMARY KEY,
    run_id       TEXT NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    label        TEXT NOT NULL,
    state        TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    UNIQUE (run_id, seq)
);

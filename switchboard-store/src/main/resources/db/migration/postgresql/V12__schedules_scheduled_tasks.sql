-- Schedules (loops, scheduled tasks) and db-scheduler's own table of planned executions, where every node of a
-- cluster takes each due execution at most once. The same tables as sqlite/V12; only scheduled_tasks' types differ.

CREATE TABLE schedules (
    id                 TEXT PRIMARY KEY,
    -- no foreign key: the operator (the API key's user) has no users row
    owner_id           TEXT NOT NULL,
    agent_id           TEXT NOT NULL,
    name               TEXT NOT NULL,
    prompt             TEXT NOT NULL,
    -- cron | interval | daily | weekly, with the columns of that kind set
    kind               TEXT NOT NULL,
    cron               TEXT,
    interval_minutes   INTEGER,
    -- comma-separated HH:mm, and comma-separated MONDAY..SUNDAY
    times              TEXT,
    days               TEXT,
    zone               TEXT NOT NULL,
    enabled            INTEGER NOT NULL,
    run_on_startup     INTEGER NOT NULL,
    same_session       INTEGER NOT NULL,
    max_iterations     INTEGER,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    -- the run record, written by the node that ran the schedule; the definition above by users
    last_run_at        BIGINT,
    next_run_at        BIGINT,
    last_status        TEXT,
    last_session_id    TEXT,
    last_run_id        TEXT,
    last_text          TEXT,
    last_error         TEXT,
    last_skipped       INTEGER,
    run_count          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX schedules_owner ON schedules (owner_id, agent_id, created_at);
CREATE INDEX schedules_enabled ON schedules (enabled);

-- db-scheduler's table, as its PostgreSQL reference schema declares it
CREATE TABLE scheduled_tasks (
    task_name            TEXT NOT NULL,
    task_instance        TEXT NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time ON scheduled_tasks (priority DESC, execution_time ASC);

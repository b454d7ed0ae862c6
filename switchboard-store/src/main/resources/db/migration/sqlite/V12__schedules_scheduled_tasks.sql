-- Schedules (loops, scheduled tasks) and db-scheduler's own table of planned executions. The same tables as
-- postgresql/V12; only scheduled_tasks' types differ.

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

-- db-scheduler's table, as its SQLite reference schema declares it
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100) NOT NULL,
    task_instance        VARCHAR(100) NOT NULL,
    task_data            BLOB,
    execution_time       TIMESTAMP NOT NULL,
    picked               BIT NOT NULL,
    picked_by            VARCHAR(50),
    last_success         TIMESTAMP,
    last_failure         TIMESTAMP,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP,
    version              BIGINT NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time ON scheduled_tasks (priority DESC, execution_time ASC);

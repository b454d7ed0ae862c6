-- Compaction summaries kept beside their sessions (the messages they summarize stay stored unchanged), and the
-- learned user profile: facts per owner and how far each session has been learned from.

CREATE TABLE context_summaries (
    id                  TEXT PRIMARY KEY,
    session_id          TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    owner_id            TEXT NOT NULL,
    -- the last stored message the summary covers; later requests send the summary instead of it and what precedes
    through_message_id  TEXT NOT NULL,
    summary             TEXT NOT NULL,
    summarized_messages INTEGER NOT NULL,
    tokens_before       INTEGER NOT NULL,
    created_at          BIGINT NOT NULL
);
CREATE INDEX context_summaries_session ON context_summaries (session_id, created_at);

CREATE TABLE user_facts (
    id                  TEXT PRIMARY KEY,
    -- no foreign key: the operator (the API key's user) has no users row
    owner_id            TEXT NOT NULL,
    fact                TEXT NOT NULL,
    confidence          DOUBLE PRECISION NOT NULL,
    -- a later conversation said otherwise: kept and shown, no longer given to agents
    contradicted        BOOLEAN NOT NULL DEFAULT FALSE,
    -- no foreign key: a fact outlives the conversation it was learned from
    source_session_id   TEXT,
    confirmations       INTEGER NOT NULL DEFAULT 0,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX user_facts_owner ON user_facts (owner_id, created_at);

CREATE TABLE user_profile_progress (
    session_id          TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    owner_id            TEXT NOT NULL,
    through_message_id  TEXT NOT NULL,
    learned_at          BIGINT NOT NULL
);

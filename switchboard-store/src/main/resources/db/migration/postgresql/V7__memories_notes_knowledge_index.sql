-- Memories, knowledge notes and the retrieval index both share (PostgreSQL: a generated tsvector with a GIN index).
-- The same tables as sqlite/V7; only the full-text part differs. Vectors are scanned in Java: pgvector is not
-- required (see docs/api.md).

CREATE TABLE memories (
    id                 TEXT PRIMARY KEY,
    -- no foreign key: the operator (the API key's user) has no users row
    owner_id           TEXT NOT NULL,
    -- null: shared by every agent of the owner
    agent_id           TEXT,
    content            TEXT NOT NULL,
    -- JSON array, as returned; memory_tags below is what filters read
    tags               TEXT NOT NULL,
    source             TEXT NOT NULL,
    pinned             INTEGER NOT NULL,
    category           TEXT,
    importance         DOUBLE PRECISION NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX memories_owner ON memories (owner_id, created_at);

CREATE TABLE memory_tags (
    memory_id          TEXT NOT NULL REFERENCES memories (id) ON DELETE CASCADE,
    tag                TEXT NOT NULL,
    PRIMARY KEY (memory_id, tag)
);
CREATE INDEX memory_tags_tag ON memory_tags (tag);

CREATE TABLE notes (
    id                 TEXT PRIMARY KEY,
    owner_id           TEXT NOT NULL,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    summary            TEXT,
    tags               TEXT NOT NULL,
    context            TEXT NOT NULL,
    refs               TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX notes_owner ON notes (owner_id, created_at);

CREATE TABLE knowledge_index (
    kind               TEXT NOT NULL,
    id                 TEXT NOT NULL,
    owner_id           TEXT NOT NULL,
    body               TEXT NOT NULL,
    body_tsv           TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', body)) STORED,
    updated_at         BIGINT NOT NULL,
    vector             BYTEA,
    vector_model       TEXT,
    embedded_at        BIGINT,
    PRIMARY KEY (kind, id)
);
CREATE INDEX knowledge_index_owner ON knowledge_index (kind, owner_id, vector_model, embedded_at);
CREATE INDEX knowledge_index_pending ON knowledge_index (updated_at) WHERE vector IS NULL;
CREATE INDEX knowledge_index_text ON knowledge_index USING GIN (body_tsv);

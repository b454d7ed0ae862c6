-- The same skill_permissions table as sqlite/V11, and an index for PostgreSQL's conversation search.

-- Seed 002's skill permission overrides: server-wide, set by administrators, one per skill and action (a tool the
-- skill declares, or '*' for all of them). No foreign key to skills: skills live in files, and an override of a
-- skill removed and later re-created applies again.

CREATE TABLE skill_permissions (
    skill_id           TEXT NOT NULL,
    action             TEXT NOT NULL,
    level              TEXT NOT NULL,
    updated_by         TEXT NOT NULL,
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (skill_id, action)
);

-- Conversation search pages newest first: with this index PostgreSQL walks an owner's messages backwards and stops
-- once the page is full, instead of fetching and sorting every message holding a common word (the search counts
-- its total separately, capped). SQLite searches through its FTS table, which this does not concern.
CREATE INDEX messages_owner_created ON messages (owner_id, created_at);

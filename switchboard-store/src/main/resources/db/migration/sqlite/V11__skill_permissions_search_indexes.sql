-- The same skill_permissions table as postgresql/V11; only PostgreSQL's version adds a search index.

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

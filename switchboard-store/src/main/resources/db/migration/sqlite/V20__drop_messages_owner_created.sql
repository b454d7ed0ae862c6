-- PostgreSQL's V20 drops an index SQLite never had (its conversation search runs on the FTS5 table); the version
-- stays in step on both databases.
SELECT 1;

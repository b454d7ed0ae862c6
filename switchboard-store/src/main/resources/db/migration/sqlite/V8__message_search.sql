-- Conversation search on SQLite: an FTS5 index over the plain text of every message.
--
-- The text lives in message_search, one row per message, filled by triggers on messages: a message's text is its
-- text parts joined by newlines (as Content.plainText does), the first 100,000 characters of it (PostgreSQL's
-- tsvector has a size limit; both databases index the same). message_search has an INTEGER PRIMARY KEY, so the
-- FTS index's rowids stay right through VACUUM, which may renumber the implicit rowids of messages itself.
-- Owner, session, role, time and position are copied so that filtering and ordering matches need no join.

CREATE TABLE message_search (
    id          INTEGER PRIMARY KEY,
    message_id  TEXT NOT NULL UNIQUE,
    owner_id    TEXT NOT NULL,
    session_id  TEXT NOT NULL,
    role        TEXT NOT NULL,
    position    BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX message_search_session ON message_search (session_id, position);

-- unicode61 without diacritic folding: words match case-insensitively, as on PostgreSQL's 'simple' configuration
CREATE VIRTUAL TABLE message_search_fts USING fts5(
    body, content = 'message_search', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 0');

CREATE TRIGGER message_search_indexed AFTER INSERT ON message_search BEGIN
    INSERT INTO message_search_fts (rowid, body) VALUES (new.id, new.body);
END;

CREATE TRIGGER message_search_unindexed AFTER DELETE ON message_search BEGIN
    INSERT INTO message_search_fts (message_search_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;

-- messages are only ever inserted and deleted (deleting a session or clearing its history cascades here too)
CREATE TRIGGER messages_searchable AFTER INSERT ON messages BEGIN
    INSERT INTO message_search (message_id, owner_id, session_id, role, position, created_at, body)
    VALUES (new.id, new.owner_id, new.session_id, new.role, new.position, new.created_at,
        (SELECT substr(coalesce(group_concat(json_extract(part.value, '$.text'), char(10)), ''), 1, 100000)
         FROM json_each(new.content) AS part
         WHERE json_extract(part.value, '$.type') = 'text'));
END;

CREATE TRIGGER messages_unsearchable AFTER DELETE ON messages BEGIN
    DELETE FROM message_search WHERE message_id = old.id;
END;

-- the messages stored before this migration
INSERT INTO message_search (message_id, owner_id, session_id, role, position, created_at, body)
SELECT m.id, m.owner_id, m.session_id, m.role, m.position, m.created_at,
    (SELECT substr(coalesce(group_concat(json_extract(part.value, '$.text'), char(10)), ''), 1, 100000)
     FROM json_each(m.content) AS part
     WHERE json_extract(part.value, '$.type') = 'text')
FROM messages m
ORDER BY m.created_at, m.session_id, m.position;

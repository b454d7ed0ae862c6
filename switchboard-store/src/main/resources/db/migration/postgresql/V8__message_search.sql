-- Conversation search on PostgreSQL: a stored tsvector of every message's plain text, with a GIN index.
--
-- A message's text is its text parts joined by newlines (as Content.plainText does), the first 100,000
-- characters of it (a tsvector has a size limit that a huge tool result could pass, failing the insert). ASCII
-- punctuation becomes spaces before parsing, so that the parser splits words where SQLite's unicode61 does
-- (it would keep 'example.com' or 'a-b' as one token) and the words of a query find them. The 'simple'
-- configuration lowercases without stemming or stop words, as SQLite's index does.
-- Adding the generated column computes it for the messages already stored.

CREATE FUNCTION message_search_vector(content TEXT) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_tsvector('simple'::regconfig, regexp_replace(
        left(coalesce(string_agg(part.value ->> 'text', E'\n' ORDER BY part.n), ''), 100000),
        '[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]+', ' ', 'g'))
    FROM jsonb_array_elements(content::jsonb) WITH ORDINALITY AS part (value, n)
    WHERE part.value ->> 'type' = 'text'
$$;

ALTER TABLE messages ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (message_search_vector(content)) STORED;

CREATE INDEX messages_search ON messages USING GIN (search_vector);

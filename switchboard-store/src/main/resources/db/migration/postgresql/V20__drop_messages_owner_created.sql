-- V11's messages_owner_created let the planner walk an owner's messages newest first for any word it guessed to be
-- common; measured on 100k messages it made middling words and phrases several times slower (p99 98 ms for the mix,
-- against 51.5 ms before it), more than it saved on the most common words. Conversation search goes back to the
-- GIN index alone (docs/benchmarks.md, Conversation search).
DROP INDEX IF EXISTS messages_owner_created;

-- Blobs kept for a user outside any message or prompt (speech: the audio heard and spoken), so that
-- GET /api/blobs/{blobId} serves them to that user alone.
CREATE TABLE blob_owners (
    blob_id    TEXT NOT NULL,
    owner_id   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (blob_id, owner_id)
);

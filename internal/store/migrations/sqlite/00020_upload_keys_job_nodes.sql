-- +goose Up
-- An upload sent with an Idempotency-Key: the key (per user) is kept with the version it
-- created, in the same transaction, so a retry with the same key within the window
-- (service.IdempotencyWindow) is answered with that version instead of adding another.
-- fingerprint is a hash of what the upload asked for (room, type, vessel, fields, file):
-- a key sent again for a different upload is refused.
CREATE TABLE upload_keys (
    user_id     TEXT NOT NULL,
    idem_key    TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    room_id     TEXT NOT NULL,
    document_id TEXT NOT NULL,
    version_id  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX upload_keys_by_created_at ON upload_keys (created_at);

-- The job queue's nodes on PostgreSQL, each with the last time it said it was alive
-- (jobs/lease.go): a render left running by a node not seen for the lease is run again by
-- another within seconds. Unused on SQLite, where one process serves.
CREATE TABLE job_nodes (
    client_id TEXT PRIMARY KEY,
    seen_at   TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE job_nodes;
DROP TABLE upload_keys;

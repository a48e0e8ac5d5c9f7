-- +goose Up
-- Blob lifetime (see store/blobs.go for the invariant). A hold keeps a blob from the sweep
-- while an upload or a render that stored it has not committed the row that refers to it;
-- a deletion marks a blob the sweep is removing, so no upload takes it as stored meanwhile.
-- A lease lets one node at a time run a periodic task such as the sweep.
CREATE TABLE blob_holds (
    id         TEXT PRIMARY KEY,
    sha256     TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX blob_holds_by_sha256 ON blob_holds (sha256);
CREATE TABLE blob_deletions (
    sha256     TEXT PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE task_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE task_leases;
DROP TABLE blob_deletions;
DROP TABLE blob_holds;

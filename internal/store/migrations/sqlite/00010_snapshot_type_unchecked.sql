-- +goose Up
-- A snapshot's type (its format) is checked by the code (report.Formats), not by the
-- database: adding a format is then a code change only (see the package doc of store).
-- SQLite cannot drop a CHECK, so the table is rebuilt ("Making Other Kinds Of Table Schema
-- Changes" in the SQLite docs): no table, trigger or view refers to snapshots, so foreign
-- keys may stay on; the rows are copied as they are and the two indexes recreated.
CREATE TABLE snapshots_new (
    id                TEXT PRIMARY KEY,
    room_id           TEXT NOT NULL REFERENCES rooms (id),
    title             TEXT NOT NULL,
    snapshot_type     TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('generating', 'completed', 'failed')),
    include_documents INTEGER NOT NULL,
    include_activity  INTEGER NOT NULL,
    include_approvals INTEGER NOT NULL,
    state             TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    creator_email     TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    completed_at      TIMESTAMP,
    file_sha256       TEXT NOT NULL DEFAULT '',
    file_size         INTEGER NOT NULL DEFAULT 0,
    content_type      TEXT NOT NULL DEFAULT '',
    failure_reason    TEXT NOT NULL DEFAULT '',
    deleted_at        TIMESTAMP
);
INSERT INTO snapshots_new (id, room_id, title, snapshot_type, status, include_documents, include_activity,
    include_approvals, state, created_by, creator_email, created_at, completed_at, file_sha256, file_size,
    content_type, failure_reason, deleted_at)
SELECT id, room_id, title, snapshot_type, status, include_documents, include_activity,
    include_approvals, state, created_by, creator_email, created_at, completed_at, file_sha256, file_size,
    content_type, failure_reason, deleted_at
FROM snapshots;
DROP TABLE snapshots;
ALTER TABLE snapshots_new RENAME TO snapshots;
CREATE INDEX snapshots_room ON snapshots (room_id, id) WHERE deleted_at IS NULL;
CREATE INDEX snapshots_file_live ON snapshots (file_sha256) WHERE deleted_at IS NULL;

-- +goose Down
-- The CHECK of 00005 again; it fails (and nothing changes) while a snapshot has a type
-- outside it.
CREATE TABLE snapshots_old (
    id                TEXT PRIMARY KEY,
    room_id           TEXT NOT NULL REFERENCES rooms (id),
    title             TEXT NOT NULL,
    snapshot_type     TEXT NOT NULL CHECK (snapshot_type IN ('pdf', 'json', 'csv')),
    status            TEXT NOT NULL CHECK (status IN ('generating', 'completed', 'failed')),
    include_documents INTEGER NOT NULL,
    include_activity  INTEGER NOT NULL,
    include_approvals INTEGER NOT NULL,
    state             TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    creator_email     TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    completed_at      TIMESTAMP,
    file_sha256       TEXT NOT NULL DEFAULT '',
    file_size         INTEGER NOT NULL DEFAULT 0,
    content_type      TEXT NOT NULL DEFAULT '',
    failure_reason    TEXT NOT NULL DEFAULT '',
    deleted_at        TIMESTAMP
);
INSERT INTO snapshots_old (id, room_id, title, snapshot_type, status, include_documents, include_activity,
    include_approvals, state, created_by, creator_email, created_at, completed_at, file_sha256, file_size,
    content_type, failure_reason, deleted_at)
SELECT id, room_id, title, snapshot_type, status, include_documents, include_activity,
    include_approvals, state, created_by, creator_email, created_at, completed_at, file_sha256, file_size,
    content_type, failure_reason, deleted_at
FROM snapshots;
DROP TABLE snapshots;
ALTER TABLE snapshots_old RENAME TO snapshots;
CREATE INDEX snapshots_room ON snapshots (room_id, id) WHERE deleted_at IS NULL;
CREATE INDEX snapshots_file_live ON snapshots (file_sha256) WHERE deleted_at IS NULL;

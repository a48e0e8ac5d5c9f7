-- +goose Up
-- A snapshot is the captured state of a room (state, JSON) and, once rendered by the job
-- queue, a file in the file store. A deleted snapshot keeps its row (deleted_at set).
CREATE TABLE snapshots (
    id                TEXT PRIMARY KEY,
    room_id           TEXT NOT NULL REFERENCES rooms (id),
    title             TEXT NOT NULL,
    snapshot_type     TEXT NOT NULL CHECK (snapshot_type IN ('pdf', 'json', 'csv')),
    status            TEXT NOT NULL CHECK (status IN ('generating', 'completed', 'failed')),
    include_documents BOOLEAN NOT NULL,
    include_activity  BOOLEAN NOT NULL,
    include_approvals BOOLEAN NOT NULL,
    state             TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    creator_email     TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    completed_at      TIMESTAMPTZ,
    file_sha256       TEXT NOT NULL DEFAULT '',
    file_size         BIGINT NOT NULL DEFAULT 0,
    content_type      TEXT NOT NULL DEFAULT '',
    failure_reason    TEXT NOT NULL DEFAULT '',
    deleted_at        TIMESTAMPTZ
);
CREATE INDEX snapshots_room ON snapshots (room_id, id) WHERE deleted_at IS NULL;
CREATE INDEX snapshots_sha ON snapshots (file_sha256) WHERE file_sha256 <> '';

-- +goose Down
DROP TABLE snapshots;

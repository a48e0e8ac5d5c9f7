-- +goose Up
-- The document catalogue; seeded by the application when empty, managed by admins.
CREATE TABLE document_types (
    code                TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    category            TEXT NOT NULL DEFAULT '',
    supplied_by         TEXT NOT NULL,
    scope               TEXT NOT NULL CHECK (scope IN ('vessel', 'room')),
    criticality         TEXT NOT NULL CHECK (criticality IN ('high', 'medium', 'low')),
    expiry              TEXT NOT NULL CHECK (expiry IN ('expires', 'point_in_time', 'none')),
    max_age_days        INTEGER NOT NULL DEFAULT 0,
    required_by_default INTEGER NOT NULL DEFAULT 1,
    active              INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);

-- One row per document a room requires (a "slot"): per vessel for vessel documents.
-- status is the stored review status; expiry is also evaluated at read time.
CREATE TABLE documents (
    id             TEXT PRIMARY KEY,
    room_id        TEXT NOT NULL REFERENCES rooms (id),
    type_code      TEXT NOT NULL REFERENCES document_types (code),
    vessel_id      TEXT REFERENCES vessels (id),
    status         TEXT NOT NULL CHECK (status IN ('missing', 'under_review', 'approved', 'rejected', 'expired')),
    criticality    TEXT NOT NULL CHECK (criticality IN ('high', 'medium', 'low')),
    required       INTEGER NOT NULL DEFAULT 1,
    waive_reason   TEXT NOT NULL DEFAULT '',
    waived_by      TEXT NOT NULL DEFAULT '',
    waiver_email   TEXT NOT NULL DEFAULT '',
    waived_at      TIMESTAMP,
    notes          TEXT NOT NULL DEFAULT '',
    review_reason  TEXT NOT NULL DEFAULT '',
    reviewed_by    TEXT NOT NULL DEFAULT '',
    reviewer_email TEXT NOT NULL DEFAULT '',
    reviewed_at    TIMESTAMP,
    version_count  INTEGER NOT NULL DEFAULT 0,
    -- copied from the latest version, so expiry can be queried without a join
    expires_on     TIMESTAMP,
    performed_at   TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX documents_room_type ON documents (room_id, type_code) WHERE vessel_id IS NULL;
CREATE UNIQUE INDEX documents_room_type_vessel ON documents (room_id, type_code, vessel_id) WHERE vessel_id IS NOT NULL;
CREATE INDEX documents_room ON documents (room_id, type_code);
CREATE INDEX documents_vessel ON documents (vessel_id) WHERE vessel_id IS NOT NULL;
CREATE INDEX documents_approved_expiry ON documents (expires_on, room_id) WHERE status = 'approved';

-- Every upload is a new immutable version; the blob is addressed by its SHA-256.
CREATE TABLE document_versions (
    id           TEXT PRIMARY KEY,
    document_id  TEXT NOT NULL REFERENCES documents (id),
    room_id      TEXT NOT NULL REFERENCES rooms (id),
    number       INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    filename     TEXT NOT NULL,
    expires_on   TIMESTAMP,
    performed_at TIMESTAMP,
    notes        TEXT NOT NULL DEFAULT '',
    uploaded_by  TEXT NOT NULL,
    uploader_email TEXT NOT NULL,
    uploaded_at  TIMESTAMP NOT NULL,
    UNIQUE (document_id, number)
);
CREATE INDEX document_versions_room ON document_versions (room_id, document_id, number);
CREATE INDEX document_versions_sha ON document_versions (sha256);

-- +goose Down
DROP TABLE document_versions;
DROP TABLE documents;
DROP TABLE document_types;

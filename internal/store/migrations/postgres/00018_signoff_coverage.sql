-- +goose Up
-- Sign-offs bound to what was signed (docs/domain.md): a decision records the room's
-- audit chain position before its own entry, the digest of its coverage (carried by that
-- entry too) and, in approval_coverage, each required document its party saw, at its
-- version. Decisions recorded before this have coverage_recorded false and count as before.
ALTER TABLE approvals ADD COLUMN coverage_recorded BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE approvals ADD COLUMN chain_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE approvals ADD COLUMN chain_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE approvals ADD COLUMN coverage_digest TEXT NOT NULL DEFAULT '';

-- document_id has no foreign key: a removed vessel's slots that never had a version are
-- deleted, and the record of what was signed must outlive them. It is read by approval
-- only (its primary key).
CREATE TABLE approval_coverage (
    approval_id    TEXT NOT NULL REFERENCES approvals (id),
    room_id        TEXT NOT NULL REFERENCES rooms (id),
    document_id    TEXT NOT NULL,
    type_code      TEXT NOT NULL,
    type_name      TEXT NOT NULL,
    vessel_id      TEXT NOT NULL DEFAULT '',
    vessel_name    TEXT NOT NULL DEFAULT '',
    version_id     TEXT NOT NULL DEFAULT '',
    version_number INTEGER NOT NULL,
    sha256         TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    criticality    TEXT NOT NULL,
    PRIMARY KEY (approval_id, document_id)
);

-- +goose Down
DROP TABLE approval_coverage;
ALTER TABLE approvals DROP COLUMN coverage_digest;
ALTER TABLE approvals DROP COLUMN chain_hash;
ALTER TABLE approvals DROP COLUMN chain_seq;
ALTER TABLE approvals DROP COLUMN coverage_recorded;

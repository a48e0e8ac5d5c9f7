-- +goose Up
-- Screenings with outcomes (docs/domain.md, "Screenings and holds"). A version of a
-- screening type (clearance.IsScreening) records its outcome, the provider that ran it, a
-- remark and what it screened (subjects: clearance.ScreeningSubjects as JSON); other
-- versions have none (NULL outcome, '' for the rest). The document carries its latest
-- version's outcome, as it carries its dates, and why a party change left it needing a
-- re-run ('' when it does not).
ALTER TABLE document_versions ADD COLUMN outcome TEXT CHECK (outcome IN ('clear', 'potential_match', 'confirmed_match'));
ALTER TABLE document_versions ADD COLUMN provider TEXT NOT NULL DEFAULT '';
ALTER TABLE document_versions ADD COLUMN remark TEXT NOT NULL DEFAULT '';
ALTER TABLE document_versions ADD COLUMN subjects TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN outcome TEXT CHECK (outcome IN ('clear', 'potential_match', 'confirmed_match'));
ALTER TABLE documents ADD COLUMN rerun_reason TEXT NOT NULL DEFAULT '';

-- A room's holds, each with the role it belongs to (only that role lifts it): a screening
-- hold is compliance's (the charterer), a manual one its placer's. The room's current hold is
-- the one not lifted; lifted ones stay as the record.
CREATE TABLE room_holds (
    id              TEXT PRIMARY KEY,
    room_id         TEXT NOT NULL REFERENCES rooms(id),
    source          TEXT NOT NULL CHECK (source IN ('screening', 'manual')),
    owner_role      TEXT NOT NULL,
    document_id     TEXT,
    reason          TEXT NOT NULL,
    placed_by       TEXT NOT NULL,
    placed_by_email TEXT NOT NULL,
    placed_at       TIMESTAMPTZ NOT NULL,
    lifted_by       TEXT NOT NULL DEFAULT '',
    lifted_by_email TEXT NOT NULL DEFAULT '',
    lifted_at       TIMESTAMPTZ,
    lift_reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX room_holds_room ON room_holds (room_id, placed_at);

-- +goose Down
DROP TABLE room_holds;
ALTER TABLE documents DROP COLUMN rerun_reason;
ALTER TABLE documents DROP COLUMN outcome;
ALTER TABLE document_versions DROP COLUMN subjects;
ALTER TABLE document_versions DROP COLUMN remark;
ALTER TABLE document_versions DROP COLUMN provider;
ALTER TABLE document_versions DROP COLUMN outcome;

-- +goose Up
-- A snapshot's type (its format) is checked by the code (report.Formats), not by the
-- database: adding a format is then a code change only (see the package doc of store).
ALTER TABLE snapshots DROP CONSTRAINT snapshots_snapshot_type_check;

-- +goose Down
-- The CHECK of 00005 again; it fails (and nothing changes) while a snapshot has a type
-- outside it.
ALTER TABLE snapshots ADD CONSTRAINT snapshots_snapshot_type_check CHECK (snapshot_type IN ('pdf', 'json', 'csv'));

-- +goose Up
-- Indexes found missing by internal/store/plans_test.go (EXPLAIN on a seeded database):

-- A room's parties with the removed ones (snapshots, the party list with ?include_removed):
-- the partial indexes on parties only serve active parties, so this read every party row.
CREATE INDEX parties_room ON parties (room_id, added_at);

-- The expiry scan of point-in-time evidence (approved documents by performed_at) read
-- every document.
CREATE INDEX documents_approved_performed ON documents (performed_at, room_id) WHERE status = 'approved';

-- "Does a live snapshot keep this file?" The partial index on file_sha256 <> '' cannot
-- serve "file_sha256 = ?" on SQLite (a parameter does not imply <> ''), so it read every
-- snapshot, captured state included; this one's predicate is in the query itself.
DROP INDEX snapshots_sha;
CREATE INDEX snapshots_file_live ON snapshots (file_sha256) WHERE deleted_at IS NULL;

-- +goose Down
DROP INDEX snapshots_file_live;
CREATE INDEX snapshots_sha ON snapshots (file_sha256) WHERE file_sha256 <> '';
DROP INDEX documents_approved_performed;
DROP INDEX parties_room;

-- +goose Up
-- Records stay (clearance.CheckRetention): an archived room is read-only and out of the
-- default lists; cleared_at is the first time a room was cleared, which protects its
-- snapshots for good (clearance.SnapshotDeletable).
ALTER TABLE rooms ADD COLUMN archived_at TIMESTAMPTZ;
ALTER TABLE rooms ADD COLUMN cleared_at TIMESTAMPTZ;

-- A room's first clearance is in its trail (room_status_changed to cleared, by a party or by
-- the gate); a room cleared or later without one gets its last change as the best known time.
UPDATE rooms SET cleared_at = (
    SELECT MIN(a.ts) FROM audit_entries a
    WHERE a.scope = rooms.id AND a.action = 'room_status_changed' AND a.meta LIKE '%"to":"cleared"%'
);
UPDATE rooms SET cleared_at = updated_at
WHERE cleared_at IS NULL AND status IN ('cleared', 'in_operation', 'completed');

-- The admins' lists of archived and of deleted rooms. Whole-column indexes: PostgreSQL
-- takes a partial one's predicate as given and would scan all of it (plans_test.go).
CREATE INDEX rooms_archived ON rooms (archived_at);
CREATE INDEX rooms_deleted ON rooms (deleted_at);

-- +goose Down
DROP INDEX rooms_deleted;
DROP INDEX rooms_archived;
ALTER TABLE rooms DROP COLUMN cleared_at;
ALTER TABLE rooms DROP COLUMN archived_at;

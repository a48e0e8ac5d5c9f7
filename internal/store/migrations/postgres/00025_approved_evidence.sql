-- +goose Up
-- A room list's lapse candidates (store.LapseCandidates): approved point-in-time evidence of
-- one type performed before its age cutoff, found in one seek per type, not one per room.
-- In steady state the expiry scan has moved such evidence to expired, and the range is
-- (nearly) empty.
CREATE INDEX documents_approved_evidence ON documents (type_code, performed_at) WHERE status = 'approved';

-- +goose Down
DROP INDEX documents_approved_evidence;

package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/stshub/stshub/internal/clearance"
)

// Snapshot is the domain's record (clearance.Snapshot), read and written here.
type Snapshot = clearance.Snapshot

const snapshotColumns = `id, room_id, title, snapshot_type, status, include_documents, include_activity, include_approvals,
	state, created_by, creator_email, created_at, completed_at, file_sha256, file_size, content_type, failure_reason`

// snapshotListColumns leave out the captured state, which lists never need.
const snapshotListColumns = `id, room_id, title, snapshot_type, status, include_documents, include_activity, include_approvals,
	'' AS state, created_by, creator_email, created_at, completed_at, file_sha256, file_size, content_type, failure_reason`

func snapshotRow() row[Snapshot] {
	var sn Snapshot
	var state string
	var completed sql.NullTime
	return row[Snapshot]{
		dest: []any{&sn.ID, &sn.RoomID, &sn.Title, &sn.Type, &sn.Status, &sn.IncludeDocuments, &sn.IncludeActivity,
			&sn.IncludeApprovals, &state, &sn.CreatedBy, &sn.CreatorEmail, &sn.CreatedAt, &completed, &sn.FileSHA256,
			&sn.FileSize, &sn.ContentType, &sn.FailureReason},
		value: func() Snapshot {
			out := sn
			out.State = []byte(state)
			out.CreatedAt = sn.CreatedAt.UTC()
			out.CompletedAt = nullTime(completed)
			return out
		},
	}
}

// CreateSnapshot inserts a snapshot row.
func (q Q) CreateSnapshot(ctx context.Context, s Snapshot) error {
	_, err := q.exec(ctx, `INSERT INTO snapshots (`+snapshotColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.RoomID, s.Title, s.Type, s.Status, s.IncludeDocuments, s.IncludeActivity, s.IncludeApprovals, string(s.State),
		s.CreatedBy, s.CreatorEmail, s.CreatedAt, s.CompletedAt, s.FileSHA256, s.FileSize, s.ContentType, s.FailureReason)
	if err != nil {
		return fmt.Errorf("create snapshot: %w", q.d.classify(err))
	}
	return nil
}

// SnapshotByID returns a snapshot of a room that is not deleted, with its captured state.
// Inside a transaction on PostgreSQL the row is locked until commit.
func (q Q) SnapshotByID(ctx context.Context, roomID, id string) (Snapshot, error) {
	lock := ""
	if q.InTx() {
		lock = q.d.forUpdate()
	}
	s, err := snapshotRow().scan(q.queryRow(ctx, `SELECT `+snapshotColumns+` FROM snapshots WHERE room_id = ? AND id = ? AND deleted_at IS NULL`+lock, roomID, id))
	if err != nil {
		return Snapshot{}, notFoundOr("snapshot", err)
	}
	return s, nil
}

// ListSnapshots returns one page of a room's snapshots, newest first, with IDs below
// beforeID ("" for the first page). The captured state is left out.
func (q Q) ListSnapshots(ctx context.Context, roomID, beforeID string, limit int) ([]Snapshot, error) {
	query := `SELECT ` + snapshotListColumns + ` FROM snapshots WHERE room_id = ? AND deleted_at IS NULL`
	args := []any{roomID}
	if beforeID != "" {
		query += ` AND id < ?`
		args = append(args, beforeID)
	}
	rows, err := q.query(ctx, query+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	return collect(rows, "list snapshots", snapshotRow())
}

// CompleteSnapshot records the rendered file of a generating snapshot.
func (q Q) CompleteSnapshot(ctx context.Context, roomID, id, sha string, size int64, contentType string, now time.Time) error {
	return q.execOne(ctx, "complete snapshot", `UPDATE snapshots SET status = 'completed', file_sha256 = ?, file_size = ?,
		content_type = ?, completed_at = ?, failure_reason = '' WHERE room_id = ? AND id = ? AND status = 'generating'`,
		sha, size, contentType, now, roomID, id)
}

// FailSnapshot marks a generating snapshot failed, with the reason.
func (q Q) FailSnapshot(ctx context.Context, roomID, id, reason string, now time.Time) error {
	return q.execOne(ctx, "fail snapshot", `UPDATE snapshots SET status = 'failed', failure_reason = ?, completed_at = ?
		WHERE room_id = ? AND id = ? AND status = 'generating'`, reason, now, roomID, id)
}

// DeleteSnapshot marks a snapshot deleted.
func (q Q) DeleteSnapshot(ctx context.Context, roomID, id string, now time.Time) error {
	return q.execOne(ctx, "delete snapshot", `UPDATE snapshots SET deleted_at = ? WHERE room_id = ? AND id = ? AND deleted_at IS NULL`, now, roomID, id)
}

// AuditStateHead returns the latest entry of a room's trail that is not snapshot
// bookkeeping: the change the room's current state reflects.
func (q Q) AuditStateHead(ctx context.Context, roomID string) (seq int64, hash string, err error) {
	err = q.queryRow(ctx, `SELECT seq, hash FROM audit_entries WHERE scope = ? AND action NOT IN
		('snapshot_created', 'snapshot_completed', 'snapshot_failed', 'snapshot_deleted') ORDER BY seq DESC LIMIT 1`, roomID).Scan(&seq, &hash)
	if err != nil {
		return 0, "", notFoundOr("audit state head", err)
	}
	return seq, hash, nil
}

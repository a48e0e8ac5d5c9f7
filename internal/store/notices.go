package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/stshub/stshub/internal/clearance"
)

// CoastalNotice is the domain's record (clearance.NoticeRecord), read and written here.
type CoastalNotice = clearance.NoticeRecord

const noticeColumns = `n.id, n.room_id, n.vessel_id, (SELECT v.name FROM vessels v WHERE v.id = n.vessel_id),
	n.notified_at, n.reference, n.eta_at_notice, n.recorded_by, n.recorder_email, n.recorded_at, n.kind`

func noticeRow() row[CoastalNotice] {
	var n CoastalNotice
	var name sql.NullString
	return row[CoastalNotice]{
		dest: []any{&n.ID, &n.RoomID, &n.VesselID, &name, &n.NotifiedAt, &n.Reference, &n.ETAAtNotice, &n.RecordedBy,
			&n.RecorderEmail, &n.RecordedAt, &n.Kind},
		value: func() CoastalNotice {
			out := n
			out.VesselName = name.String
			out.NotifiedAt, out.ETAAtNotice, out.RecordedAt = n.NotifiedAt.UTC(), n.ETAAtNotice.UTC(), n.RecordedAt.UTC()
			return out
		},
	}
}

// AddCoastalNotice inserts a notice; notices are never changed or deleted, a new one
// supersedes the last.
func (q Q) AddCoastalNotice(ctx context.Context, n CoastalNotice) error {
	_, err := q.exec(ctx, `INSERT INTO coastal_notices (id, room_id, vessel_id, notified_at, reference, eta_at_notice,
		recorded_by, recorder_email, recorded_at, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.ID, n.RoomID, n.VesselID, n.NotifiedAt, n.Reference, n.ETAAtNotice, n.RecordedBy, n.RecorderEmail, n.RecordedAt, noticeKindOf(n))
	if err != nil {
		return fmt.Errorf("add coastal notice: %w", q.d.classify(err))
	}
	return nil
}

// ListCoastalNotices returns a room's notices, the latest recorded first, so a vessel's
// first notice in the list is the one in force.
func (q Q) ListCoastalNotices(ctx context.Context, roomID string) ([]CoastalNotice, error) {
	rows, err := q.query(ctx, `SELECT `+noticeColumns+` FROM coastal_notices n WHERE n.room_id = ?
		ORDER BY n.recorded_at DESC, n.id DESC`, roomID)
	if err != nil {
		return nil, fmt.Errorf("list coastal notices: %w", err)
	}
	return collect(rows, "list coastal notices", noticeRow())
}

// LatestCoastalNotices returns the notice in force for each vessel of a room that has one,
// its latest recorded, by vessel ID.
func (q Q) LatestCoastalNotices(ctx context.Context, roomID string) ([]CoastalNotice, error) {
	rows, err := q.query(ctx, `SELECT `+noticeColumns+` FROM coastal_notices n WHERE n.room_id = ?
		AND NOT EXISTS (SELECT 1 FROM coastal_notices m WHERE m.room_id = n.room_id AND m.vessel_id = n.vessel_id
			AND (m.recorded_at > n.recorded_at OR (m.recorded_at = n.recorded_at AND m.id > n.id)))
		ORDER BY n.vessel_id`, roomID)
	if err != nil {
		return nil, fmt.Errorf("latest coastal notices: %w", err)
	}
	return collect(rows, "latest coastal notices", noticeRow())
}

// noticeKindOf is n's stored kind: a notice when n states none.
func noticeKindOf(n CoastalNotice) clearance.NoticeKind {
	if n.Kind == "" {
		return clearance.KindNotice
	}
	return n.Kind
}

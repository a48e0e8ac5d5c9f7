package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/stshub/stshub/internal/clearance"
)

// Hold is the domain's record (clearance.Hold), read and written here.
type Hold = clearance.Hold

const holdColumns = `id, room_id, source, owner_role, document_id, reason, placed_by, placed_by_email, placed_at,
	lifted_by, lifted_by_email, lifted_at, lift_reason`

func holdRow() row[Hold] {
	var h Hold
	var document sql.NullString
	var lifted sql.NullTime
	return row[Hold]{
		dest: []any{&h.ID, &h.RoomID, &h.Source, &h.Owner, &document, &h.Reason, &h.PlacedBy, &h.PlacedByEmail, &h.PlacedAt,
			&h.LiftedBy, &h.LiftedByEmail, &lifted, &h.LiftReason},
		value: func() Hold {
			out := h
			out.DocumentID, out.LiftedAt, out.PlacedAt = document.String, nullTime(lifted), h.PlacedAt.UTC()
			return out
		},
	}
}

// PlaceHold records a room's new hold. The caller has ended the room's current one, if any
// (LiftHold): a room has at most one hold not lifted.
func (q Q) PlaceHold(ctx context.Context, h Hold) error {
	var document any
	if h.DocumentID != "" {
		document = h.DocumentID
	}
	_, err := q.exec(ctx, `INSERT INTO room_holds (id, room_id, source, owner_role, document_id, reason, placed_by, placed_by_email,
		placed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		h.ID, h.RoomID, string(h.Source), string(h.Owner), document, h.Reason, h.PlacedBy, h.PlacedByEmail, h.PlacedAt)
	if err != nil {
		return fmt.Errorf("place hold: %w", q.d.classify(err))
	}
	return nil
}

// LiftHold ends a room's current hold with who ended it and why. A hold is never changed
// otherwise, nor deleted.
func (q Q) LiftHold(ctx context.Context, h Hold) error {
	return q.execOne(ctx, "lift hold", `UPDATE room_holds SET lifted_by = ?, lifted_by_email = ?, lifted_at = ?, lift_reason = ?
		WHERE room_id = ? AND id = ? AND lifted_at IS NULL`, h.LiftedBy, h.LiftedByEmail, h.LiftedAt, h.LiftReason, h.RoomID, h.ID)
}

// CurrentHold returns a room's hold that is not lifted, or nil when it has none.
func (q Q) CurrentHold(ctx context.Context, roomID string) (*Hold, error) {
	rows, err := q.query(ctx, `SELECT `+holdColumns+` FROM room_holds WHERE room_id = ? AND lifted_at IS NULL
		ORDER BY placed_at DESC, id DESC LIMIT 1`, roomID)
	if err != nil {
		return nil, fmt.Errorf("current hold: %w", err)
	}
	holds, err := collect(rows, "current hold", holdRow())
	if err != nil || len(holds) == 0 {
		return nil, err
	}
	return &holds[0], nil
}

// ListHolds returns every hold of a room, the earliest first.
func (q Q) ListHolds(ctx context.Context, roomID string) ([]Hold, error) {
	rows, err := q.query(ctx, `SELECT `+holdColumns+` FROM room_holds WHERE room_id = ? ORDER BY placed_at, id`, roomID)
	if err != nil {
		return nil, fmt.Errorf("list holds: %w", err)
	}
	return collect(rows, "list holds", holdRow())
}

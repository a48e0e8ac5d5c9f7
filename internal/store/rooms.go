package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// Room is one STS operation. A deleted room keeps its row; every query here skips it.
type Room struct {
	ID            string
	Title         string
	Location      string
	STSETA        time.Time
	Description   string
	CargoType     string
	CargoQuantity *float64
	Status        string
	StatusReason  string // why the room is on hold or cancelled
	CreatedBy     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

const roomColumns = `r.id, r.title, r.location, r.sts_eta, r.description, r.cargo_type, r.cargo_quantity, r.status, r.status_reason, r.created_by, r.created_at, r.updated_at`

// roomRow reads roomColumns followed by the columns extra points to (a join's), which
// the caller reads after each scan.
func roomRow(extra ...any) row[Room] {
	var r Room
	var qty sql.NullFloat64
	return row[Room]{
		dest: append([]any{&r.ID, &r.Title, &r.Location, &r.STSETA, &r.Description, &r.CargoType, &qty,
			&r.Status, &r.StatusReason, &r.CreatedBy, &r.CreatedAt, &r.UpdatedAt}, extra...),
		value: func() Room {
			out := r
			out.CargoQuantity = nullFloat(qty)
			out.STSETA, out.CreatedAt, out.UpdatedAt = r.STSETA.UTC(), r.CreatedAt.UTC(), r.UpdatedAt.UTC()
			return out
		},
	}
}

// CreateRoom inserts a room.
func (q Q) CreateRoom(ctx context.Context, r Room) error {
	_, err := q.exec(ctx, `INSERT INTO rooms (id, title, location, sts_eta, description, cargo_type, cargo_quantity, status, status_reason, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Title, r.Location, r.STSETA, r.Description, r.CargoType, r.CargoQuantity, r.Status, r.StatusReason, r.CreatedBy, r.CreatedAt, r.UpdatedAt)
	if err != nil {
		return fmt.Errorf("create room: %w", q.d.classify(err))
	}
	return nil
}

// RoomByID returns a room that is not deleted. Inside a transaction on PostgreSQL the row
// is locked until commit, so use cases that read-modify-write a room queue.
func (q Q) RoomByID(ctx context.Context, id string) (Room, error) {
	lock := ""
	if q.InTx() {
		lock = q.d.forUpdate()
	}
	r, err := roomRow().scan(q.queryRow(ctx, `SELECT `+roomColumns+` FROM rooms r WHERE r.id = ? AND r.deleted_at IS NULL`+lock, id))
	if err != nil {
		return Room{}, notFoundOr("room", err)
	}
	return r, nil
}

// UpdateRoom stores the editable fields and status of r.
func (q Q) UpdateRoom(ctx context.Context, r Room) error {
	return q.execOne(ctx, "update room", `UPDATE rooms SET title = ?, location = ?, sts_eta = ?, description = ?,
		cargo_type = ?, cargo_quantity = ?, status = ?, status_reason = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`,
		r.Title, r.Location, r.STSETA, r.Description, r.CargoType, r.CargoQuantity, r.Status, r.StatusReason, r.UpdatedAt, r.ID)
}

// DeleteRoom marks a room deleted; its rows and trail stay for the record.
func (q Q) DeleteRoom(ctx context.Context, id string, now time.Time) error {
	return q.execOne(ctx, "delete room", `UPDATE rooms SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`, now, now, id)
}

// RoomWithRole is a room together with the caller's role in it.
type RoomWithRole struct {
	Room
	Role string
}

// ListRoomsForUser returns the rooms userID is an active party of, newest first, one page
// of at most limit rooms with IDs below beforeID ("" for the first page).
func (q Q) ListRoomsForUser(ctx context.Context, userID, beforeID string, limit int) ([]RoomWithRole, error) {
	query := `SELECT ` + roomColumns + `, p.role FROM parties p JOIN rooms r ON r.id = p.room_id
		WHERE p.user_id = ? AND p.removed_at IS NULL AND r.deleted_at IS NULL`
	args := []any{userID}
	if beforeID != "" {
		query += ` AND r.id < ?`
		args = append(args, beforeID)
	}
	query += ` ORDER BY r.id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list rooms: %w", err)
	}
	var role string
	room := roomRow(&role)
	return collect(rows, "list rooms", row[RoomWithRole]{
		dest:  room.dest,
		value: func() RoomWithRole { return RoomWithRole{Room: room.value(), Role: role} },
	})
}

// Membership is a user's active party in a room, with the room as it stands.
type Membership struct {
	PartyID   string
	UserID    string
	Role      string
	Email     string   // the party's e-mail
	VesselIDs []string // the vessels the party is bound to
	Room      Room
}

// BoundTo reports whether the party is bound to vessel vesselID.
func (m Membership) BoundTo(vesselID string) bool { return slices.Contains(m.VesselIDs, vesselID) }

// MembershipOf returns userID's active party in a room that is not deleted, with the room
// and the party's vessel bindings (one row per binding, one statement); a non-party (or a
// removed one) gets apperr.ErrNotFound, exactly as if the room did not exist.
func (q Q) MembershipOf(ctx context.Context, roomID, userID string) (Membership, error) {
	var m Membership
	var vessel sql.NullString
	scan := roomRow(&m.PartyID, &m.Role, &m.Email, &vessel)
	rows, err := q.query(ctx, `SELECT `+roomColumns+`, p.id, p.role, p.email, pv.vessel_id
		FROM parties p JOIN rooms r ON r.id = p.room_id
		LEFT JOIN party_vessels pv ON pv.party_id = p.id
		WHERE p.room_id = ? AND p.user_id = ? AND p.removed_at IS NULL AND r.deleted_at IS NULL
		ORDER BY pv.bound_at, pv.vessel_id`, roomID, userID)
	if err != nil {
		return Membership{}, fmt.Errorf("read membership: %w", err)
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		room, err := scan.scan(rows)
		if err != nil {
			return Membership{}, fmt.Errorf("read membership: %w", err)
		}
		m.Room, found = room, true
		if vessel.Valid {
			m.VesselIDs = append(m.VesselIDs, vessel.String)
		}
	}
	if err := rows.Err(); err != nil {
		return Membership{}, fmt.Errorf("read membership: %w", err)
	}
	if !found {
		return Membership{}, fmt.Errorf("room: %w", errNotFound)
	}
	m.UserID = userID
	return m, nil
}

// LockRoom holds a room's row until the transaction ends, so use cases that check a
// room-wide rule before writing (the last manager, later the clearance gate) queue on
// PostgreSQL. On SQLite the single writer already serialises them.
func (q Q) LockRoom(ctx context.Context, roomID string) error {
	if q.d != Postgres {
		return nil
	}
	var id string
	err := q.queryRow(ctx, `SELECT id FROM rooms WHERE id = ? FOR UPDATE`, roomID).Scan(&id)
	if err != nil {
		return notFoundOr("lock room", err)
	}
	return nil
}

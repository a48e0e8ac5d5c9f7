package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/stshub/stshub/internal/clearance"
)

// Room is one STS operation. A deleted room keeps its row: RoomByID and MembershipOf still
// read it (DeletedAt set) so that the service can let platform admins reach its records;
// the lists of parties' rooms skip it.
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
	ClearedAt     *time.Time // the first time the room was cleared (set by UpdateRoom)
	ArchivedAt    *time.Time
	DeletedAt     *time.Time
	// CargoClass decides which documents and rules apply (clearance.CargoClass).
	CargoClass clearance.CargoClass
	// OperationLength is how long the operation lasts from the ETA (the window documents
	// are judged through).
	OperationLength time.Duration
	// CoastalArea is the code of the coastal-state entry whose rule applies; "" when none
	// is named yet.
	CoastalArea string
}

// Length is how long the room's operation lasts (the default when it states none).
func (r Room) Length() time.Duration { return clearance.EffectiveLength(r.OperationLength) }

// WindowEnd is when the room's operation is expected to be over.
func (r Room) WindowEnd() time.Time { return clearance.OperationWindowEnd(r.STSETA, r.OperationLength) }

const roomColumns = `r.id, r.title, r.location, r.sts_eta, r.description, r.cargo_type, r.cargo_quantity, r.status, r.status_reason, r.created_by, r.created_at, r.updated_at, r.cleared_at, r.archived_at, r.deleted_at, r.cargo_class, r.operation_minutes, r.coastal_area`

// roomRow reads roomColumns followed by the columns extra points to (a join's), which
// the caller reads after each scan.
func roomRow(extra ...any) row[Room] {
	var r Room
	var qty sql.NullFloat64
	var cleared, archived, deleted sql.NullTime
	var minutes int64
	return row[Room]{
		dest: append([]any{&r.ID, &r.Title, &r.Location, &r.STSETA, &r.Description, &r.CargoType, &qty,
			&r.Status, &r.StatusReason, &r.CreatedBy, &r.CreatedAt, &r.UpdatedAt, &cleared, &archived, &deleted,
			&r.CargoClass, &minutes, &r.CoastalArea}, extra...),
		value: func() Room {
			out := r
			out.OperationLength = time.Duration(minutes) * time.Minute
			out.CargoQuantity = nullFloat(qty)
			out.ClearedAt, out.ArchivedAt, out.DeletedAt = nullTime(cleared), nullTime(archived), nullTime(deleted)
			out.STSETA, out.CreatedAt, out.UpdatedAt = r.STSETA.UTC(), r.CreatedAt.UTC(), r.UpdatedAt.UTC()
			return out
		},
	}
}

// CreateRoom inserts a room.
func (q Q) CreateRoom(ctx context.Context, r Room) error {
	_, err := q.exec(ctx, `INSERT INTO rooms (id, title, location, sts_eta, description, cargo_type, cargo_quantity, status, status_reason,
		created_by, created_at, updated_at, cargo_class, operation_minutes, coastal_area)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Title, r.Location, r.STSETA, r.Description, r.CargoType, r.CargoQuantity, r.Status, r.StatusReason, r.CreatedBy, r.CreatedAt, r.UpdatedAt,
		cargoClassOf(r), operationMinutes(r), r.CoastalArea)
	if err != nil {
		return fmt.Errorf("create room: %w", q.d.classify(err))
	}
	return nil
}

// RoomByID returns a room, deleted or not (see Room). Inside a transaction on PostgreSQL
// the row is locked until commit, so use cases that read-modify-write a room queue.
func (q Q) RoomByID(ctx context.Context, id string) (Room, error) {
	lock := ""
	if q.InTx() {
		lock = q.d.forUpdate()
	}
	r, err := roomRow().scan(q.queryRow(ctx, `SELECT `+roomColumns+` FROM rooms r WHERE r.id = ?`+lock, id))
	if err != nil {
		return Room{}, notFoundOr("room", err)
	}
	return r, nil
}

// UpdateRoom stores the editable fields and status of r. The first time the status stored
// is cleared, that moment (r.UpdatedAt) becomes the room's cleared_at, which never changes
// afterwards: every move to cleared, by a party or by the gate, passes here.
func (q Q) UpdateRoom(ctx context.Context, r Room) error {
	var clearedNow any
	if r.Status == string(clearance.StatusCleared) {
		clearedNow = r.UpdatedAt
	}
	return q.execOne(ctx, "update room", `UPDATE rooms SET title = ?, location = ?, sts_eta = ?, description = ?,
		cargo_type = ?, cargo_quantity = ?, status = ?, status_reason = ?, updated_at = ?, cleared_at = COALESCE(cleared_at, ?),
		cargo_class = ?, operation_minutes = ?, coastal_area = ?
		WHERE id = ? AND deleted_at IS NULL`,
		r.Title, r.Location, r.STSETA, r.Description, r.CargoType, r.CargoQuantity, r.Status, r.StatusReason, r.UpdatedAt, clearedNow,
		cargoClassOf(r), operationMinutes(r), r.CoastalArea, r.ID)
}

// operationMinutes is the stored length of r's operation: the default when r states none.
func operationMinutes(r Room) int64 { return int64(r.Length() / time.Minute) }

// SetRoomArchived archives a room at archivedAt, or unarchives it when archivedAt is nil.
func (q Q) SetRoomArchived(ctx context.Context, id string, archivedAt *time.Time, now time.Time) error {
	return q.execOne(ctx, "archive room", `UPDATE rooms SET archived_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`,
		archivedAt, now, id)
}

// DeleteRoom marks a room deleted; its rows and trail stay for the record.
func (q Q) DeleteRoom(ctx context.Context, id string, now time.Time) error {
	return q.execOne(ctx, "delete room", `UPDATE rooms SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`, now, now, id)
}

// RoomWithRole is a room together with the caller's role in it and its document counts.
type RoomWithRole struct {
	Room
	Role   string
	Counts RequiredCounts
}

// ListRoomsForUser returns the rooms userID is an active party of, newest first, one page
// of at most limit rooms with IDs below beforeID ("" for the first page): the rooms that
// are not archived, or only the archived ones when archived is true. Deleted rooms never.
// Each comes with its RequiredCounts, in the same statement. The order is the caller's
// active parties by room (parties_user_active), walked backwards: no sort, so the counts are
// taken for the rooms of the page only, however many rooms the user is in.
func (q Q) ListRoomsForUser(ctx context.Context, userID string, archived bool, beforeID string, limit int) ([]RoomWithRole, error) {
	query := `SELECT ` + roomColumns + `, p.role, ` + requiredCountColumns + ` FROM parties p JOIN rooms r ON r.id = p.room_id
		WHERE p.user_id = ? AND p.removed_at IS NULL AND r.deleted_at IS NULL`
	if archived {
		query += ` AND r.archived_at IS NOT NULL`
	} else {
		query += ` AND r.archived_at IS NULL`
	}
	args := []any{userID}
	if beforeID != "" {
		query += ` AND p.room_id < ?`
		args = append(args, beforeID)
	}
	query += ` ORDER BY p.room_id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list rooms: %w", err)
	}
	var role string
	var counts RequiredCounts
	room := roomRow(&role, &counts.Required, &counts.Approved)
	return collect(rows, "list rooms", row[RoomWithRole]{
		dest:  room.dest,
		value: func() RoomWithRole { return RoomWithRole{Room: room.value(), Role: role, Counts: counts} },
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

// MembershipOf returns userID's active party in a room, with the room (deleted or not: the
// service decides who reaches a deleted room) and the party's vessel bindings (one row per
// binding, one statement); a non-party (or a removed one) gets apperr.ErrNotFound, exactly
// as if the room did not exist.
func (q Q) MembershipOf(ctx context.Context, roomID, userID string) (Membership, error) {
	var m Membership
	var vessel sql.NullString
	scan := roomRow(&m.PartyID, &m.Role, &m.Email, &vessel)
	rows, err := q.query(ctx, `SELECT `+roomColumns+`, p.id, p.role, p.email, pv.vessel_id
		FROM parties p JOIN rooms r ON r.id = p.room_id
		LEFT JOIN party_vessels pv ON pv.party_id = p.id
		WHERE p.room_id = ? AND p.user_id = ? AND p.removed_at IS NULL
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

// Kept rooms, the states of ListKeptRooms.
const (
	KeptArchived = "archived" // archived and not deleted
	KeptDeleted  = "deleted"  // deleted (archived or not)
)

// ListKeptRooms returns the rooms that are only kept for the record, in one state (KeptArchived
// or KeptDeleted), newest first, one page of at most limit rooms with IDs below beforeID: the
// platform admins' list, which no membership filters.
func (q Q) ListKeptRooms(ctx context.Context, state, beforeID string, limit int) ([]Room, error) {
	query := `SELECT ` + roomColumns + ` FROM rooms r WHERE `
	switch state {
	case KeptArchived:
		query += `r.archived_at IS NOT NULL AND r.deleted_at IS NULL`
	case KeptDeleted:
		query += `r.deleted_at IS NOT NULL`
	default:
		return nil, fmt.Errorf("list kept rooms: unknown state %q", state)
	}
	var args []any
	if beforeID != "" {
		query += ` AND r.id < ?`
		args = append(args, beforeID)
	}
	query += ` ORDER BY r.id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list kept rooms: %w", err)
	}
	return collect(rows, "list kept rooms", roomRow())
}

// cargoClassOf is r's stored cargo class: oil when r states none.
func cargoClassOf(r Room) clearance.CargoClass {
	if r.CargoClass == "" {
		return clearance.CargoOil
	}
	return r.CargoClass
}

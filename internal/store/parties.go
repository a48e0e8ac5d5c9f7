package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/stshub/stshub/internal/clearance"
)

// Party is the domain's record (clearance.Party), read and written here.
type Party = clearance.Party

const partyColumns = `id, room_id, user_id, email, name, role, added_by, added_at, removed_at`

func partyRow() row[Party] {
	var p Party
	var userID sql.NullString
	var removed sql.NullTime
	return row[Party]{
		dest: []any{&p.ID, &p.RoomID, &userID, &p.Email, &p.Name, &p.Role, &p.AddedBy, &p.AddedAt, &removed},
		value: func() Party {
			out := p
			out.UserID = nullString(userID)
			out.AddedAt = p.AddedAt.UTC()
			out.RemovedAt = nullTime(removed)
			return out
		},
	}
}

// AddParty inserts a party; an e-mail already active in the room is apperr.ErrConflict.
func (q Q) AddParty(ctx context.Context, p Party) error {
	_, err := q.exec(ctx, `INSERT INTO parties (`+partyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
		p.ID, p.RoomID, p.UserID, p.Email, p.Name, p.Role, p.AddedBy, p.AddedAt)
	if err != nil {
		return fmt.Errorf("add party: %w", q.d.classify(err))
	}
	return nil
}

// ListParties returns a room's parties in the order they were added; removed ones too
// when includeRemoved is set.
func (q Q) ListParties(ctx context.Context, roomID string, includeRemoved bool) ([]Party, error) {
	query := `SELECT ` + partyColumns + ` FROM parties WHERE room_id = ?`
	if !includeRemoved {
		query += ` AND removed_at IS NULL`
	}
	rows, err := q.query(ctx, query+` ORDER BY added_at, id`, roomID)
	if err != nil {
		return nil, fmt.Errorf("list parties: %w", err)
	}
	return collect(rows, "list parties", partyRow())
}

// ActiveParty returns an active party of the room.
func (q Q) ActiveParty(ctx context.Context, roomID, partyID string) (Party, error) {
	p, err := partyRow().scan(q.queryRow(ctx, `SELECT `+partyColumns+` FROM parties WHERE room_id = ? AND id = ? AND removed_at IS NULL`, roomID, partyID))
	if err != nil {
		return Party{}, notFoundOr("party", err)
	}
	return p, nil
}

// SetPartyRole changes an active party's role.
func (q Q) SetPartyRole(ctx context.Context, roomID, partyID, role string) error {
	return q.execOne(ctx, "set party role", `UPDATE parties SET role = ? WHERE room_id = ? AND id = ? AND removed_at IS NULL`, role, roomID, partyID)
}

// RemoveParty ends an active party's access from now on.
func (q Q) RemoveParty(ctx context.Context, roomID, partyID string, now time.Time) error {
	return q.execOne(ctx, "remove party", `UPDATE parties SET removed_at = ? WHERE room_id = ? AND id = ? AND removed_at IS NULL`, now, roomID, partyID)
}

// CountActivePartiesWithRole counts a room's active parties whose role is one of roles.
func (q Q) CountActivePartiesWithRole(ctx context.Context, roomID string, roles []string) (int, error) {
	if len(roles) == 0 {
		return 0, nil
	}
	in, args := inList(roles)
	var n int
	err := q.queryRow(ctx, `SELECT COUNT(*) FROM parties WHERE room_id = ? AND removed_at IS NULL AND role IN `+in,
		append([]any{roomID}, args...)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count parties: %w", err)
	}
	return n, nil
}

// BindInvitations links the active parties invited under email to the user who now has it,
// and returns them.
func (q Q) BindInvitations(ctx context.Context, email, userID string) ([]Party, error) {
	rows, err := q.query(ctx, `SELECT `+partyColumns+` FROM parties WHERE email = ? AND user_id IS NULL AND removed_at IS NULL`, email)
	if err != nil {
		return nil, fmt.Errorf("bind invitations: %w", err)
	}
	parties, err := collect(rows, "bind invitations", partyRow())
	if err != nil {
		return nil, err
	}
	if _, err := q.exec(ctx, `UPDATE parties SET user_id = ? WHERE email = ? AND user_id IS NULL AND removed_at IS NULL`, userID, email); err != nil {
		return nil, fmt.Errorf("bind invitations: %w", err)
	}
	return parties, nil
}

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

// partiesWithVessels selects parties (alias p) with the vessels each is bound to: one row
// per binding, a party without any once (vessel_id NULL). collectParties folds the rows.
var partiesWithVessels = `SELECT ` + prefixed("p.", partyColumns) + `, pv.vessel_id
	FROM parties p LEFT JOIN party_vessels pv ON pv.party_id = p.id`

// collectParties reads partiesWithVessels rows ordered by party, one Party per party with
// its VesselIDs in the order of the rows.
func collectParties(rows *sql.Rows, what string) ([]Party, error) {
	defer rows.Close()
	var vessel sql.NullString
	pr := partyRow()
	dest := append(pr.dest, &vessel)
	var out []Party
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		p := pr.value()
		if n := len(out); n == 0 || out[n-1].ID != p.ID {
			p.VesselIDs = []string{}
			out = append(out, p)
		}
		if vessel.Valid {
			last := &out[len(out)-1]
			last.VesselIDs = append(last.VesselIDs, vessel.String)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// ListParties returns a room's parties in the order they were added, each with the
// vessels it is bound to; removed ones too when includeRemoved is set.
func (q Q) ListParties(ctx context.Context, roomID string, includeRemoved bool) ([]Party, error) {
	query := partiesWithVessels + ` WHERE p.room_id = ?`
	if !includeRemoved {
		query += ` AND p.removed_at IS NULL`
	}
	rows, err := q.query(ctx, query+` ORDER BY p.added_at, p.id, pv.bound_at, pv.vessel_id`, roomID)
	if err != nil {
		return nil, fmt.Errorf("list parties: %w", err)
	}
	return collectParties(rows, "list parties")
}

// ActiveParty returns an active party of the room with the vessels it is bound to.
func (q Q) ActiveParty(ctx context.Context, roomID, partyID string) (Party, error) {
	rows, err := q.query(ctx, partiesWithVessels+` WHERE p.room_id = ? AND p.id = ? AND p.removed_at IS NULL
		ORDER BY pv.bound_at, pv.vessel_id`, roomID, partyID)
	if err != nil {
		return Party{}, fmt.Errorf("read party: %w", err)
	}
	ps, err := collectParties(rows, "read party")
	if err != nil {
		return Party{}, err
	}
	if len(ps) == 0 {
		return Party{}, fmt.Errorf("party: %w", errNotFound)
	}
	return ps[0], nil
}

// SetPartyVessels makes vesselIDs (vessels of the room) the vessels a party is bound to.
func (q Q) SetPartyVessels(ctx context.Context, roomID, partyID string, vesselIDs []string, now time.Time) error {
	if _, err := q.exec(ctx, `DELETE FROM party_vessels WHERE room_id = ? AND party_id = ?`, roomID, partyID); err != nil {
		return fmt.Errorf("unbind party: %w", err)
	}
	for _, v := range vesselIDs {
		if err := q.BindPartyToVessel(ctx, roomID, partyID, v, now); err != nil {
			return err
		}
	}
	return nil
}

// BindPartyToVessel binds a party to one more vessel of its room; a binding that exists
// stays as it is.
func (q Q) BindPartyToVessel(ctx context.Context, roomID, partyID, vesselID string, now time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO party_vessels (party_id, vessel_id, room_id, bound_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (party_id, vessel_id) DO NOTHING`, partyID, vesselID, roomID, now)
	if err != nil {
		return fmt.Errorf("bind party to vessel: %w", q.d.classify(err))
	}
	return nil
}

// SetPartyRole changes an active party's role.
func (q Q) SetPartyRole(ctx context.Context, roomID, partyID, role string) error {
	return q.execOne(ctx, "set party role", `UPDATE parties SET role = ? WHERE room_id = ? AND id = ? AND removed_at IS NULL`, role, roomID, partyID)
}

// RemoveParty ends an active party's access from now on.
func (q Q) RemoveParty(ctx context.Context, roomID, partyID string, now time.Time) error {
	return q.execOne(ctx, "remove party", `UPDATE parties SET removed_at = ? WHERE room_id = ? AND id = ? AND removed_at IS NULL`, now, roomID, partyID)
}

// CountActivePartiesWithRole counts a room's active parties whose role is one of roles and
// whose invitation has been accepted (an account holds the e-mail).
func (q Q) CountActivePartiesWithRole(ctx context.Context, roomID string, roles []string) (int, error) {
	if len(roles) == 0 {
		return 0, nil
	}
	in, args := inList(roles)
	var n int
	err := q.queryRow(ctx, `SELECT COUNT(*) FROM parties WHERE room_id = ? AND removed_at IS NULL AND user_id IS NOT NULL AND role IN `+in,
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

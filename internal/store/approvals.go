package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/stshub/stshub/internal/clearance"
)

// Approval is the domain's record (clearance.Approval), read and written here.
type Approval = clearance.Approval

const approvalColumns = `a.id, a.room_id, a.party_id, a.user_id, a.email, a.role, a.status, a.notes, a.decided_at, a.superseded_at`

func approvalRow() row[Approval] {
	var a Approval
	var superseded, removed sql.NullTime
	return row[Approval]{
		dest: []any{&a.ID, &a.RoomID, &a.PartyID, &a.UserID, &a.Email, &a.Role, &a.Status, &a.Notes, &a.DecidedAt, &superseded, &removed},
		value: func() Approval {
			out := a
			out.DecidedAt = a.DecidedAt.UTC()
			out.SupersededAt = nullTime(superseded)
			out.PartyRemoved = removed.Valid
			return out
		},
	}
}

// RecordApproval supersedes the party's current decision (if any) and stores a new one.
func (q Q) RecordApproval(ctx context.Context, a Approval) error {
	if _, err := q.exec(ctx, `UPDATE approvals SET superseded_at = ? WHERE room_id = ? AND party_id = ? AND superseded_at IS NULL`, a.DecidedAt, a.RoomID, a.PartyID); err != nil {
		return fmt.Errorf("supersede approval: %w", err)
	}
	_, err := q.exec(ctx, `INSERT INTO approvals (id, room_id, party_id, user_id, email, role, status, notes, decided_at, superseded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`, a.ID, a.RoomID, a.PartyID, a.UserID, a.Email, a.Role, a.Status, a.Notes, a.DecidedAt)
	if err != nil {
		return fmt.Errorf("record approval: %w", q.d.classify(err))
	}
	return nil
}

// ListApprovals returns a room's sign-off history, newest first, each marked when its
// party has been removed.
func (q Q) ListApprovals(ctx context.Context, roomID string) ([]Approval, error) {
	rows, err := q.query(ctx, `SELECT `+approvalColumns+`, p.removed_at FROM approvals a JOIN parties p ON p.id = a.party_id
		WHERE a.room_id = ? ORDER BY a.decided_at DESC, a.id DESC`, roomID)
	if err != nil {
		return nil, fmt.Errorf("list approvals: %w", err)
	}
	return collect(rows, "list approvals", approvalRow())
}

// CurrentApprovals returns the current decision of each active party of a room.
func (q Q) CurrentApprovals(ctx context.Context, roomID string) ([]Approval, error) {
	rows, err := q.query(ctx, `SELECT `+approvalColumns+`, p.removed_at FROM approvals a JOIN parties p ON p.id = a.party_id
		WHERE a.room_id = ? AND a.superseded_at IS NULL AND p.removed_at IS NULL`, roomID)
	if err != nil {
		return nil, fmt.Errorf("current approvals: %w", err)
	}
	return collect(rows, "current approvals", approvalRow())
}

// Decision is an active party of a room with its current sign-off decision ("" when it has
// none).
type Decision struct {
	PartyID string
	Email   string
	Role    string
	Status  string
}

// CurrentDecisions returns every active party of a room with its current decision, in the
// order the parties were added: one read for what the clearance gate needs of sign-offs.
func (q Q) CurrentDecisions(ctx context.Context, roomID string) ([]Decision, error) {
	rows, err := q.query(ctx, `SELECT p.id, p.email, p.role, COALESCE(a.status, '') FROM parties p
		LEFT JOIN approvals a ON a.party_id = p.id AND a.superseded_at IS NULL
		WHERE p.room_id = ? AND p.removed_at IS NULL ORDER BY p.added_at, p.id`, roomID)
	if err != nil {
		return nil, fmt.Errorf("current decisions: %w", err)
	}
	var d Decision
	return collect(rows, "current decisions", row[Decision]{
		dest:  []any{&d.PartyID, &d.Email, &d.Role, &d.Status},
		value: func() Decision { return d },
	})
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Invitation is an invitation to a room (RoomID and PartyID set) or to the platform. Only
// the SHA-256 of its current link's token is stored.
type Invitation struct {
	ID         string
	Email      string
	RoomID     *string
	PartyID    *string
	Role       string // the party's room role, or the platform role given
	InvitedBy  string // the inviter's user ID ("" for the system)
	TokenHash  string
	CreatedAt  time.Time
	SentAt     time.Time
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	RevokedAt  *time.Time
}

const invitationColumns = `id, email, room_id, party_id, role, invited_by, token_hash, created_at, sent_at, expires_at, accepted_at, revoked_at`

func invitationRow() row[Invitation] {
	var v Invitation
	var room, party sql.NullString
	var accepted, revoked sql.NullTime
	return row[Invitation]{
		dest: []any{&v.ID, &v.Email, &room, &party, &v.Role, &v.InvitedBy, &v.TokenHash, &v.CreatedAt, &v.SentAt, &v.ExpiresAt, &accepted, &revoked},
		value: func() Invitation {
			out := v
			out.RoomID, out.PartyID = nullString(room), nullString(party)
			out.CreatedAt, out.SentAt, out.ExpiresAt = v.CreatedAt.UTC(), v.SentAt.UTC(), v.ExpiresAt.UTC()
			out.AcceptedAt, out.RevokedAt = nullTime(accepted), nullTime(revoked)
			return out
		},
	}
}

// CreateInvitation stores a new invitation.
func (q Q) CreateInvitation(ctx context.Context, v Invitation) error {
	_, err := q.exec(ctx, `INSERT INTO invitations (`+invitationColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
		v.ID, v.Email, v.RoomID, v.PartyID, v.Role, v.InvitedBy, v.TokenHash, v.CreatedAt, v.SentAt, v.ExpiresAt)
	if err != nil {
		return fmt.Errorf("create invitation: %w", q.d.classify(err))
	}
	return nil
}

// InvitationByToken finds the invitation whose current link has tokenHash.
func (q Q) InvitationByToken(ctx context.Context, tokenHash string) (Invitation, error) {
	v, err := invitationRow().scan(q.queryRow(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE token_hash = ?`, tokenHash))
	if err != nil {
		return Invitation{}, notFoundOr("invitation by token", err)
	}
	return v, nil
}

// InvitationByID finds an invitation of roomID ("" for the platform's) by ID.
func (q Q) InvitationByID(ctx context.Context, roomID, id string) (Invitation, error) {
	query, args := `SELECT `+invitationColumns+` FROM invitations WHERE id = ? AND room_id = ?`, []any{id, roomID}
	if roomID == "" {
		query, args = `SELECT `+invitationColumns+` FROM invitations WHERE id = ? AND room_id IS NULL`, []any{id}
	}
	v, err := invitationRow().scan(q.queryRow(ctx, query, args...))
	if err != nil {
		return Invitation{}, notFoundOr("invitation", err)
	}
	return v, nil
}

// OpenPlatformInvitation finds the newest platform invitation of email neither accepted
// nor withdrawn (it may have expired).
func (q Q) OpenPlatformInvitation(ctx context.Context, email string) (Invitation, error) {
	v, err := invitationRow().scan(q.queryRow(ctx, `SELECT `+invitationColumns+` FROM invitations
		WHERE email = ? AND room_id IS NULL AND accepted_at IS NULL AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1`, email))
	if err != nil {
		return Invitation{}, notFoundOr("open platform invitation", err)
	}
	return v, nil
}

// ListInvitations returns the invitations of roomID ("" for the platform's), newest first.
func (q Q) ListInvitations(ctx context.Context, roomID string) ([]Invitation, error) {
	query, args := `SELECT `+invitationColumns+` FROM invitations WHERE room_id = ? ORDER BY created_at DESC, id DESC`, []any{roomID}
	if roomID == "" {
		query, args = `SELECT `+invitationColumns+` FROM invitations WHERE room_id IS NULL ORDER BY created_at DESC, id DESC`, nil
	}
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list invitations: %w", err)
	}
	return collect(rows, "list invitations", invitationRow())
}

// RenewInvitation gives invitation id a new link (the old token stops working) and opens it
// again if it was withdrawn.
func (q Q) RenewInvitation(ctx context.Context, id, tokenHash string, sentAt, expiresAt time.Time) error {
	return q.execOne(ctx, "renew invitation", `UPDATE invitations SET token_hash = ?, sent_at = ?, expires_at = ?, revoked_at = NULL WHERE id = ?`,
		tokenHash, sentAt, expiresAt, id)
}

// RevokeInvitation withdraws invitation id.
func (q Q) RevokeInvitation(ctx context.Context, id string, now time.Time) error {
	return q.execOne(ctx, "revoke invitation", `UPDATE invitations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL AND accepted_at IS NULL`, now, id)
}

// AcceptInvitations marks every open invitation of email accepted (the account now exists,
// so none of its links is needed any more) and says how many.
func (q Q) AcceptInvitations(ctx context.Context, email string, now time.Time) (int64, error) {
	res, err := q.exec(ctx, `UPDATE invitations SET accepted_at = ? WHERE email = ? AND accepted_at IS NULL AND revoked_at IS NULL`, now, email)
	if err != nil {
		return 0, fmt.Errorf("accept invitations: %w", err)
	}
	return res.RowsAffected()
}

// PasswordReset is a password reset link of one account; only its token's SHA-256 is stored.
type PasswordReset struct {
	TokenHash string
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// CreatePasswordReset stores a reset link.
func (q Q) CreatePasswordReset(ctx context.Context, r PasswordReset) error {
	_, err := q.exec(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, NULL)`,
		r.TokenHash, r.UserID, r.CreatedAt, r.ExpiresAt)
	if err != nil {
		return fmt.Errorf("create password reset: %w", err)
	}
	return nil
}

// PasswordResetByToken finds a reset link by its token's hash.
func (q Q) PasswordResetByToken(ctx context.Context, tokenHash string) (PasswordReset, error) {
	var r PasswordReset
	var used sql.NullTime
	err := q.queryRow(ctx, `SELECT token_hash, user_id, created_at, expires_at, used_at FROM password_resets WHERE token_hash = ?`, tokenHash).
		Scan(&r.TokenHash, &r.UserID, &r.CreatedAt, &r.ExpiresAt, &used)
	if err != nil {
		return PasswordReset{}, notFoundOr("password reset", err)
	}
	r.CreatedAt, r.ExpiresAt, r.UsedAt = r.CreatedAt.UTC(), r.ExpiresAt.UTC(), nullTime(used)
	return r, nil
}

// ClaimPasswordReset marks the reset link of tokenHash used and reports whether it was
// unused until now: of two requests racing with one link, exactly one claims it (the
// second UPDATE waits for the first's row lock, then finds it used).
func (q Q) ClaimPasswordReset(ctx context.Context, tokenHash string, now time.Time) (bool, error) {
	res, err := q.exec(ctx, `UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, now, tokenHash)
	if err != nil {
		return false, fmt.Errorf("claim password reset: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UsePasswordResets marks every unused reset link of userID used (one was, or the password
// changed otherwise, or a newer link replaces them).
func (q Q) UsePasswordResets(ctx context.Context, userID string, now time.Time) error {
	if _, err := q.exec(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, now, userID); err != nil {
		return fmt.Errorf("use password resets: %w", err)
	}
	return nil
}

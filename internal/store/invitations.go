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
	ID          string
	Email       string
	RoomID      *string
	PartyID     *string
	Role        string // the party's current room role, or the platform role given
	InvitedBy   string // the inviter's user ID ("" for the system)
	TokenHash   string
	CreatedAt   time.Time
	SentAt      time.Time
	ExpiresAt   time.Time
	AcceptedAt  *time.Time
	RevokedAt   *time.Time
	LinkShownTo *string // who was shown the current link (e-mail off); nil when only e-mailed

	// Read with the invitation, not stored with it.
	RoomTitle      string     // the room's title; "" for the platform
	PartyRemovedAt *time.Time // when the party was removed from the room, if it was
}

// invitationSelect reads invitations (alias i) with their party's current role and state
// and their room's title.
const invitationSelect = `SELECT i.id, i.email, i.room_id, i.party_id, COALESCE(p.role, i.role), i.invited_by, i.token_hash,
	i.created_at, i.sent_at, i.expires_at, i.accepted_at, i.revoked_at, i.link_shown_to, p.removed_at, COALESCE(r.title, '')
	FROM invitations i LEFT JOIN parties p ON p.id = i.party_id LEFT JOIN rooms r ON r.id = i.room_id`

func invitationRow() row[Invitation] {
	var v Invitation
	var room, party, shownTo sql.NullString
	var accepted, revoked, removed sql.NullTime
	return row[Invitation]{
		dest: []any{&v.ID, &v.Email, &room, &party, &v.Role, &v.InvitedBy, &v.TokenHash, &v.CreatedAt, &v.SentAt, &v.ExpiresAt, &accepted, &revoked,
			&shownTo, &removed, &v.RoomTitle},
		value: func() Invitation {
			out := v
			out.RoomID, out.PartyID, out.LinkShownTo = nullString(room), nullString(party), nullString(shownTo)
			out.CreatedAt, out.SentAt, out.ExpiresAt = v.CreatedAt.UTC(), v.SentAt.UTC(), v.ExpiresAt.UTC()
			out.AcceptedAt, out.RevokedAt, out.PartyRemovedAt = nullTime(accepted), nullTime(revoked), nullTime(removed)
			return out
		},
	}
}

// CreateInvitation stores a new invitation. A second open invitation to the platform for
// one e-mail is apperr.ErrConflict (a unique index).
func (q Q) CreateInvitation(ctx context.Context, v Invitation) error {
	_, err := q.exec(ctx, `INSERT INTO invitations (id, email, room_id, party_id, role, invited_by, token_hash, created_at, sent_at, expires_at,
		accepted_at, revoked_at, link_shown_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)`,
		v.ID, v.Email, v.RoomID, v.PartyID, v.Role, v.InvitedBy, v.TokenHash, v.CreatedAt, v.SentAt, v.ExpiresAt, v.LinkShownTo)
	if err != nil {
		return fmt.Errorf("create invitation: %w", q.d.classify(err))
	}
	return nil
}

// InvitationByToken finds the invitation whose current link has tokenHash.
func (q Q) InvitationByToken(ctx context.Context, tokenHash string) (Invitation, error) {
	v, err := invitationRow().scan(q.queryRow(ctx, invitationSelect+` WHERE i.token_hash = ?`, tokenHash))
	if err != nil {
		return Invitation{}, notFoundOr("invitation by token", err)
	}
	return v, nil
}

// InvitationByID finds an invitation of roomID ("" for the platform's) by ID.
func (q Q) InvitationByID(ctx context.Context, roomID, id string) (Invitation, error) {
	query, args := invitationSelect+` WHERE i.id = ? AND i.room_id = ?`, []any{id, roomID}
	if roomID == "" {
		query, args = invitationSelect+` WHERE i.id = ? AND i.room_id IS NULL`, []any{id}
	}
	v, err := invitationRow().scan(q.queryRow(ctx, query, args...))
	if err != nil {
		return Invitation{}, notFoundOr("invitation", err)
	}
	return v, nil
}

// AnyInvitationByID finds an invitation by ID, to a room or to the platform (for admins).
func (q Q) AnyInvitationByID(ctx context.Context, id string) (Invitation, error) {
	v, err := invitationRow().scan(q.queryRow(ctx, invitationSelect+` WHERE i.id = ?`, id))
	if err != nil {
		return Invitation{}, notFoundOr("invitation", err)
	}
	return v, nil
}

// OpenPlatformInvitation finds the platform invitation of email neither accepted nor
// withdrawn (it may have expired); there is at most one.
func (q Q) OpenPlatformInvitation(ctx context.Context, email string) (Invitation, error) {
	v, err := invitationRow().scan(q.queryRow(ctx, invitationSelect+`
		WHERE i.email = ? AND i.room_id IS NULL AND i.accepted_at IS NULL AND i.revoked_at IS NULL ORDER BY i.created_at DESC LIMIT 1`, email))
	if err != nil {
		return Invitation{}, notFoundOr("open platform invitation", err)
	}
	return v, nil
}

// ListInvitations returns the invitations of roomID ("" for the platform's), newest first.
func (q Q) ListInvitations(ctx context.Context, roomID string) ([]Invitation, error) {
	query, args := invitationSelect+` WHERE i.room_id = ? ORDER BY i.created_at DESC, i.id DESC`, []any{roomID}
	if roomID == "" {
		query, args = invitationSelect+` WHERE i.room_id IS NULL ORDER BY i.created_at DESC, i.id DESC`, nil
	}
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list invitations: %w", err)
	}
	return collect(rows, "list invitations", invitationRow())
}

// OpenRoomInvitations returns up to limit invitations of every room neither accepted nor
// withdrawn whose party is still in its room, which is neither archived nor deleted (they
// may have expired), newest first.
func (q Q) OpenRoomInvitations(ctx context.Context, limit int) ([]Invitation, error) {
	rows, err := q.query(ctx, invitationSelect+` WHERE i.room_id IS NOT NULL AND i.accepted_at IS NULL AND i.revoked_at IS NULL
		AND p.removed_at IS NULL AND r.archived_at IS NULL AND r.deleted_at IS NULL ORDER BY i.created_at DESC, i.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("open room invitations: %w", err)
	}
	return collect(rows, "open room invitations", invitationRow())
}

// RenewInvitation gives invitation id a new link (the old token stops working), noting who
// was shown it (nil: nobody), and opens it again if it was withdrawn.
func (q Q) RenewInvitation(ctx context.Context, id, tokenHash string, sentAt, expiresAt time.Time, shownTo *string) error {
	return q.execOne(ctx, "renew invitation", `UPDATE invitations SET token_hash = ?, sent_at = ?, expires_at = ?, revoked_at = NULL,
		link_shown_to = ? WHERE id = ?`, tokenHash, sentAt, expiresAt, shownTo, id)
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

// AcceptInvitation marks invitation id accepted and binds its party, if it is still an
// unbound party of its room, to userID; it returns the party bound (none for the platform).
func (q Q) AcceptInvitation(ctx context.Context, id, userID string, now time.Time) ([]Party, error) {
	if err := q.execOne(ctx, "accept invitation", `UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL`, now, id); err != nil {
		return nil, err
	}
	const which = ` WHERE id = (SELECT party_id FROM invitations WHERE id = ?) AND user_id IS NULL AND removed_at IS NULL`
	rows, err := q.query(ctx, `SELECT `+partyColumns+` FROM parties`+which, id)
	if err != nil {
		return nil, fmt.Errorf("accept invitation: %w", err)
	}
	parties, err := collect(rows, "accept invitation", partyRow())
	if err != nil {
		return nil, err
	}
	if _, err := q.exec(ctx, `UPDATE parties SET user_id = ?`+which, userID, id); err != nil {
		return nil, fmt.Errorf("accept invitation: %w", err)
	}
	return parties, nil
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

// LiveResets counts the reset links of userID neither used nor expired at now, and says
// when the newest of them was made (zero without any).
func (q Q) LiveResets(ctx context.Context, userID string, now time.Time) (int, time.Time, error) {
	rows, err := q.query(ctx, `SELECT created_at FROM password_resets WHERE user_id = ? AND used_at IS NULL AND expires_at > ?`, userID, now)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("live password resets: %w", err)
	}
	defer rows.Close()
	var n int
	var newest time.Time
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			return 0, time.Time{}, fmt.Errorf("live password resets: %w", err)
		}
		n++
		if at.After(newest) {
			newest = at.UTC()
		}
	}
	if err := rows.Err(); err != nil {
		return 0, time.Time{}, fmt.Errorf("live password resets: %w", err)
	}
	return n, newest, nil
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
// changed otherwise, or the account was disabled).
func (q Q) UsePasswordResets(ctx context.Context, userID string, now time.Time) error {
	if _, err := q.exec(ctx, `UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL`, now, userID); err != nil {
		return fmt.Errorf("use password resets: %w", err)
	}
	return nil
}

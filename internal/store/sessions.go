package store

import (
	"context"
	"fmt"
	"time"
)

// Session is a signed-in login. Only the SHA-256 of its token is stored.
type Session struct {
	TokenHash string
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CreateSession stores a new session.
func (q Q) CreateSession(ctx context.Context, s Session) error {
	_, err := q.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		s.TokenHash, s.UserID, s.CreatedAt, s.ExpiresAt)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionUser returns the live session with the given token hash and its user.
// An unknown or expired session, or one of a disabled account, is apperr.ErrNotFound.
func (q Q) SessionUser(ctx context.Context, tokenHash string, now time.Time) (Session, User, error) {
	var s Session
	var u User
	err := q.queryRow(ctx, `SELECT s.token_hash, s.user_id, s.created_at, s.expires_at,
		u.id, u.email, u.name, u.role, u.password_hash, u.created_at, u.updated_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`, tokenHash, now).
		Scan(&s.TokenHash, &s.UserID, &s.CreatedAt, &s.ExpiresAt,
			&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.CreatedAt, &u.UpdatedAt)
	if err != nil {
		return Session{}, User{}, notFoundOr("session", err)
	}
	s.CreatedAt, s.ExpiresAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC()
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return s, u, nil
}

// DeleteSession revokes one session; an unknown one is apperr.ErrNotFound.
func (q Q) DeleteSession(ctx context.Context, tokenHash string) error {
	return q.execOne(ctx, "delete session", `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
}

// DeleteUserSessions revokes every session of a user (after a password reset).
func (q Q) DeleteUserSessions(ctx context.Context, userID string) error {
	if _, err := q.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("delete user sessions: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions that expired before now and says how many.
func (q Q) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := q.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, now)
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}

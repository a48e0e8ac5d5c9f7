package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/live"
	"github.com/stshub/stshub/internal/reqinfo"
	"github.com/stshub/stshub/internal/secret"
	"github.com/stshub/stshub/internal/store"
)

// Login is a successful sign-in: the token is shown to the client once and never stored.
type Login struct {
	Token     string
	ExpiresAt time.Time
	User      authz.User
}

// errBadCredentials is the one answer for an unknown e-mail and a wrong password.
var errBadCredentials = fmt.Errorf("invalid e-mail or password: %w", apperr.ErrUnauthenticated)

// normalizeEmail lower-cases and trims an address and checks that it is one.
func normalizeEmail(s string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(s))
	if e == "" {
		return "", errors.New("is required")
	}
	if len(e) > 254 || !utf8.ValidString(e) {
		return "", errors.New("must be a valid e-mail address")
	}
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e {
		return "", errors.New("must be a valid e-mail address")
	}
	return e, nil
}

// Login checks an e-mail and password and opens a session. Unknown e-mail and wrong
// password get the same error after the same work (one argon2id hash). Attempts are rate
// limited per account and client address, per address and per account (loginLimiter),
// counted before the password is checked; failures are recorded in the platform trail.
func (s *Service) Login(ctx context.Context, email, password string) (Login, error) {
	email, malformed := normalizeEmail(email)
	if malformed != nil {
		// SECURITY: no account has such an e-mail; nothing an unauthenticated caller sent
		// is looked up, kept in the limiter or written to the trail.
		return Login{}, errBadCredentials
	}
	ip := reqinfo.From(ctx).IP
	// SECURITY: the attempt is counted before its password is checked (loginLimiter).
	if wait := s.limiter.attempt(email, ip); wait > 0 {
		return Login{}, &apperr.RateLimitedError{RetryAfter: wait}
	}
	user, err := s.db.Read().UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return Login{}, err
	}
	hash := s.dummyHash
	if err == nil {
		hash = user.PasswordHash
	}
	var ok bool
	var checkErr error
	if limitErr := s.limiter.check(ctx, func() { ok, checkErr = secret.CheckPassword(password, hash) }); limitErr != nil {
		return Login{}, limitErr
	}
	if err != nil || !ok || checkErr != nil {
		failed := Actor{UserID: user.ID, Email: email}
		if recErr := s.db.InTx(ctx, func(tx store.Q) error {
			return s.record(ctx, tx, failed, event{scope: audit.PlatformScope, action: audit.ActionLoginFailed,
				targetType: "user", targetID: user.ID, meta: map[string]any{"email": email, "known_user": err == nil}})
		}); recErr != nil {
			return Login{}, recErr
		}
		if checkErr != nil {
			s.log.ErrorContext(ctx, "stored password hash is malformed", "user_id", user.ID)
		}
		return Login{}, errBadCredentials
	}
	if user.DisabledAt != nil {
		// SECURITY: told only after a correct password, so the answer reveals nothing to a guesser.
		if recErr := s.db.InTx(ctx, func(tx store.Q) error {
			return s.record(ctx, tx, actorOf(user), event{scope: audit.PlatformScope, action: audit.ActionLoginFailed,
				targetType: "user", targetID: user.ID, meta: map[string]any{"email": email, "known_user": true, "disabled": true}})
		}); recErr != nil {
			return Login{}, recErr
		}
		return Login{}, ErrAccountDisabled
	}
	s.limiter.succeeded(email, ip)
	var l Login
	err = s.db.InTx(ctx, func(tx store.Q) error {
		var err error
		l, err = s.openSession(ctx, tx, user)
		return err
	})
	return l, err
}

// ErrAccountDisabled is the answer to the correct password of a disabled account.
var ErrAccountDisabled = fmt.Errorf("this account is disabled; ask your platform administrator to enable it: %w", apperr.ErrUnauthenticated)

// openSession signs user in, in tx: a new session and its login_succeeded entry.
func (s *Service) openSession(ctx context.Context, tx store.Q, user authz.User) (Login, error) {
	token, err := secret.NewToken()
	if err != nil {
		return Login{}, err
	}
	now := s.now()
	sess := store.Session{TokenHash: secret.HashToken(token), UserID: user.ID, CreatedAt: now, ExpiresAt: now.Add(s.opts.SessionTTL)}
	if err := tx.CreateSession(ctx, sess); err != nil {
		return Login{}, err
	}
	if err := s.record(ctx, tx, actorOf(user), event{scope: audit.PlatformScope, action: audit.ActionLoginSucceeded,
		targetType: "user", targetID: user.ID, meta: map[string]any{"expires_at": sess.ExpiresAt.Format(time.RFC3339)}}); err != nil {
		return Login{}, err
	}
	return Login{Token: token, ExpiresAt: sess.ExpiresAt, User: user}, nil
}

// Authenticate returns the actor holding a live session token.
func (s *Service) Authenticate(ctx context.Context, token string) (Actor, error) {
	if token == "" {
		return Actor{}, fmt.Errorf("no credentials: %w", apperr.ErrUnauthenticated)
	}
	_, user, err := s.db.Read().SessionUser(ctx, secret.HashToken(token), s.now())
	if errors.Is(err, apperr.ErrNotFound) {
		return Actor{}, fmt.Errorf("invalid or expired token: %w", apperr.ErrUnauthenticated)
	}
	if err != nil {
		return Actor{}, err
	}
	return actorOf(user), nil
}

// Logout revokes the session of token at once: after commit, its open live streams end on
// every node.
func (s *Service) Logout(ctx context.Context, actor Actor, token string) error {
	hash := secret.HashToken(token)
	return s.db.InTx(ctx, func(tx store.Q) error {
		if err := tx.DeleteSession(ctx, hash); err != nil {
			if errors.Is(err, apperr.ErrNotFound) {
				return fmt.Errorf("session already ended: %w", apperr.ErrUnauthenticated)
			}
			return err
		}
		if s.opts.Events != nil {
			userID := actor.UserID
			tx.AfterCommit(func() { s.opts.Events.EndSession(userID, liveSessionID(hash)) })
		}
		return s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: audit.ActionLogout, targetType: "user", targetID: actor.UserID})
	})
}

// endUserSessions revokes every session of userID in tx; after commit, their open live
// streams end on every node. A password reset or change and the disabling of an account
// call it in their transaction, which records why.
func (s *Service) endUserSessions(ctx context.Context, tx store.Q, userID string) error {
	if err := tx.DeleteUserSessions(ctx, userID); err != nil {
		return err
	}
	if s.opts.Events != nil {
		tx.AfterCommit(func() { s.opts.Events.EndUserSessions(userID) })
	}
	return nil
}

// LiveSession is the live session of token, for a live stream (live.Broker.Subscribe):
// its user, an ID naming it between nodes, and its expiry. An unknown or expired token is
// apperr.ErrUnauthenticated.
func (s *Service) LiveSession(ctx context.Context, token string) (live.Session, error) {
	if token == "" {
		return live.Session{}, fmt.Errorf("no credentials: %w", apperr.ErrUnauthenticated)
	}
	hash := secret.HashToken(token)
	sess, _, err := s.db.Read().SessionUser(ctx, hash, s.now())
	if errors.Is(err, apperr.ErrNotFound) {
		return live.Session{}, fmt.Errorf("invalid or expired token: %w", apperr.ErrUnauthenticated)
	}
	if err != nil {
		return live.Session{}, err
	}
	return live.Session{UserID: sess.UserID, ID: liveSessionID(hash), ExpiresAt: sess.ExpiresAt}, nil
}

// liveSessionID names a session between nodes: derived from the token's stored hash, it is
// not that hash, which looks a session up (NOTIFY payloads are visible to every database
// session listening).
func liveSessionID(tokenHash string) string {
	sum := sha256.Sum256([]byte("stshub-live-session:" + tokenHash))
	return hex.EncodeToString(sum[:16])
}

// PurgeExpiredSessions deletes sessions past their expiry and says how many went.
func (s *Service) PurgeExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.InTx(ctx, func(tx store.Q) error {
		var err error
		n, err = tx.DeleteExpiredSessions(ctx, s.now())
		return err
	})
	return n, err
}

func actorOf(u authz.User) Actor {
	return Actor{UserID: u.ID, Email: u.Email, Name: u.Name, PlatformRole: u.Role}
}

// Me returns the signed-in user's account.
func (s *Service) Me(ctx context.Context, actor Actor) (authz.User, error) {
	return s.db.Read().UserByID(ctx, actor.UserID)
}

package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/reqinfo"
	"github.com/stshub/stshub/internal/secret"
	"github.com/stshub/stshub/internal/store"
)

// Accounts people manage (issue 22): their own name and password, a forgotten password
// by e-mail, and the admins' changes to an account (disable, enable, send a reset link,
// platform role). Every change is in the platform trail. A password follows
// secret.CheckPasswordPolicy; a reset link follows authz.LinkUsable and authz.LinkTTL.

// ResetPath is the web page a password reset link leads to (the token in the query string).
const ResetPath = "/password-reset"

// checkName trims a display name and checks its length.
func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", apperr.Invalid("name", "is required")
	case len([]rune(name)) > 200:
		return "", apperr.Invalid("name", "must be at most 200 characters")
	}
	return name, nil
}

// UpdateProfile changes the signed-in user's display name.
func (s *Service) UpdateProfile(ctx context.Context, actor Actor, name string) (authz.User, error) {
	name, err := checkName(name)
	if err != nil {
		return authz.User{}, err
	}
	var u authz.User
	err = s.db.InTx(ctx, func(tx store.Q) error {
		if u, err = tx.UserByID(ctx, actor.UserID); err != nil {
			return err
		}
		if u.Name == name {
			return nil
		}
		now := s.now()
		if err := tx.SetUserName(ctx, u.ID, name, now); err != nil {
			return err
		}
		changes := audit.Changes(map[string]any{"name": u.Name}, map[string]any{"name": name})
		u.Name, u.UpdatedAt = name, now
		return s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: audit.ActionUserUpdated, targetType: "user", targetID: u.ID,
			meta: map[string]any{"email": u.Email, "changes": changes}})
	})
	return u, err
}

// passwordChangedMail is the notice that an account's password was changed.
type passwordChangedMail struct {
	Name   string
	Email  string
	At     time.Time
	How    string // "changed in your account" or "reset with a link sent to this address"
	SignIn string // the sign-in page
}

// setPassword sets user's new password hash in tx and ends every session of the account
// and its open reset links; the account's address is told.
func (s *Service) setPassword(ctx context.Context, tx store.Q, u authz.User, hash, how string) error {
	now := s.now()
	if err := tx.SetUserPassword(ctx, u.ID, hash, now); err != nil {
		return err
	}
	if err := tx.UsePasswordResets(ctx, u.ID, now); err != nil {
		return err
	}
	if err := s.endUserSessions(ctx, tx, u.ID); err != nil {
		return err
	}
	return s.queueMail(ctx, tx, "password_changed", u.Email, passwordChangedMail{Name: u.Name, Email: u.Email, At: now, How: how,
		SignIn: s.link("/login", nil)})
}

// hashNewPassword checks a new password against the policy (naming field) and hashes it in
// one of the limiter's slots.
func (s *Service) hashNewPassword(ctx context.Context, field, password string) (string, error) {
	if err := secret.CheckPasswordPolicy(password); err != nil {
		return "", apperr.Invalid(field, err.Error())
	}
	var hash string
	var hashErr error
	if err := s.limiter.check(ctx, func() { hash, hashErr = secret.HashPassword(password, s.opts.PasswordParams) }); err != nil {
		return "", err
	}
	return hash, hashErr
}

// ChangePassword changes the signed-in user's password; the current one is required. Every
// session of the account ends, the one this is done in too, and a new one is returned in
// its place, so the caller stays signed in and nobody else does. Attempts are rate limited
// as sign-ins are.
func (s *Service) ChangePassword(ctx context.Context, actor Actor, current, password string) (Login, error) {
	key := "password:" + actor.UserID
	ip := reqinfo.From(ctx).IP
	if wait := s.limiter.attempt(key, ip); wait > 0 {
		return Login{}, &apperr.RateLimitedError{RetryAfter: wait}
	}
	u, err := s.db.Read().UserByID(ctx, actor.UserID)
	if err != nil {
		return Login{}, err
	}
	var ok bool
	var checkErr error
	if err := s.limiter.check(ctx, func() { ok, checkErr = secret.CheckPassword(current, u.PasswordHash) }); err != nil {
		return Login{}, err
	}
	if !ok || checkErr != nil {
		return Login{}, apperr.Invalid("current_password", "is not your current password")
	}
	if current == password {
		return Login{}, apperr.Invalid("new_password", "must differ from the current password")
	}
	hash, err := s.hashNewPassword(ctx, "new_password", password)
	if err != nil {
		return Login{}, err
	}
	s.limiter.succeeded(key, ip)
	var l Login
	err = s.db.InTx(ctx, func(tx store.Q) error {
		if err := s.setPassword(ctx, tx, u, hash, "changed in your account"); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: audit.ActionPasswordChanged, targetType: "user",
			targetID: u.ID, meta: map[string]any{"email": u.Email, "sessions_ended": true}}); err != nil {
			return err
		}
		l, err = s.openSession(ctx, tx, u)
		return err
	})
	return l, err
}

// resetMail is what the password reset e-mail says.
type resetMail struct {
	Name      string
	Email     string
	Link      string
	ExpiresAt time.Time
	ByAdmin   bool
}

// The pace of reset links one account is sent on request (resetWanted): a flood of
// requests for someone's e-mail gives them a few mails, and never spoils a link they have.
const (
	resetQuiet    = 5 * time.Minute // no new link while one is this young
	maxLiveResets = 3               // nor while this many work
)

// resetWanted says whether a requested reset link is made and mailed, for an account with
// live links that work (newest made at newest) at now: not while one was made less than
// resetQuiet ago, nor while maxLiveResets work. The request is answered alike either way.
func resetWanted(live int, newest, now time.Time) bool {
	return live == 0 || (live < maxLiveResets && !now.Before(newest.Add(resetQuiet)))
}

// sendReset makes a reset link for u in tx and queues its e-mail; earlier links keep
// working until they expire or one is used. It returns the link when e-mail is off.
func (s *Service) sendReset(ctx context.Context, tx store.Q, u authz.User, byAdmin bool) (string, error) {
	_, hash, link, err := s.newLink(ResetPath)
	if err != nil {
		return "", err
	}
	now := s.now()
	r := store.PasswordReset{TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(authz.LinkTTL(authz.ResetLink))}
	if err := tx.CreatePasswordReset(ctx, r); err != nil {
		return "", err
	}
	if err := s.queueMail(ctx, tx, "password_reset", u.Email, resetMail{Name: u.Name, Email: u.Email, Link: link, ExpiresAt: r.ExpiresAt, ByAdmin: byAdmin}); err != nil {
		return "", err
	}
	if s.MailEnabled() {
		return "", nil
	}
	return link, nil
}

// RequestPasswordReset e-mails a reset link to the account of email, if there is one that
// is enabled. The answer is the same whatever the e-mail — no error, after the same work (a
// transaction writing the request to the platform trail) — so it tells nobody which
// addresses have accounts. Requests are rate limited per address and e-mail, and an account
// is sent a new link only at the pace of resetWanted; a link made here is never shown, only
// e-mailed.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	email, malformed := normalizeEmail(email)
	if malformed != nil {
		return nil // no account has it; nothing an anonymous caller sent is kept
	}
	if wait := s.limiter.attempt("reset:"+email, reqinfo.From(ctx).IP); wait > 0 {
		return &apperr.RateLimitedError{RetryAfter: wait}
	}
	u, err := s.db.Read().UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return err
	}
	known := err == nil && u.DisabledAt == nil
	return s.db.InTx(ctx, func(tx store.Q) error {
		sent := known
		if known {
			live, newest, err := tx.LiveResets(ctx, u.ID, s.now())
			if err != nil {
				return err
			}
			sent = resetWanted(live, newest, s.now())
		}
		if sent {
			if _, err := s.sendReset(ctx, tx, u, false); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, Actor{UserID: u.ID, Email: email}, event{scope: audit.PlatformScope, action: audit.ActionPasswordResetRequested,
			targetType: "user", targetID: u.ID, meta: map[string]any{"email": email, "link_sent": sent, "by_admin": false}})
	})
}

// usableReset reads the reset link of token and says why it cannot be used now.
func (s *Service) usableReset(ctx context.Context, q store.Q, token string) (store.PasswordReset, authz.User, error) {
	r, err := q.PasswordResetByToken(ctx, secret.HashToken(token))
	if errors.Is(err, apperr.ErrNotFound) {
		return store.PasswordReset{}, authz.User{}, authz.ErrUnknownLink
	}
	if err != nil {
		return store.PasswordReset{}, authz.User{}, err
	}
	if err := authz.LinkUsable(authz.Link{Kind: authz.ResetLink, ExpiresAt: r.ExpiresAt, UsedAt: r.UsedAt}, s.now()); err != nil {
		return store.PasswordReset{}, authz.User{}, err
	}
	u, err := q.UserByID(ctx, r.UserID)
	if err != nil {
		return store.PasswordReset{}, authz.User{}, err
	}
	if u.DisabledAt != nil {
		return store.PasswordReset{}, authz.User{}, fmt.Errorf("this account is disabled; ask your platform administrator: %w", apperr.ErrNotFound)
	}
	return r, u, nil
}

// CheckResetLink says whose password the reset link of token sets (its e-mail), or why it
// cannot be used. Refused tokens are rate limited (refusedLink).
func (s *Service) CheckResetLink(ctx context.Context, token string) (string, error) {
	_, u, err := s.usableReset(ctx, s.db.Read(), token)
	if err != nil {
		return "", s.refusedLink(ctx, secret.HashToken(token), err)
	}
	return u.Email, nil
}

// ResetPassword sets a new password with the reset link of token and signs the account in;
// every other session of it ends. The token is checked before any password work.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (Login, error) {
	hash := secret.HashToken(token)
	if _, _, err := s.usableReset(ctx, s.db.Read(), token); err != nil {
		return Login{}, s.refusedLink(ctx, hash, err)
	}
	pwHash, err := s.hashNewPassword(ctx, "password", password)
	if err != nil {
		return Login{}, err
	}
	var l Login
	err = s.db.InTx(ctx, func(tx store.Q) error {
		r, u, err := s.usableReset(ctx, tx, token) // again, and claimed, so a link works once
		if err != nil {
			return err
		}
		claimed, err := tx.ClaimPasswordReset(ctx, hash, s.now())
		if err != nil {
			return err
		}
		if !claimed { // another request used it meanwhile: refused as a used link is
			now := s.now()
			return authz.LinkUsable(authz.Link{Kind: authz.ResetLink, ExpiresAt: r.ExpiresAt, UsedAt: &now}, now)
		}
		if err := s.setPassword(ctx, tx, u, pwHash, "reset with a link sent to this address"); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actorOf(u), event{scope: audit.PlatformScope, action: audit.ActionPasswordReset, targetType: "user",
			targetID: u.ID, meta: map[string]any{"email": u.Email, "via": "reset link", "sessions_ended": true}}); err != nil {
			return err
		}
		l, err = s.openSession(ctx, tx, u)
		return err
	})
	return l, err
}

// adminUser reads user id for a platform admin's change.
func adminUser(ctx context.Context, tx store.Q, actor Actor, id string) (authz.User, error) {
	// SECURITY: only platform admins manage accounts.
	if !actor.IsAdmin() {
		return authz.User{}, fmt.Errorf("only admins manage accounts: %w", apperr.ErrForbidden)
	}
	return tx.UserByID(ctx, id)
}

// SendPasswordReset e-mails user id a reset link (platform admins only); the password
// stays until the link is used. It returns the link when e-mail is off, for the admin to
// pass on.
func (s *Service) SendPasswordReset(ctx context.Context, actor Actor, id string) (string, error) {
	var link string
	err := s.db.InTx(ctx, func(tx store.Q) error {
		u, err := adminUser(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if u.DisabledAt != nil {
			return fmt.Errorf("%s is disabled: enable the account before sending it a reset link: %w", u.Email, apperr.ErrConflict)
		}
		if link, err = s.sendReset(ctx, tx, u, true); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: audit.ActionPasswordResetRequested, targetType: "user",
			targetID: u.ID, meta: map[string]any{"email": u.Email, "link_sent": true, "by_admin": true, "emailed": s.MailEnabled()}})
	})
	return link, err
}

// keepsAnAdmin refuses a change by actor to u that could leave the platform without an
// enabled admin. The enabled admins are read again and locked until commit: of two admins
// demoting or disabling each other at once, the second finds that it is no admin any more.
func keepsAnAdmin(ctx context.Context, tx store.Q, actor Actor, u authz.User, patch UserPatch) error {
	demotes := patch.Role != nil && *patch.Role != authz.PlatformAdmin && u.Role == authz.PlatformAdmin
	disables := patch.Disabled != nil && *patch.Disabled && u.DisabledAt == nil
	if !demotes && !disables {
		return nil
	}
	admins, err := tx.LockEnabledAdmins(ctx)
	if err != nil {
		return err
	}
	// SECURITY: the actor, not the target, must be an enabled admin after the change, so one
	// remains.
	if !slices.Contains(admins, actor.UserID) {
		return fmt.Errorf("this change could leave the platform without an enabled admin (your own admin rights changed meanwhile): "+
			"nothing was changed: %w", apperr.ErrConflict)
	}
	return nil
}

// UserPatch holds an admin's change to an account; nil leaves it as it is.
type UserPatch struct {
	Role     *string
	Disabled *bool
}

// UpdateUser changes an account's platform role, disables or enables it (platform admins
// only). Disabling ends every session of the account at once, on every node. An admin
// changes neither their own role nor their own state, and is still an enabled admin when
// the change commits (keepsAnAdmin), so the platform keeps an admin.
func (s *Service) UpdateUser(ctx context.Context, actor Actor, id string, patch UserPatch) (authz.User, error) {
	// SECURITY: permission first; a non-admin learns nothing of the body's faults.
	if !actor.IsAdmin() {
		return authz.User{}, fmt.Errorf("only admins manage accounts: %w", apperr.ErrForbidden)
	}
	var role string
	if patch.Role != nil {
		r, err := authz.ParsePlatformRole(*patch.Role)
		if err != nil {
			return authz.User{}, apperr.Invalid("role", err.Error())
		}
		role = string(r)
		patch.Role = &role
	}
	var u authz.User
	err := s.db.InTx(ctx, func(tx store.Q) error {
		var err error
		if u, err = adminUser(ctx, tx, actor, id); err != nil {
			return err
		}
		if err := keepsAnAdmin(ctx, tx, actor, u, patch); err != nil {
			return err
		}
		now := s.now()
		if patch.Role != nil && role != u.Role {
			if u.ID == actor.UserID {
				return fmt.Errorf("you cannot change your own platform role; another admin can: %w", apperr.ErrConflict)
			}
			if err := tx.SetUserRole(ctx, u.ID, role, now); err != nil {
				return err
			}
			changes := audit.Changes(map[string]any{"role": u.Role}, map[string]any{"role": role})
			u.Role, u.UpdatedAt = role, now
			if err := s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: audit.ActionUserUpdated, targetType: "user",
				targetID: u.ID, meta: map[string]any{"email": u.Email, "changes": changes}}); err != nil {
				return err
			}
		}
		if patch.Disabled != nil && *patch.Disabled != (u.DisabledAt != nil) {
			if u.ID == actor.UserID {
				return fmt.Errorf("you cannot disable your own account; another admin can: %w", apperr.ErrConflict)
			}
			action := audit.ActionUserEnabled
			var at *time.Time
			if *patch.Disabled {
				action, at = audit.ActionUserDisabled, &now
			}
			if err := tx.SetUserDisabled(ctx, u.ID, at, now); err != nil {
				return err
			}
			if *patch.Disabled {
				// SECURITY: a disabled account's sessions and open streams end at once.
				if err := s.endUserSessions(ctx, tx, u.ID); err != nil {
					return err
				}
				if err := tx.UsePasswordResets(ctx, u.ID, now); err != nil {
					return err
				}
			}
			u.DisabledAt, u.UpdatedAt = at, now
			return s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: action, targetType: "user",
				targetID: u.ID, meta: map[string]any{"email": u.Email}})
		}
		return nil
	})
	return u, err
}

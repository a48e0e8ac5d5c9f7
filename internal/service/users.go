package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/secret"
	"github.com/stshub/stshub/internal/store"
)

// NewUser is the input of CreateUser.
type NewUser struct {
	Email    string
	Name     string
	Password string
	Role     string // "user" (default) or "admin"
}

// normalize trims and checks every field, returning the hash-ready values.
func (in *NewUser) normalize() error {
	var c apperr.Collector
	email, err := normalizeEmail(in.Email)
	if err != nil {
		c.Add("email", err.Error())
	}
	in.Email = email
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		in.Name = strings.SplitN(in.Email, "@", 2)[0]
	}
	if len([]rune(in.Name)) > 200 {
		c.Add("name", "must be at most 200 characters")
	}
	if err := secret.CheckPasswordPolicy(in.Password); err != nil {
		c.Add("password", err.Error())
	}
	if in.Role == "" {
		in.Role = authz.PlatformUser
	}
	if _, err := authz.ParsePlatformRole(in.Role); err != nil {
		c.Add("role", err.Error())
	}
	return c.Err()
}

// CreateUser creates an account (platform admins only). Room invitations already waiting
// for its e-mail bind to it at once.
func (s *Service) CreateUser(ctx context.Context, actor Actor, in NewUser) (authz.User, error) {
	// SECURITY: only platform admins manage accounts.
	if !actor.IsAdmin() {
		return authz.User{}, fmt.Errorf("only admins create users: %w", apperr.ErrForbidden)
	}
	if err := in.normalize(); err != nil {
		return authz.User{}, err
	}
	hash, err := secret.HashPassword(in.Password, s.opts.PasswordParams)
	if err != nil {
		return authz.User{}, err
	}
	now := s.now()
	u := authz.User{ID: newID(), Email: in.Email, Name: in.Name, Role: in.Role, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	err = s.db.InTx(ctx, func(tx store.Q) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			if errors.Is(err, apperr.ErrConflict) {
				return fmt.Errorf("a user with this e-mail exists: %w", apperr.ErrConflict)
			}
			return err
		}
		return s.afterUserCreated(ctx, tx, actor, u)
	})
	return u, err
}

// afterUserCreated binds the invitations waiting for the new account and records it.
func (s *Service) afterUserCreated(ctx context.Context, tx store.Q, actor Actor, u authz.User) error {
	bound, err := s.bindWaiting(ctx, tx, u)
	if err != nil {
		return err
	}
	return s.recordUserCreated(ctx, tx, actor, u, bound)
}

// bindWaiting binds every room's party waiting for the e-mail of u, a new account, and
// marks its invitations accepted (their links are needed no more); it returns the parties.
func (s *Service) bindWaiting(ctx context.Context, tx store.Q, u authz.User) ([]store.Party, error) {
	bound, err := tx.BindInvitations(ctx, u.Email, u.ID)
	if err != nil {
		return nil, err
	}
	if _, err := tx.AcceptInvitations(ctx, u.Email, s.now()); err != nil {
		return nil, err
	}
	return bound, nil
}

// recordUserCreated records the new account u in the platform trail, and the binding of
// each party bound to it in its room's.
func (s *Service) recordUserCreated(ctx context.Context, tx store.Q, actor Actor, u authz.User, bound []store.Party) error {
	if err := s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: audit.ActionUserCreated,
		targetType: "user", targetID: u.ID, meta: map[string]any{"email": u.Email, "role": u.Role, "invitations_bound": len(bound)}}); err != nil {
		return err
	}
	for _, p := range bound {
		if err := s.record(ctx, tx, actor, event{scope: p.RoomID, action: audit.ActionPartyUpdated, targetType: "party",
			targetID: p.ID, meta: map[string]any{"email": p.Email, "user_id": map[string]any{"from": nil, "to": u.ID}}}); err != nil {
			return err
		}
	}
	return nil
}

// ListUsers returns one page of accounts by e-mail (platform admins only).
func (s *Service) ListUsers(ctx context.Context, actor Actor, page PageRequest) ([]authz.User, string, error) {
	// SECURITY: only platform admins see the list of accounts.
	if !actor.IsAdmin() {
		return nil, "", fmt.Errorf("only admins list users: %w", apperr.ErrForbidden)
	}
	after, err := page.cursorValue()
	if err != nil {
		return nil, "", err
	}
	limit := page.limit()
	users, err := s.db.Read().ListUsers(ctx, after, limit+1)
	if err != nil {
		return nil, "", err
	}
	users, next := onePage(users, limit, func(u authz.User) string { return u.Email })
	return users, next, nil
}

// ExistingAccount says what EnsureAdmin does with an account that already has the e-mail.
type ExistingAccount int

const (
	// KeepExisting leaves it alone: the first-start variables, so a restart never logs
	// anybody out.
	KeepExisting ExistingAccount = iota
	// ResetAdmin resets the password of an existing admin (its sessions end), enables it if
	// it was disabled, and refuses an account that is not an admin: `stshub admin create`.
	ResetAdmin
	// PromoteUser also makes an existing non-admin an admin (enabled): `stshub admin create --promote`.
	PromoteUser
)

// ErrNotAnAdmin is EnsureAdmin's refusal to make an ordinary user an admin unasked.
var ErrNotAnAdmin = fmt.Errorf("this e-mail belongs to an existing user who is not a platform admin; "+
	"nothing was changed (give --promote to reset its password and make it an admin): %w", apperr.ErrConflict)

// EnsureAdmin creates a platform admin, or does with an existing account what existing
// says.
func (s *Service) EnsureAdmin(ctx context.Context, email, password, name string, existing ExistingAccount) (created bool, err error) {
	in := NewUser{Email: email, Name: name, Password: password, Role: authz.PlatformAdmin}
	if err := in.normalize(); err != nil {
		return false, err
	}
	hash, err := secret.HashPassword(in.Password, s.opts.PasswordParams)
	if err != nil {
		return false, err
	}
	now := s.now()
	err = s.db.InTx(ctx, func(tx store.Q) error {
		old, err := tx.UserByEmail(ctx, in.Email)
		if errors.Is(err, apperr.ErrNotFound) {
			created = true
			u := authz.User{ID: newID(), Email: in.Email, Name: in.Name, Role: in.Role, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			return s.afterUserCreated(ctx, tx, System, u)
		}
		if err != nil || existing == KeepExisting {
			return err
		}
		if old.Role != authz.PlatformAdmin && existing != PromoteUser {
			return ErrNotAnAdmin
		}
		if name == "" {
			in.Name = old.Name
		}
		if err := tx.UpdateUserCredentials(ctx, old.ID, in.Name, authz.PlatformAdmin, hash, now); err != nil {
			return err
		}
		if old.DisabledAt != nil {
			// The way back in when every admin is disabled: the account is enabled again.
			if err := tx.SetUserDisabled(ctx, old.ID, nil, now); err != nil {
				return err
			}
			if err := s.record(ctx, tx, System, event{scope: audit.PlatformScope, action: audit.ActionUserEnabled, targetType: "user",
				targetID: old.ID, meta: map[string]any{"email": old.Email, "via": "stshub admin create"}}); err != nil {
				return err
			}
		}
		if err := tx.UsePasswordResets(ctx, old.ID, now); err != nil {
			return err
		}
		if err := s.endUserSessions(ctx, tx, old.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, System, event{scope: audit.PlatformScope, action: audit.ActionPasswordReset,
			targetType: "user", targetID: old.ID, meta: map[string]any{"email": old.Email, "changes": audit.Changes(
				map[string]any{"role": old.Role}, map[string]any{"role": authz.PlatformAdmin})}})
	})
	return created, err
}

package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// NewParty is the input of AddParty.
type NewParty struct {
	Email string
	Role  string
	Name  string
}

// ListParties returns a room's parties; removed ones too when includeRemoved is set.
func (s *Service) ListParties(ctx context.Context, actor Actor, roomID string, includeRemoved bool) ([]clearance.Party, error) {
	q := s.db.Read()
	if _, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewRoom); err != nil {
		return nil, err
	}
	return q.ListParties(ctx, roomID, includeRemoved)
}

// AddParty invites a company to a room by e-mail. When an account has that e-mail the party
// is linked to it at once; otherwise it binds when the account is created.
func (s *Service) AddParty(ctx context.Context, actor Actor, roomID string, in NewParty) (clearance.Party, error) {
	var c apperr.Collector
	email, err := normalizeEmail(in.Email)
	if err != nil {
		c.Add("email", err.Error())
	}
	role, err := authz.ParseRole(in.Role)
	if err != nil {
		c.Add("role", err.Error())
	}
	name := strings.TrimSpace(in.Name)
	if len([]rune(name)) > 200 {
		c.Add("name", "must be at most 200 characters")
	}
	var p clearance.Party
	err = s.db.InTx(ctx, func(tx store.Q) error {
		// Permission first: a non-party learns nothing, not even which fields are wrong.
		if _, err := authorizeRoom(ctx, tx, actor, roomID, authz.ManageParties); err != nil {
			return err
		}
		if err := c.Err(); err != nil {
			return err
		}
		p = clearance.Party{ID: newID(), RoomID: roomID, Email: email, Name: name, Role: string(role), AddedBy: actor.UserID, AddedAt: s.now()}
		user, err := tx.UserByEmail(ctx, email)
		switch {
		case err == nil:
			p.UserID = &user.ID
			if p.Name == "" {
				p.Name = user.Name
			}
		case !errors.Is(err, apperr.ErrNotFound):
			return err
		}
		if err := tx.AddParty(ctx, p); err != nil {
			if errors.Is(err, apperr.ErrConflict) {
				return fmt.Errorf("%s is already a party of this room: %w", email, apperr.ErrConflict)
			}
			return err
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionPartyAdded, targetType: "party",
			targetID: p.ID, meta: map[string]any{"email": p.Email, "role": p.Role, "invited": p.UserID == nil}}); err != nil {
			return err
		}
		return s.followGate(ctx, tx, actor, roomID)
	})
	return p, err
}

// ChangePartyRole gives a party another role.
func (s *Service) ChangePartyRole(ctx context.Context, actor Actor, roomID, partyID, newRole string) (clearance.Party, error) {
	var p clearance.Party
	err := s.db.InTx(ctx, func(tx store.Q) error {
		if _, err := authorizeRoom(ctx, tx, actor, roomID, authz.ManageParties); err != nil {
			return err
		}
		role, err := authz.ParseRole(newRole)
		if err != nil {
			return apperr.Invalid("role", err.Error())
		}
		p, err = tx.ActiveParty(ctx, roomID, partyID)
		if err != nil {
			return err
		}
		if p.Role == string(role) {
			return nil
		}
		if !authz.Can(role, authz.ManageParties) {
			if err := keepsAManager(ctx, tx, p); err != nil {
				return err
			}
		}
		old := p.Role
		p.Role = string(role)
		if err := tx.SetPartyRole(ctx, roomID, partyID, p.Role); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionPartyUpdated, targetType: "party", targetID: p.ID,
			meta: map[string]any{"email": p.Email, "changes": audit.Changes(map[string]any{"role": old}, map[string]any{"role": p.Role})}}); err != nil {
			return err
		}
		return s.followGate(ctx, tx, actor, roomID)
	})
	return p, err
}

// RemoveParty ends a party's access to the room at once. Its row stays, for the history.
func (s *Service) RemoveParty(ctx context.Context, actor Actor, roomID, partyID string) error {
	return s.db.InTx(ctx, func(tx store.Q) error {
		if _, err := authorizeRoom(ctx, tx, actor, roomID, authz.ManageParties); err != nil {
			return err
		}
		p, err := tx.ActiveParty(ctx, roomID, partyID)
		if err != nil {
			return err
		}
		if err := keepsAManager(ctx, tx, p); err != nil {
			return err
		}
		if err := tx.RemoveParty(ctx, roomID, partyID, s.now()); err != nil {
			return err
		}
		if p.UserID != nil && s.opts.Events != nil {
			// SECURITY: the removed party's open pages lose the room at once.
			userID := *p.UserID
			tx.AfterCommit(func() { s.opts.Events.Revoke(roomID, userID) })
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionPartyRemoved, targetType: "party",
			targetID: p.ID, meta: map[string]any{"email": p.Email, "role": p.Role}}); err != nil {
			return err
		}
		return s.followGate(ctx, tx, actor, roomID)
	})
}

// keepsAManager refuses to take the right to manage parties from p when p is the room's
// last party holding it: a room nobody can manage is locked for good. The caller holds the
// room lock, so two removals cannot both see the other manager.
func keepsAManager(ctx context.Context, tx store.Q, p clearance.Party) error {
	managers := authz.RolesThatCan(authz.ManageParties)
	if !slices.Contains(managers, authz.Role(p.Role)) {
		return nil
	}
	names := make([]string, len(managers))
	for i, r := range managers {
		names[i] = string(r)
	}
	n, err := tx.CountActivePartiesWithRole(ctx, p.RoomID, names)
	if err != nil {
		return err
	}
	if n <= 1 {
		return fmt.Errorf("%s is the last party that can manage parties: %w", p.Email, apperr.ErrConflict)
	}
	return nil
}

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

// NewParty is the input of AddParty. VesselIDs bind a vessel-bound party (an owner, an
// STS provider) to the vessels it acts for.
type NewParty struct {
	Email     string
	Role      string
	Name      string
	VesselIDs []string
}

// PartyPatch holds what to change of a party; nil leaves it as it is.
type PartyPatch struct {
	Role      *string
	VesselIDs *[]string
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
	p, _, err := s.AddPartyAndInvite(ctx, actor, roomID, in)
	return p, err
}

// AddPartyAndInvite is AddParty returning the invitation it sent when no account has the
// e-mail (nil otherwise); its Link is set when e-mail is off, for the inviter to pass on.
func (s *Service) AddPartyAndInvite(ctx context.Context, actor Actor, roomID string, in NewParty) (clearance.Party, *Invitation, error) {
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
	var inv *Invitation
	err = s.db.InTx(ctx, func(tx store.Q) error {
		// Permission first: a non-party learns nothing, not even which fields are wrong.
		m, err := authorizeRequest(ctx, tx, actor, roomID, request{action: authz.ManageParties, grant: role})
		if err != nil {
			return err
		}
		vessels, err := checkBinding(ctx, tx, roomID, role, in.VesselIDs)
		if err != nil {
			c.Add("vessel_ids", err.Error())
		}
		if err := c.Err(); err != nil {
			return err
		}
		now := s.now()
		p = clearance.Party{ID: newID(), RoomID: roomID, Email: email, Name: name, Role: string(role), AddedBy: actor.UserID,
			AddedAt: now, VesselIDs: vessels}
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
		if err := tx.SetPartyVessels(ctx, roomID, p.ID, vessels, now); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionPartyAdded, targetType: "party",
			targetID: p.ID, meta: map[string]any{"email": p.Email, "role": p.Role, "invited": p.UserID == nil, "vessel_ids": vessels}}); err != nil {
			return err
		}
		if p.UserID == nil {
			// No account has the e-mail: send it an invitation link.
			if inv, err = s.inviteParty(ctx, tx, actor, p); err != nil {
				return err
			}
		} else if err := s.notifyAdded(ctx, tx, actor, m.Room, p); err != nil {
			return err
		}
		if slices.Contains(clearance.CounterpartyRoles(), role) {
			if err := s.markScreeningsForRerun(ctx, tx, actor, roomID, "new "+string(role)+" "+partyLabel(p)); err != nil {
				return err
			}
		}
		return s.followGate(ctx, tx, actor, roomID)
	})
	return p, inv, err
}

// UpdateParty gives a party another role, binds it to other vessels, or both, and records
// what changed.
func (s *Service) UpdateParty(ctx context.Context, actor Actor, roomID, partyID string, patch PartyPatch) (clearance.Party, error) {
	var p clearance.Party
	err := s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.ManageParties)
		if err != nil {
			return err
		}
		if p, err = tx.ActiveParty(ctx, roomID, partyID); err != nil {
			return err
		}
		role := authz.Role(p.Role)
		if patch.Role != nil {
			if role, err = authz.ParseRole(*patch.Role); err != nil {
				return apperr.Invalid("role", err.Error())
			}
		}
		req := request{action: authz.ManageParties, party: &p}
		if role != authz.Role(p.Role) {
			req.grant = role
		}
		if err := permit(m, req); err != nil {
			return err
		}
		vessels := p.VesselIDs
		if patch.VesselIDs != nil {
			vessels = *patch.VesselIDs
		}
		if !authz.ActsForVessels(role) && patch.VesselIDs == nil {
			vessels = nil // a role that acts room-wide keeps no bindings
		}
		if vessels, err = checkBinding(ctx, tx, roomID, role, vessels); err != nil {
			return apperr.Invalid("vessel_ids", err.Error())
		}
		before := map[string]any{"role": p.Role, "vessel_ids": p.VesselIDs}
		after := map[string]any{"role": string(role), "vessel_ids": vessels}
		changes := audit.Changes(before, after)
		if len(changes) == 0 {
			return nil
		}
		if role != authz.Role(p.Role) && !authz.Can(role, authz.ManageParties) {
			if err := keepsAManager(ctx, tx, p); err != nil {
				return err
			}
		}
		p.Role, p.VesselIDs = string(role), vessels
		if err := tx.SetPartyRole(ctx, roomID, partyID, p.Role); err != nil {
			return err
		}
		if err := tx.SetPartyVessels(ctx, roomID, partyID, vessels, s.now()); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionPartyUpdated, targetType: "party", targetID: p.ID,
			meta: map[string]any{"email": p.Email, "changes": changes}}); err != nil {
			return err
		}
		if _, roleChanged := changes["role"]; roleChanged && slices.Contains(clearance.CounterpartyRoles(), role) {
			if err := s.markScreeningsForRerun(ctx, tx, actor, roomID, partyLabel(p)+" is now the "+string(role)); err != nil {
				return err
			}
		}
		return s.followGate(ctx, tx, actor, roomID)
	})
	return p, err
}

// checkBinding checks the vessels a party of role is to be bound to: vessels of the room,
// and only for a role that acts for vessels. It returns them without repeats, in order.
func checkBinding(ctx context.Context, tx store.Q, roomID string, role authz.Role, vesselIDs []string) ([]string, error) {
	out := []string{}
	for _, id := range vesselIDs {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return out, nil
	}
	if role != "" && !authz.ActsForVessels(role) {
		return nil, fmt.Errorf("%s acts for the whole room, not for vessels: only %s parties are bound to vessels",
			role.WithArticle(), authz.Labels(authz.VesselBoundRoles(), " or "))
	}
	vessels, err := tx.ListVessels(ctx, roomID)
	if err != nil {
		return nil, err
	}
	for _, id := range out {
		if !slices.ContainsFunc(vessels, func(v clearance.Vessel) bool { return v.ID == id }) {
			return nil, fmt.Errorf("%q is not a vessel of this room", id)
		}
	}
	return out, nil
}

// RemoveParty ends a party's access to the room at once. Its row stays, for the history.
func (s *Service) RemoveParty(ctx context.Context, actor Actor, roomID, partyID string) error {
	return s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.ManageParties)
		if err != nil {
			return err
		}
		p, err := tx.ActiveParty(ctx, roomID, partyID)
		if err != nil {
			return err
		}
		if err := permit(m, request{action: authz.ManageParties, party: &p}); err != nil {
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
// last party holding it: a room nobody can manage is locked for good. Only a party whose
// invitation was accepted counts (an invited e-mail without an account manages nothing
// yet), so p — if unaccepted itself — is never the last one. The caller holds the room
// lock, so two removals cannot both see the other manager.
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
	if p.UserID == nil {
		n++ // p is not among those counted, yet the others must stay
	}
	if n <= 1 {
		return fmt.Errorf("%s is the last party that can manage parties: %w", p.Email, apperr.ErrConflict)
	}
	return nil
}

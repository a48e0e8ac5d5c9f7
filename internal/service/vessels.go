package service

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// ListVessels returns a room's vessels.
func (s *Service) ListVessels(ctx context.Context, actor Actor, roomID string) ([]clearance.Vessel, error) {
	q := s.db.Read()
	if _, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewRoom); err != nil {
		return nil, err
	}
	return q.ListVessels(ctx, roomID)
}

// GetVessel returns one vessel of a room.
func (s *Service) GetVessel(ctx context.Context, actor Actor, roomID, vesselID string) (clearance.Vessel, error) {
	q := s.db.Read()
	if _, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewRoom); err != nil {
		return clearance.Vessel{}, err
	}
	return q.VesselByID(ctx, roomID, vesselID)
}

// AddVessel adds a vessel to a room after checking its particulars (IMO check digit, MMSI)
// and binds the parties that act for it: partyIDs (owner or STS provider parties of the
// room), and the caller's own party when its role acts for vessels (an owner adding its ship).
func (s *Service) AddVessel(ctx context.Context, actor Actor, roomID string, p clearance.VesselParticulars, partyIDs ...string) (clearance.Vessel, error) {
	var v clearance.Vessel
	err := s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.ManageVessels)
		if err != nil {
			return err
		}
		now := s.now()
		invalid := p.Normalize(now)
		errs := collectorOf(invalid)
		if invalid != nil && len(errs.Fields()) == 0 {
			return invalid
		}
		parties, err := s.vesselParties(ctx, tx, m, partyIDs)
		if err != nil {
			errs.Add("party_ids", err.Error())
		}
		if err := errs.Err(); err != nil {
			return err
		}
		v = clearance.Vessel{ID: newID(), RoomID: roomID, VesselParticulars: p, CreatedAt: now, UpdatedAt: now}
		if err := tx.AddVessel(ctx, v); err != nil {
			return duplicateIMO(err)
		}
		meta := vesselFields(v.VesselParticulars)
		meta["party_ids"] = parties
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionVesselAdded, targetType: "vessel",
			targetID: v.ID, meta: meta}); err != nil {
			return err
		}
		for _, id := range parties {
			if err := tx.BindPartyToVessel(ctx, roomID, id, v.ID, now); err != nil {
				return err
			}
		}
		if err := s.addDefaultRequirements(ctx, tx, actor, m.Room, v.ID); err != nil {
			return err
		}
		if err := s.addChecklists(ctx, tx, actor, roomID, v.ID); err != nil {
			return err
		}
		if err := s.markScreeningsForRerun(ctx, tx, actor, roomID, "new vessel "+v.Name+" (IMO "+v.IMO+")"); err != nil {
			return err
		}
		return s.followGate(ctx, tx, actor, roomID) // its new requirements reopen clearance
	})
	return v, err
}

// UpdateVessel applies change to a vessel's particulars and records what changed.
func (s *Service) UpdateVessel(ctx context.Context, actor Actor, roomID, vesselID string, change func(*clearance.VesselParticulars)) (clearance.Vessel, error) {
	var v clearance.Vessel
	err := s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.ManageVessels)
		if err != nil {
			return err
		}
		v, err = tx.VesselByID(ctx, roomID, vesselID)
		if err != nil {
			return err
		}
		if err := permit(m, request{action: authz.ManageVessels, vesselID: vesselID}); err != nil {
			return err
		}
		before := vesselFields(v.VesselParticulars)
		change(&v.VesselParticulars)
		now := s.now()
		if err := v.Normalize(now); err != nil {
			return err
		}
		changes := audit.Changes(before, vesselFields(v.VesselParticulars))
		if len(changes) == 0 {
			return nil
		}
		v.UpdatedAt = now
		if err := tx.UpdateVessel(ctx, v); err != nil {
			return duplicateIMO(err)
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionVesselUpdated, targetType: "vessel",
			targetID: v.ID, meta: map[string]any{"name": v.Name, "imo": v.IMO, "changes": changes}}); err != nil {
			return err
		}
		if _, moved := changes["imo"]; moved {
			if err := s.markScreeningsForRerun(ctx, tx, actor, roomID, v.Name+" is now IMO "+v.IMO); err != nil {
				return err
			}
		}
		// A vessel's role decides whether both sides of the transfer are present.
		return s.followGate(ctx, tx, actor, roomID)
	})
	return v, err
}

// RemoveVessel takes a vessel out of a room.
func (s *Service) RemoveVessel(ctx context.Context, actor Actor, roomID, vesselID string) error {
	return s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.ManageVessels)
		if err != nil {
			return err
		}
		v, err := tx.VesselByID(ctx, roomID, vesselID)
		if err != nil {
			return err
		}
		if err := permit(m, request{action: authz.ManageVessels, vesselID: vesselID}); err != nil {
			return err
		}
		// Its empty document slots go with it; uploaded documents are records and stay.
		remaining, err := tx.DeleteUnusedVesselDocuments(ctx, roomID, vesselID)
		if err != nil {
			return err
		}
		if remaining > 0 {
			return fmt.Errorf("%s has %d uploaded document(s) and cannot be removed: %w", v.Name, remaining, apperr.ErrConflict)
		}
		records, err := tx.VesselRecords(ctx, roomID, vesselID)
		if err != nil {
			return err
		}
		if records > 0 {
			return fmt.Errorf("%s has checklist entries, coastal-state notices or questions on its documents on record and cannot be removed: %w", v.Name, apperr.ErrConflict)
		}
		if err := tx.RemoveVessel(ctx, roomID, vesselID); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionVesselRemoved, targetType: "vessel",
			targetID: v.ID, meta: vesselFields(v.VesselParticulars)}); err != nil {
			return err
		}
		return s.followGate(ctx, tx, actor, roomID)
	})
}

// vesselParties are the parties a new vessel is bound to: partyIDs, each an active party of
// the room whose role acts for vessels, and the caller's party when its role does.
func (s *Service) vesselParties(ctx context.Context, tx store.Q, m store.Membership, partyIDs []string) ([]string, error) {
	out := []string{}
	if authz.ActsForVessels(authz.Role(m.Role)) {
		out = append(out, m.PartyID)
	}
	for _, id := range partyIDs {
		if slices.Contains(out, id) {
			continue
		}
		p, err := tx.ActiveParty(ctx, m.Room.ID, id)
		if errors.Is(err, apperr.ErrNotFound) {
			return nil, fmt.Errorf("%q is not a party of this room", id)
		}
		if err != nil {
			return nil, err
		}
		if !authz.ActsForVessels(authz.Role(p.Role)) {
			return nil, fmt.Errorf("%s is %s, which acts for the whole room: only %s parties are bound to vessels",
				p.Email, authz.Role(p.Role).WithArticle(), authz.Labels(authz.VesselBoundRoles(), " or "))
		}
		out = append(out, id)
	}
	return out, nil
}

func duplicateIMO(err error) error {
	if errors.Is(err, apperr.ErrConflict) {
		return fmt.Errorf("a vessel with this IMO number is already in the room: %w", apperr.ErrConflict)
	}
	return err
}

// vesselFields are the audited particulars of a vessel.
func vesselFields(p clearance.VesselParticulars) map[string]any {
	m := map[string]any{"name": p.Name, "imo": p.IMO, "role": string(p.Role), "flag": p.Flag, "mmsi": p.MMSI,
		"call_sign": p.CallSign, "vessel_type": p.VesselType, "class_society": p.ClassSociety, "pi_club": p.PIClub,
		"registered_owner": p.RegisteredOwner, "registered_owner_imo": p.RegisteredOwnerIMO, "doc_company": p.DOCCompany,
		"doc_company_imo": p.DOCCompanyIMO}
	putPtr(m, "dwt", p.DWT)
	putPtr(m, "loa", p.LOA)
	putPtr(m, "beam", p.Beam)
	putPtr(m, "built_year", p.BuiltYear)
	return m
}

func putPtr[T any](m map[string]any, key string, v *T) {
	if v == nil {
		m[key] = nil
		return
	}
	m[key] = *v
}

package service

import (
	"context"
	"strings"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// followCargoClass brings a room's requirements in line with its new cargo class, inside the
// transaction that changed it: a required document whose type does not apply to the class is
// waived with the reason (its uploads stay, for the record), and the default types that now
// apply are required — again, where they were waived for not applying — so an LNG room
// never asks for an oil-only document and an oil room gets its Annex I papers.
func (s *Service) followCargoClass(ctx context.Context, tx store.Q, actor Actor, room store.Room) error {
	types, err := s.catalogue(ctx, tx)
	if err != nil {
		return err
	}
	docs, err := tx.ListDocuments(ctx, room.ID)
	if err != nil {
		return err
	}
	vessels, err := tx.ListVessels(ctx, room.ID)
	if err != nil {
		return err
	}
	now := s.now()
	held := map[string]bool{} // type code + vessel ID of every slot the room has
	var waived, required []string
	for _, d := range docs {
		held[d.TypeCode+"/"+deref(d.VesselID)] = true
		applies := types[d.TypeCode].AppliesTo(room.CargoClass)
		switch {
		case d.Required && !applies:
			d.Required, d.WaiveReason, d.WaivedBy, d.WaiverEmail, d.WaivedAt = false, notApplicablePrefix+string(room.CargoClass)+" operations", actor.UserID, actor.Email, &now
			waived = append(waived, d.TypeCode)
		case !d.Required && applies && strings.HasPrefix(d.WaiveReason, notApplicablePrefix):
			d.Required, d.WaiveReason, d.WaivedBy, d.WaiverEmail, d.WaivedAt = true, "", "", "", nil
			required = append(required, d.TypeCode)
		default:
			continue
		}
		d.UpdatedAt = now
		if err := tx.SaveDocument(ctx, d); err != nil {
			return err
		}
	}
	slots := []string{""}
	for _, v := range vessels {
		slots = append(slots, v.ID)
	}
	for _, t := range types {
		if !t.Active || !t.RequiredByDefault || !t.AppliesTo(room.CargoClass) {
			continue
		}
		for _, vesselID := range slots {
			if (t.Scope == clearance.ScopeVessel) != (vesselID != "") || held[t.Code+"/"+vesselID] {
				continue
			}
			d := store.Document{ID: newID(), RoomID: room.ID, TypeCode: t.Code, VesselID: optional(vesselID), Status: string(clearance.DocMissing),
				Criticality: string(t.Criticality), Required: true, CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateDocument(ctx, d); err != nil {
				return err
			}
			required = append(required, t.Code)
		}
	}
	if len(waived) > 0 {
		if err := s.record(ctx, tx, actor, event{scope: room.ID, action: audit.ActionRequirementWaived, targetType: "room", targetID: room.ID,
			meta: map[string]any{"types": waived, "reason": "not applicable to " + string(room.CargoClass) + " operations"}}); err != nil {
			return err
		}
	}
	if len(required) > 0 {
		return s.record(ctx, tx, actor, event{scope: room.ID, action: audit.ActionRequirementAdded, targetType: "room", targetID: room.ID,
			meta: map[string]any{"types": required, "source": "catalogue defaults for " + string(room.CargoClass) + " operations"}})
	}
	return nil
}

// notApplicablePrefix begins the reason of a requirement waived because its type does not
// apply to the room's cargo: the one mark by which a change back requires it again (a
// requirement a party waived for its own reason stays waived).
const notApplicablePrefix = "does not apply to "

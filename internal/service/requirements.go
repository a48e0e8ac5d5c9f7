package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// addDefaultRequirements gives a new room (vesselID "") or a new vessel one missing-document
// slot per active catalogue type of that scope that is required by default and applies to
// the room's cargo, and records the list in one audit entry.
func (s *Service) addDefaultRequirements(ctx context.Context, tx store.Q, actor Actor, room store.Room, vesselID string) error {
	roomID := room.ID
	types, err := tx.ListDocumentTypes(ctx, true)
	if err != nil {
		return err
	}
	scope := clearance.ScopeRoom
	var vessel *string
	if vesselID != "" {
		scope, vessel = clearance.ScopeVessel, &vesselID
	}
	now := s.now()
	var codes []string
	for _, t := range types {
		if t.Scope != scope || !t.RequiredByDefault || !t.AppliesTo(room.CargoClass) {
			continue
		}
		d := store.Document{ID: newID(), RoomID: roomID, TypeCode: t.Code, VesselID: vessel, Status: string(clearance.DocMissing),
			Criticality: string(t.Criticality), Required: true, CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateDocument(ctx, d); err != nil {
			return err
		}
		codes = append(codes, t.Code)
	}
	if len(codes) == 0 {
		return nil
	}
	return s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionRequirementAdded, targetType: "room", targetID: roomID,
		meta: map[string]any{"types": codes, "vessel_id": vesselID, "source": "catalogue defaults"}})
}

// AddRequirement makes a document type required in a room (for one vessel when the type is
// per vessel), or requires again one that was waived.
func (s *Service) AddRequirement(ctx context.Context, actor Actor, roomID, typeCode, vesselID string) (DocumentView, error) {
	var docID string
	err := s.db.InTx(ctx, func(tx store.Q) error {
		if _, err := authorizeRoom(ctx, tx, actor, roomID, authz.ManageRequirements); err != nil {
			return err
		}
		t, err := s.slotType(ctx, tx, roomID, typeCode, vesselID)
		if err != nil {
			return err
		}
		now := s.now()
		d, err := tx.FindDocument(ctx, roomID, t.Code, vesselID)
		switch {
		case errors.Is(err, apperr.ErrNotFound):
			d = store.Document{ID: newID(), RoomID: roomID, TypeCode: t.Code, VesselID: optional(vesselID), Status: string(clearance.DocMissing),
				Criticality: string(t.Criticality), Required: true, CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateDocument(ctx, d); err != nil {
				return err
			}
		case err != nil:
			return err
		case d.Required:
			return fmt.Errorf("%s is already required: %w", t.Code, apperr.ErrConflict)
		default:
			d.Required, d.WaiveReason, d.WaivedBy, d.WaiverEmail, d.WaivedAt, d.UpdatedAt = true, "", "", "", nil, now
			if err := tx.SaveDocument(ctx, d); err != nil {
				return err
			}
		}
		docID = d.ID
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionRequirementAdded, targetType: "document", targetID: d.ID,
			meta: map[string]any{"types": []string{t.Code}, "vessel_id": vesselID}}); err != nil {
			return err
		}
		return s.followGate(ctx, tx, actor, roomID)
	})
	if err != nil {
		return DocumentView{}, err
	}
	return s.committedDocumentView(ctx, roomID, docID)
}

// WaiveRequirement stops requiring a document, for a recorded reason. Its uploads stay.
func (s *Service) WaiveRequirement(ctx context.Context, actor Actor, roomID, documentID, reason string) (DocumentView, error) {
	reason = strings.TrimSpace(reason)
	err := s.db.InTx(ctx, func(tx store.Q) error {
		if _, err := authorizeRoom(ctx, tx, actor, roomID, authz.ManageRequirements); err != nil {
			return err
		}
		if reason == "" || len([]rune(reason)) > 2000 {
			return apperr.Invalid("reason", "is required and at most 2000 characters")
		}
		d, err := tx.DocumentByID(ctx, roomID, documentID)
		if err != nil {
			return err
		}
		if !d.Required {
			return fmt.Errorf("the requirement is already waived: %w", apperr.ErrConflict)
		}
		now := s.now()
		d.Required, d.WaiveReason, d.WaivedBy, d.WaiverEmail, d.WaivedAt, d.UpdatedAt = false, reason, actor.UserID, actor.Email, &now, now
		if err := tx.SaveDocument(ctx, d); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionRequirementWaived, targetType: "document", targetID: d.ID,
			meta: map[string]any{"type": d.TypeCode, "vessel_id": deref(d.VesselID), "reason": reason}}); err != nil {
			return err
		}
		return s.followGate(ctx, tx, actor, roomID)
	})
	if err != nil {
		return DocumentView{}, err
	}
	return s.committedDocumentView(ctx, roomID, documentID)
}

// slotType checks that a document of typeCode may exist for vesselID in the room: the type
// is known and active, a per-vessel type names a vessel of this room, a per-room type none.
func (s *Service) slotType(ctx context.Context, q store.Q, roomID, typeCode, vesselID string) (clearance.DocumentType, error) {
	var c apperr.Collector
	t, err := q.DocumentType(ctx, strings.ToUpper(strings.TrimSpace(typeCode)))
	switch {
	case errors.Is(err, apperr.ErrNotFound) || (err == nil && !t.Active):
		c.Add("type", "is not a document type of the catalogue")
		return t, c.Err()
	case err != nil:
		return t, err
	}
	room, err := q.RoomByID(ctx, roomID)
	if err != nil {
		return t, err
	}
	switch {
	case !t.AppliesTo(room.CargoClass):
		c.Add("type", t.Code+" does not apply to "+string(room.CargoClass)+" operations")
	case t.Scope == clearance.ScopeVessel && vesselID == "":
		c.Add("vessel_id", "is required: "+t.Code+" is supplied per vessel")
	case t.Scope == clearance.ScopeRoom && vesselID != "":
		c.Add("vessel_id", "must be empty: "+t.Code+" is supplied once per room")
	case vesselID != "":
		if _, err := q.VesselByID(ctx, roomID, vesselID); errors.Is(err, apperr.ErrNotFound) {
			c.Add("vessel_id", "is not a vessel of this room")
		} else if err != nil {
			return t, err
		}
	}
	return t, c.Err()
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

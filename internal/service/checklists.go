package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// SeedChecklistTemplates fills an empty checklist template table with the default items of
// the STS Transfer Guide's phases 1–5. A table with any item (active or not) is left alone:
// admins own it from then on.
//
// The seeded items have fixed IDs, so when several nodes start on one empty PostgreSQL
// database at once, one seeds and the others meet its rows as a conflict and stand back.
func (s *Service) SeedChecklistTemplates(ctx context.Context) error {
	err := s.db.InTx(ctx, func(tx store.Q) error {
		n, err := tx.CountChecklistTemplates(ctx)
		if err != nil || n > 0 {
			return err
		}
		now := s.now()
		items := clearance.DefaultChecklists()
		for _, it := range items {
			t := clearance.ChecklistTemplate{ID: seededTemplateID(it), Phase: it.Phase, Position: it.Position, Text: it.Text,
				Active: true, UpdatedAt: now}
			if err := tx.CreateChecklistTemplate(ctx, t); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, System, event{scope: audit.PlatformScope, action: audit.ActionCatalogueChanged,
			targetType: "checklist_templates", meta: map[string]any{"seeded": len(items)}})
	})
	if errors.Is(err, apperr.ErrConflict) {
		return nil // another node seeded the table first
	}
	return err
}

// seededTemplateID is the fixed ID of a default template item: a name-based UUID of its
// phase and position.
func seededTemplateID(it clearance.ChecklistTemplateItem) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, fmt.Appendf(nil, "urn:stshub:checklist-template:%d:%d", it.Phase, it.Position)).String()
}

// ListChecklistTemplates returns every template item, inactive ones too, by phase and position.
// Any signed-in user may read them: they say what a room's checklists will hold.
func (s *Service) ListChecklistTemplates(ctx context.Context, _ Actor) ([]clearance.ChecklistTemplate, error) {
	return s.db.Read().ListChecklistTemplates(ctx, false)
}

// CreateChecklistTemplate adds an item to a phase's template (platform admins only). Without
// a position it goes last. Vessels added from then on get it; existing checklists keep theirs.
func (s *Service) CreateChecklistTemplate(ctx context.Context, actor Actor, phase int, text string, position *int) (clearance.ChecklistTemplate, error) {
	// SECURITY: the templates decide what every room's checklists hold; only admins change them.
	if !actor.IsAdmin() {
		return clearance.ChecklistTemplate{}, fmt.Errorf("only admins manage checklist templates: %w", apperr.ErrForbidden)
	}
	var t clearance.ChecklistTemplate
	err := s.db.InTx(ctx, func(tx store.Q) error {
		it := clearance.ChecklistTemplateItem{Phase: phase, Text: text, Position: 1}
		if position != nil {
			it.Position = *position
		} else if it.Phase >= clearance.FirstChecklistPhase && it.Phase <= clearance.LastChecklistPhase {
			last, err := tx.LastChecklistTemplatePosition(ctx, phase)
			if err != nil {
				return err
			}
			it.Position = min(last+1, clearance.MaxChecklistPosition)
		}
		if err := it.Normalize(); err != nil {
			return err
		}
		t = clearance.ChecklistTemplate{ID: newID(), Phase: it.Phase, Position: it.Position, Text: it.Text, Active: true, UpdatedAt: s.now()}
		if err := tx.CreateChecklistTemplate(ctx, t); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: audit.ActionCatalogueChanged,
			targetType: "checklist_template", targetID: t.ID, meta: map[string]any{"created": templateFields(t)}})
	})
	return t, err
}

// ChecklistTemplatePatch holds the fields of a template item to change; nil ones stay.
type ChecklistTemplatePatch struct {
	Text     *string
	Active   *bool
	Position *int
}

// UpdateChecklistTemplate changes a template item's text, position or active flag (platform
// admins only); its phase is fixed. Existing checklists keep the text they were made with.
func (s *Service) UpdateChecklistTemplate(ctx context.Context, actor Actor, id string, p ChecklistTemplatePatch) (clearance.ChecklistTemplate, error) {
	// SECURITY: only admins change the templates.
	if !actor.IsAdmin() {
		return clearance.ChecklistTemplate{}, fmt.Errorf("only admins manage checklist templates: %w", apperr.ErrForbidden)
	}
	var t clearance.ChecklistTemplate
	err := s.db.InTx(ctx, func(tx store.Q) error {
		before, err := tx.ChecklistTemplateByID(ctx, id)
		if err != nil {
			return err
		}
		t = before
		it := clearance.ChecklistTemplateItem{Phase: t.Phase, Position: t.Position, Text: t.Text}
		if p.Text != nil {
			it.Text = *p.Text
		}
		if p.Position != nil {
			it.Position = *p.Position
		}
		if p.Active != nil {
			t.Active = *p.Active
		}
		if err := it.Normalize(); err != nil {
			return err
		}
		t.Text, t.Position = it.Text, it.Position
		changes := audit.Changes(templateFields(before), templateFields(t))
		if len(changes) == 0 {
			return nil
		}
		t.UpdatedAt = s.now()
		if err := tx.UpdateChecklistTemplate(ctx, t); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: audit.ActionCatalogueChanged,
			targetType: "checklist_template", targetID: t.ID, meta: map[string]any{"phase": t.Phase, "changes": changes}})
	})
	return t, err
}

func templateFields(t clearance.ChecklistTemplate) map[string]any {
	return map[string]any{"phase": t.Phase, "position": t.Position, "text": t.Text, "active": t.Active}
}

// addChecklists gives a vessel just added to a room its checklists of phases 1–5, each a copy
// of the active template items of its phase, inside the caller's transaction.
//
// It records no audit entry of its own: the checklists are part of the vessel_added change
// (as the vessel's document slots are), their item texts are stored in the room's rows, and
// every later change to them (check, uncheck, sign) is audited.
func (s *Service) addChecklists(ctx context.Context, tx store.Q, _ Actor, roomID, vesselID string) error {
	_, err := tx.InstantiateChecklists(ctx, roomID, vesselID, clearance.ChecklistPhases(), s.now(), newID)
	return err
}

// ListChecklists returns a room's checklists by vessel and phase, with their items.
func (s *Service) ListChecklists(ctx context.Context, actor Actor, roomID string) ([]clearance.Checklist, error) {
	q := s.db.Read()
	if _, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewRoom); err != nil {
		return nil, err
	}
	return q.ListChecklists(ctx, roomID)
}

// CheckChecklistItem checks or unchecks one item of a checklist. The items of a signed
// checklist are fixed (409); setting an item to what it already is changes nothing and
// records nothing.
func (s *Service) CheckChecklistItem(ctx context.Context, actor Actor, roomID, checklistID, itemID string, checked bool) (clearance.Checklist, error) {
	var c clearance.Checklist
	err := s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.CheckChecklistItem)
		if err != nil {
			return err
		}
		if c, err = tx.ChecklistByID(ctx, roomID, checklistID); err != nil {
			return err
		}
		if err := permit(m, request{action: authz.CheckChecklistItem, vesselID: c.VesselID}); err != nil {
			return err
		}
		i := itemIndex(c, itemID)
		if i < 0 {
			return fmt.Errorf("checklist item: %w", apperr.ErrNotFound)
		}
		if c.SignedAt != nil {
			return fmt.Errorf("%s of %s was signed by %s; its items can no longer change: %w",
				clearance.ChecklistName(c.Phase), c.VesselName, c.SignerEmail, apperr.ErrConflict)
		}
		it := &c.Items[i]
		if (it.CheckedAt != nil) == checked {
			return nil
		}
		action := audit.ActionChecklistUnchecked
		it.CheckedBy, it.CheckerEmail, it.CheckedAt = "", "", nil
		if checked {
			now := s.now()
			action = audit.ActionChecklistItemChecked
			it.CheckedBy, it.CheckerEmail, it.CheckedAt = actor.UserID, actor.Email, &now
		}
		if err := tx.SetChecklistItem(ctx, roomID, c.ID, it.ID, it.CheckedBy, it.CheckerEmail, it.CheckedAt); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, event{scope: roomID, action: action, targetType: "checklist_item", targetID: it.ID,
			meta: map[string]any{"checklist_id": c.ID, "vessel_id": c.VesselID, "vessel_name": c.VesselName, "phase": c.Phase,
				"position": it.Position, "text": it.Text}})
	})
	return c, err
}

func itemIndex(c clearance.Checklist, itemID string) int {
	for i, it := range c.Items {
		if it.ID == itemID {
			return i
		}
	}
	return -1
}

// SignChecklist signs a checklist whose items are all checked. Signing twice, or with an
// item unchecked, is a conflict.
func (s *Service) SignChecklist(ctx context.Context, actor Actor, roomID, checklistID string) (clearance.Checklist, error) {
	var c clearance.Checklist
	err := s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.SignChecklist)
		if err != nil {
			return err
		}
		if c, err = tx.ChecklistByID(ctx, roomID, checklistID); err != nil {
			return err
		}
		if err := permit(m, request{action: authz.SignChecklist, vesselID: c.VesselID}); err != nil {
			return err
		}
		name := clearance.ChecklistName(c.Phase)
		if c.SignedAt != nil {
			return fmt.Errorf("%s of %s is already signed by %s: %w", name, c.VesselName, c.SignerEmail, apperr.ErrConflict)
		}
		if open := uncheckedCount(c); open > 0 {
			return fmt.Errorf("%s of %s has %d of %d items not checked; check every item before signing: %w",
				name, c.VesselName, open, len(c.Items), apperr.ErrConflict)
		}
		now := s.now()
		if err := tx.SignChecklist(ctx, roomID, c.ID, actor.UserID, actor.Email, now); err != nil {
			return err
		}
		c.SignedBy, c.SignerEmail, c.SignedAt = actor.UserID, actor.Email, &now
		return s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionChecklistSigned, targetType: "checklist", targetID: c.ID,
			meta: map[string]any{"vessel_id": c.VesselID, "vessel_name": c.VesselName, "phase": c.Phase,
				"title": clearance.PhaseTitle(c.Phase), "items": len(c.Items)}})
	})
	return c, err
}

func uncheckedCount(c clearance.Checklist) int {
	n := 0
	for _, it := range c.Items {
		if it.CheckedAt == nil {
			n++
		}
	}
	return n
}

// UnsignedChecklistNames describes, for people, each checklist of phases (of every phase
// when none is given) in the room that is not signed yet, by vessel and phase:
// "checklist 2 (Before operations commence) of MT AEGEAN SERENITY is not signed". It is
// empty when every such checklist is signed. The lifecycle calls it on its transaction to
// refuse starting an operation without checklists 1 and 2, and completing it without 5.
func (s *Service) UnsignedChecklistNames(ctx context.Context, q store.Q, roomID string, phases ...int) ([]string, error) {
	lists, err := q.UnsignedChecklists(ctx, roomID, phases)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range lists {
		out = append(out, fmt.Sprintf("%s of %s is not signed", clearance.ChecklistName(c.Phase), c.VesselName))
	}
	return out, nil
}

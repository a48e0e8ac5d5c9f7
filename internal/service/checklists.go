package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

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
				Required: it.Required, Active: true, UpdatedAt: now}
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
// a position it goes last; required says whether a "no" to it keeps a checklist from being
// signed. Vessels added from then on get it; existing checklists keep theirs.
func (s *Service) CreateChecklistTemplate(ctx context.Context, actor Actor, phase int, text string, position *int, required bool) (clearance.ChecklistTemplate, error) {
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
		t = clearance.ChecklistTemplate{ID: newID(), Phase: it.Phase, Position: it.Position, Text: it.Text, Required: required,
			Active: true, UpdatedAt: s.now()}
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
	Required *bool
	Active   *bool
	Position *int
}

// UpdateChecklistTemplate changes a template item's text, position, required or active flag (platform
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
		if p.Required != nil {
			t.Required = *p.Required
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
	return map[string]any{"phase": t.Phase, "position": t.Position, "text": t.Text, "required": t.Required, "active": t.Active}
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

// RoomChecklists are a room's checklists with the sides that sign each of them.
type RoomChecklists struct {
	Lists []clearance.Checklist // by vessel and phase, with items and signatures
	Sides []clearance.SignatureSide
}

// ListChecklists returns a room's checklists by vessel and phase, with their items and
// signatures, and the sides that sign them (each ship's and the POAC's).
func (s *Service) ListChecklists(ctx context.Context, actor Actor, roomID string) (RoomChecklists, error) {
	q := s.db.Read()
	if _, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewRoom); err != nil {
		return RoomChecklists{}, err
	}
	sides, err := signatureSides(ctx, q, roomID)
	if err != nil {
		return RoomChecklists{}, err
	}
	lists, err := q.ListChecklists(ctx, roomID)
	return RoomChecklists{Lists: lists, Sides: sides}, err
}

// ChecklistView is one checklist with the sides that sign it.
type ChecklistView struct {
	clearance.Checklist
	Sides []clearance.SignatureSide
}

// State is how far the checklist is against its sides.
func (v ChecklistView) State() clearance.ChecklistState {
	return clearance.StateOf(v.Checklist, v.Sides)
}

// signatureSides are the sides that sign a room's checklists, from its vessels.
func signatureSides(ctx context.Context, q store.Q, roomID string) ([]clearance.SignatureSide, error) {
	vessels, err := q.ListVessels(ctx, roomID)
	if err != nil {
		return nil, err
	}
	return clearance.SignatureSides(vessels), nil
}

// ChecklistAnswerInput is an answer to a checklist item: Answer "" clears it.
type ChecklistAnswerInput struct {
	Answer string
	Remark string
}

// AnswerChecklistItem answers one item of a checklist (yes, no or not applicable, with a
// remark) or clears its answer. The answers of a checklist anyone has signed are fixed
// (409); giving an item the answer and remark it has changes nothing and records nothing.
func (s *Service) AnswerChecklistItem(ctx context.Context, actor Actor, roomID, checklistID, itemID string, in ChecklistAnswerInput) (ChecklistView, error) {
	answer, err := clearance.ParseChecklistAnswer(in.Answer)
	if err != nil {
		return ChecklistView{}, apperr.Invalid("answer", err.Error())
	}
	remark, err := cleanRemark(in.Remark, answer)
	if err != nil {
		return ChecklistView{}, err
	}
	var v ChecklistView
	err = s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.CheckChecklistItem)
		if err != nil {
			return err
		}
		if v.Checklist, err = tx.ChecklistByID(ctx, roomID, checklistID); err != nil {
			return err
		}
		if v.Sides, err = signatureSides(ctx, tx, roomID); err != nil {
			return err
		}
		c := &v.Checklist
		if err := permit(m, request{action: authz.CheckChecklistItem, vesselID: c.VesselID}); err != nil {
			return err
		}
		i := itemIndex(*c, itemID)
		if i < 0 {
			return fmt.Errorf("checklist item: %w", apperr.ErrNotFound)
		}
		if err := clearance.CheckAnswerChange(*c); err != nil {
			return err
		}
		it := &c.Items[i]
		if it.Answer == answer && it.Remark == remark {
			return nil
		}
		action := audit.ActionChecklistUnchecked
		it.Answer, it.Remark, it.AnsweredBy, it.AnswererEmail, it.AnsweredAt = "", "", "", "", nil
		if answer != "" {
			now := s.now()
			action = audit.ActionChecklistItemAnswered
			it.Answer, it.Remark, it.AnsweredBy, it.AnswererEmail, it.AnsweredAt = answer, remark, actor.UserID, actor.Email, &now
		}
		if err := tx.SetChecklistItem(ctx, *it); err != nil {
			return err
		}
		meta := map[string]any{"checklist_id": c.ID, "vessel_id": c.VesselID, "vessel_name": c.VesselName, "phase": c.Phase,
			"position": it.Position, "text": it.Text}
		if answer != "" {
			meta["answer"], meta["remark"], meta["required"] = string(answer), remark, it.Required
		}
		return s.record(ctx, tx, actor, event{scope: roomID, action: action, targetType: "checklist_item", targetID: it.ID, meta: meta})
	})
	return v, err
}

// cleanRemark trims a remark and checks its length; clearing an answer clears its remark.
func cleanRemark(remark string, answer clearance.ChecklistAnswer) (string, error) {
	remark = strings.TrimSpace(remark)
	if answer == "" {
		return "", nil
	}
	if len([]rune(remark)) > clearance.MaxChecklistRemark {
		return "", apperr.Invalid("remark", fmt.Sprintf("must be at most %d characters", clearance.MaxChecklistRemark))
	}
	return remark, nil
}

func itemIndex(c clearance.Checklist, itemID string) int {
	for i, it := range c.Items {
		if it.ID == itemID {
			return i
		}
	}
	return -1
}

// SignChecklist signs a checklist for one side: side is the vessel id of the ship whose
// master's side signs (an owner party bound to that ship), or clearance.POACSide (the STS
// provider). Without a side, the caller's own is taken when it has exactly one. Every item
// must be answered and no required one answered "no"; a side signs once.
func (s *Service) SignChecklist(ctx context.Context, actor Actor, roomID, checklistID, side string) (ChecklistView, error) {
	var v ChecklistView
	err := s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.SignChecklist)
		if err != nil {
			return err
		}
		if v.Checklist, err = tx.ChecklistByID(ctx, roomID, checklistID); err != nil {
			return err
		}
		if v.Sides, err = signatureSides(ctx, tx, roomID); err != nil {
			return err
		}
		c, sides := &v.Checklist, v.Sides
		if side, err = sideOf(m, sides, strings.TrimSpace(side)); err != nil {
			return err
		}
		sd, err := clearance.FindSide(sides, side)
		if err != nil {
			return err
		}
		if err := permitSide(m, side); err != nil {
			return err
		}
		if err := clearance.CheckSignature(*c, sides, side); err != nil {
			return err
		}
		sg := clearance.ChecklistSignature{ID: newID(), ChecklistID: c.ID, RoomID: roomID, Side: side, PartyID: m.PartyID,
			SignedBy: actor.UserID, SignerEmail: actor.Email, SignedAt: s.now()}
		if err := tx.SignChecklist(ctx, sg); err != nil {
			return err
		}
		c.Signatures = append(c.Signatures, sg)
		st := v.State()
		return s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionChecklistSigned, targetType: "checklist", targetID: c.ID,
			meta: map[string]any{"vessel_id": c.VesselID, "vessel_name": c.VesselName, "phase": c.Phase,
				"title": clearance.PhaseTitle(c.Phase), "items": len(c.Items), "side": side, "side_name": sd.Label(),
				"complete": st.Complete()}})
	})
	return v, err
}

// sideOf is the side the caller signs for: the one asked for, or else the only one its party
// can sign (the POAC's for the STS provider, the ship's for an owner bound to one ship).
func sideOf(m store.Membership, sides []clearance.SignatureSide, asked string) (string, error) {
	if asked != "" {
		return asked, nil
	}
	var mine []string
	for _, sd := range sides {
		if permitSide(m, sd.Side) == nil {
			mine = append(mine, sd.Side)
		}
	}
	if len(mine) == 1 {
		return mine[0], nil
	}
	if len(mine) == 0 {
		return "", fmt.Errorf("your party signs for no side of this room's checklists: a ship's side is signed by an owner "+
			"party bound to that ship, the POAC's by the STS provider: %w", apperr.ErrForbidden)
	}
	return "", apperr.Invalid("side", "is required: your party signs for more than one ship; give the vessel id of the ship you sign for")
}

// permitSide decides whether m's party signs side: the STS provider the POAC's, an owner
// party bound to a ship that ship's side. (authz.SignChecklist is already permitted.)
func permitSide(m store.Membership, side string) error {
	want := clearance.SideRole(side)
	if authz.Role(m.Role) != want {
		return fmt.Errorf("%s side is signed by %s: %w", sideWord(side), want.WithArticle(), apperr.ErrForbidden)
	}
	if side == clearance.POACSide {
		return nil
	}
	return permit(m, request{action: authz.SignChecklist, vesselID: side})
}

func sideWord(side string) string {
	if side == clearance.POACSide {
		return "the POAC's"
	}
	return "a ship's"
}

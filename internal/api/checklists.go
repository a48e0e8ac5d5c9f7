package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

type checklistTemplateJSON struct {
	ID        string    `json:"id"`
	Phase     int       `json:"phase" minimum:"1" maximum:"5"`
	Title     string    `json:"title" doc:"title of the phase's checklist"`
	Position  int       `json:"position" doc:"order within the phase"`
	Text      string    `json:"text"`
	Active    bool      `json:"active" doc:"inactive items are not copied into new checklists"`
	UpdatedAt time.Time `json:"updated_at"`
}

func checklistTemplateOf(t clearance.ChecklistTemplate) checklistTemplateJSON {
	return checklistTemplateJSON{ID: t.ID, Phase: t.Phase, Title: clearance.PhaseTitle(t.Phase), Position: t.Position,
		Text: t.Text, Active: t.Active, UpdatedAt: t.UpdatedAt}
}

type checklistItemJSON struct {
	ID        string     `json:"id"`
	Position  int        `json:"position"`
	Text      string     `json:"text"`
	Checked   bool       `json:"checked"`
	CheckedBy *string    `json:"checked_by" doc:"e-mail of who checked it; null while unchecked"`
	CheckedAt *time.Time `json:"checked_at"`
}

type checklistJSON struct {
	ID         string              `json:"id"`
	VesselID   string              `json:"vessel_id"`
	VesselName string              `json:"vessel_name"`
	Phase      int                 `json:"phase" minimum:"1" maximum:"5" doc:"the STS Transfer Guide's checklist number"`
	Title      string              `json:"title"`
	Complete   bool                `json:"complete" doc:"every item is checked"`
	SignedBy   *string             `json:"signed_by" doc:"e-mail of who signed it; null while unsigned"`
	SignedAt   *time.Time          `json:"signed_at"`
	Items      []checklistItemJSON `json:"items" doc:"in order"`
}

// emailIf is the e-mail of who did something, or nil when it was not done.
func emailIf(email string, at *time.Time) *string {
	if at == nil {
		return nil
	}
	return &email
}

func checklistOf(c clearance.Checklist) checklistJSON {
	out := checklistJSON{ID: c.ID, VesselID: c.VesselID, VesselName: c.VesselName, Phase: c.Phase, Title: clearance.PhaseTitle(c.Phase),
		Complete: c.Complete(), SignedBy: emailIf(c.SignerEmail, c.SignedAt), SignedAt: c.SignedAt,
		Items: make([]checklistItemJSON, len(c.Items))}
	for i, it := range c.Items {
		out.Items[i] = checklistItemJSON{ID: it.ID, Position: it.Position, Text: it.Text, Checked: it.CheckedAt != nil,
			CheckedBy: emailIf(it.CheckerEmail, it.CheckedAt), CheckedAt: it.CheckedAt}
	}
	return out
}

type createTemplateInput struct {
	Body struct {
		Phase    int    `json:"phase" minimum:"1" maximum:"5"`
		Text     string `json:"text" maxLength:"500"`
		Position *int   `json:"position,omitempty" minimum:"1" maximum:"10000" doc:"default: after the phase's last item"`
	}
}

type updateTemplateInput struct {
	TemplateID string `path:"template_id" maxLength:"64"`
	Body       struct {
		Text     *string `json:"text,omitempty" maxLength:"500"`
		Active   *bool   `json:"active,omitempty"`
		Position *int    `json:"position,omitempty" minimum:"1" maximum:"10000"`
	}
}

type checklistTemplateOutput struct {
	Body checklistTemplateJSON
}

type checklistTemplatesOutput struct {
	Body list[checklistTemplateJSON]
}

// ChecklistPath is the path of one checklist.
type ChecklistPath struct {
	RoomPath
	ChecklistID string `path:"checklist_id" maxLength:"64"`
}

type checkItemInput struct {
	ChecklistPath
	ItemID string `path:"item_id" maxLength:"64"`
	Body   struct {
		Checked bool `json:"checked" doc:"true to check the item, false to uncheck it"`
	}
}

type checklistOutput struct {
	Body checklistJSON
}

type checklistsOutput struct {
	Body list[checklistJSON]
}

func (h *Handlers) registerChecklists(a huma.API) {
	tags := []string{"checklists"}
	huma.Register(a, huma.Operation{OperationID: "list-checklist-templates", Method: http.MethodGet, Path: "/checklist-templates", Tags: tags,
		Summary: "The checklist templates of phases 1–5, inactive items too", Security: authed},
		func(ctx context.Context, _ *struct{}) (*checklistTemplatesOutput, error) {
			ts, err := h.svc.ListChecklistTemplates(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			return &checklistTemplatesOutput{Body: listOf(ts, "", checklistTemplateOf)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "create-checklist-template", Method: http.MethodPost, Path: "/checklist-templates", Tags: tags,
		Summary: "Add a checklist template item (admins)", Security: authed, DefaultStatus: http.StatusCreated,
		Description: "Vessels added to a room from then on get the item; existing checklists do not change."},
		func(ctx context.Context, in *createTemplateInput) (*checklistTemplateOutput, error) {
			t, err := h.svc.CreateChecklistTemplate(ctx, actorOf(ctx), in.Body.Phase, in.Body.Text, in.Body.Position)
			if err != nil {
				return nil, err
			}
			return &checklistTemplateOutput{Body: checklistTemplateOf(t)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "update-checklist-template", Method: http.MethodPatch, Path: "/checklist-templates/{template_id}", Tags: tags,
		Summary: "Change a checklist template item's text, position or active flag (admins); its phase is fixed", Security: authed,
		Description: "Existing checklists keep the text they were created with."},
		func(ctx context.Context, in *updateTemplateInput) (*checklistTemplateOutput, error) {
			b := in.Body
			t, err := h.svc.UpdateChecklistTemplate(ctx, actorOf(ctx), in.TemplateID, service.ChecklistTemplatePatch{Text: b.Text, Active: b.Active, Position: b.Position})
			if err != nil {
				return nil, err
			}
			return &checklistTemplateOutput{Body: checklistTemplateOf(t)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-checklists", Method: http.MethodGet, Path: "/rooms/{room_id}/checklists", Tags: tags,
		Summary: "A room's phase checklists, per vessel and phase, with their items", Security: authed},
		func(ctx context.Context, in *RoomPath) (*checklistsOutput, error) {
			lists, err := h.svc.ListChecklists(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			return &checklistsOutput{Body: listOf(lists, "", checklistOf)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "check-checklist-item", Method: http.MethodPost, Path: "/rooms/{room_id}/checklists/{checklist_id}/items/{item_id}", Tags: tags,
		Summary: "Check or uncheck a checklist item", Security: authed,
		Description: "Returns the checklist. 409 when the checklist is signed; setting an item to what it already is changes nothing."},
		func(ctx context.Context, in *checkItemInput) (*checklistOutput, error) {
			c, err := h.svc.CheckChecklistItem(ctx, actorOf(ctx), in.RoomID, in.ChecklistID, in.ItemID, in.Body.Checked)
			return checklistResult(c, err)
		})
	huma.Register(a, huma.Operation{OperationID: "sign-checklist", Method: http.MethodPost, Path: "/rooms/{room_id}/checklists/{checklist_id}/sign", Tags: tags,
		Summary: "Sign a checklist whose items are all checked", Security: authed,
		Description: "Returns the checklist. 409 when an item is not checked or the checklist is already signed."},
		func(ctx context.Context, in *ChecklistPath) (*checklistOutput, error) {
			c, err := h.svc.SignChecklist(ctx, actorOf(ctx), in.RoomID, in.ChecklistID)
			return checklistResult(c, err)
		})
}

func checklistResult(c clearance.Checklist, err error) (*checklistOutput, error) {
	if err != nil {
		return nil, err
	}
	return &checklistOutput{Body: checklistOf(c)}, nil
}

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
	Required  bool      `json:"required" doc:"a \"no\" to a required item keeps the checklist from being signed"`
	Active    bool      `json:"active" doc:"inactive items are not copied into new checklists"`
	UpdatedAt time.Time `json:"updated_at"`
}

func checklistTemplateOf(t clearance.ChecklistTemplate) checklistTemplateJSON {
	return checklistTemplateJSON{ID: t.ID, Phase: t.Phase, Title: clearance.PhaseTitle(t.Phase), Position: t.Position,
		Text: t.Text, Required: t.Required, Active: t.Active, UpdatedAt: t.UpdatedAt}
}

type checklistItemJSON struct {
	ID         string      `json:"id"`
	Position   int         `json:"position"`
	Text       string      `json:"text"`
	Required   bool        `json:"required" doc:"a \"no\" to it keeps the checklist from being signed"`
	Answer     *answerName `json:"answer" doc:"null while unanswered"`
	Remark     string      `json:"remark"`
	Checked    bool        `json:"checked" doc:"the item is answered"`
	AnsweredBy *string     `json:"answered_by" doc:"e-mail of who answered it; null while unanswered"`
	AnsweredAt *time.Time  `json:"answered_at"`
}

type personJSON struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

type checklistSignatureJSON struct {
	Side     string      `json:"side" doc:"the vessel id of the ship whose master's side signs, or poac"`
	SideName string      `json:"side_name" doc:"e.g. \"MT AEGEAN SERENITY's side\" or \"the POAC\""`
	Signed   bool        `json:"signed"`
	SignedBy *personJSON `json:"signed_by" doc:"null while this side has not signed"`
	SignedAt *time.Time  `json:"signed_at"`
}

type checklistJSON struct {
	ID         string                   `json:"id"`
	VesselID   string                   `json:"vessel_id"`
	VesselName string                   `json:"vessel_name"`
	Phase      int                      `json:"phase" minimum:"1" maximum:"5" doc:"the STS Transfer Guide's checklist number"`
	Title      string                   `json:"title"`
	Answered   bool                     `json:"answered" doc:"every item has an answer"`
	Signable   bool                     `json:"signable" doc:"every item is answered and no required item is answered no"`
	Complete   bool                     `json:"complete" doc:"signable and signed by every ship's side and the POAC"`
	Lacks      string                   `json:"lacks" doc:"what keeps it from being complete, in words; empty when complete"`
	Signatures []checklistSignatureJSON `json:"signatures" doc:"one per side that must sign: each ship of the room, then the POAC"`
	Items      []checklistItemJSON      `json:"items" doc:"in order"`
}

// emailIf is the e-mail of who did something, or nil when it was not done.
func emailIf(email string, at *time.Time) *string {
	if at == nil {
		return nil
	}
	return &email
}

func checklistOf(sides []clearance.SignatureSide) func(clearance.Checklist) checklistJSON {
	return func(c clearance.Checklist) checklistJSON {
		st := clearance.StateOf(c, sides)
		out := checklistJSON{ID: c.ID, VesselID: c.VesselID, VesselName: c.VesselName, Phase: c.Phase, Title: clearance.PhaseTitle(c.Phase),
			Answered: st.Answered(), Signable: st.Signable(), Complete: st.Complete(), Lacks: st.Lacks(len(c.Items)),
			Items: make([]checklistItemJSON, len(c.Items)), Signatures: []checklistSignatureJSON{}}
		for _, sd := range sides {
			sj := checklistSignatureJSON{Side: sd.Side, SideName: sd.Label()}
			if sg, ok := c.SignatureOf(sd.Side); ok {
				at := sg.SignedAt
				sj.Signed, sj.SignedBy, sj.SignedAt = true, &personJSON{Email: sg.SignerEmail, Name: sg.SignerName}, &at
			}
			out.Signatures = append(out.Signatures, sj)
		}
		for i, it := range c.Items {
			ij := checklistItemJSON{ID: it.ID, Position: it.Position, Text: it.Text, Required: it.Required, Remark: it.Remark,
				Checked: it.Answer != "", AnsweredBy: emailIf(it.AnswererEmail, it.AnsweredAt), AnsweredAt: it.AnsweredAt}
			if it.Answer != "" {
				a := answerName(it.Answer)
				ij.Answer = &a
			}
			out.Items[i] = ij
		}
		return out
	}
}

type createTemplateInput struct {
	Body struct {
		Phase    int    `json:"phase" minimum:"1" maximum:"5"`
		Text     string `json:"text" maxLength:"500"`
		Position *int   `json:"position,omitempty" minimum:"1" maximum:"10000" doc:"default: after the phase's last item"`
		Required *bool  `json:"required,omitempty" doc:"default true: a \"no\" to it keeps a checklist from being signed"`
	}
}

type updateTemplateInput struct {
	TemplateID string `path:"template_id" maxLength:"64"`
	Body       struct {
		Text     *string `json:"text,omitempty" maxLength:"500"`
		Required *bool   `json:"required,omitempty"`
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

type answerItemInput struct {
	ChecklistPath
	ItemID string `path:"item_id" maxLength:"64"`
	Body   struct {
		Answer  *string `json:"answer,omitempty" maxLength:"32" doc:"yes, no or not_applicable; null or absent clears the answer"`
		Remark  string  `json:"remark,omitempty" maxLength:"1000"`
		Checked *bool   `json:"checked,omitempty" doc:"older clients: true answers yes, false clears the answer; ignored when answer is given"`
	}
}

// answer is the answer the body gives: answer itself, or else what checked stands for.
func (in *answerItemInput) answer() string {
	switch b := in.Body; {
	case b.Answer != nil:
		return *b.Answer
	case b.Checked != nil && *b.Checked:
		return string(clearance.AnswerYes)
	}
	return ""
}

type signChecklistInput struct {
	ChecklistPath
	Body *struct {
		Side string `json:"side,omitempty" maxLength:"64" doc:"the vessel id of the ship you sign for, or poac; default: your party's only side"`
	}
}

type checklistsOutput struct {
	Body list[checklistJSON]
}

type checklistOutput struct {
	Body checklistJSON
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
			required := in.Body.Required == nil || *in.Body.Required
			t, err := h.svc.CreateChecklistTemplate(ctx, actorOf(ctx), in.Body.Phase, in.Body.Text, in.Body.Position, required)
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
			t, err := h.svc.UpdateChecklistTemplate(ctx, actorOf(ctx), in.TemplateID, service.ChecklistTemplatePatch{Text: b.Text, Required: b.Required, Active: b.Active, Position: b.Position})
			if err != nil {
				return nil, err
			}
			return &checklistTemplateOutput{Body: checklistTemplateOf(t)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-checklists", Method: http.MethodGet, Path: "/rooms/{room_id}/checklists", Tags: tags,
		Summary: "A room's phase checklists, per vessel and phase, with their answers and signatures", Security: authed},
		func(ctx context.Context, in *RoomPath) (*checklistsOutput, error) {
			cl, err := h.svc.ListChecklists(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			return &checklistsOutput{Body: listOf(cl.Lists, "", checklistOf(cl.Sides))}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "answer-checklist-item", Method: http.MethodPost, Path: "/rooms/{room_id}/checklists/{checklist_id}/items/{item_id}", Tags: tags,
		Summary: "Answer a checklist item yes, no or not applicable, with a remark, or clear its answer", Security: authed,
		Description: "Returns the checklist. 409 once any side has signed the checklist; giving an item the answer and remark it has changes nothing."},
		func(ctx context.Context, in *answerItemInput) (*checklistOutput, error) {
			c, err := h.svc.AnswerChecklistItem(ctx, actorOf(ctx), in.RoomID, in.ChecklistID, in.ItemID,
				service.ChecklistAnswerInput{Answer: in.answer(), Remark: in.Body.Remark})
			return checklistResult(c, err)
		})
	huma.Register(a, huma.Operation{OperationID: "sign-checklist", Method: http.MethodPost, Path: "/rooms/{room_id}/checklists/{checklist_id}/sign", Tags: tags,
		Summary: "Sign a checklist for one side: a ship's master's side or the POAC", Security: authed,
		Description: "A ship's side is signed by an owner party bound to that ship, the POAC's by the STS provider. Returns the checklist; " +
			"it is complete when every ship's side and the POAC have signed. 409 when an item is unanswered, a required item is answered no, " +
			"or the side has signed already."},
		func(ctx context.Context, in *signChecklistInput) (*checklistOutput, error) {
			side := ""
			if in.Body != nil {
				side = in.Body.Side
			}
			c, err := h.svc.SignChecklist(ctx, actorOf(ctx), in.RoomID, in.ChecklistID, side)
			return checklistResult(c, err)
		})
}

func checklistResult(c service.ChecklistView, err error) (*checklistOutput, error) {
	if err != nil {
		return nil, err
	}
	return &checklistOutput{Body: checklistOf(c.Sides)(c.Checklist)}, nil
}

package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/service"
)

type milestoneJSON struct {
	Milestone  milestoneName `json:"milestone"`
	Label      string        `json:"label" doc:"e.g. \"cargo transfer started\""`
	OccurredAt time.Time     `json:"occurred_at" doc:"when it happened, as the ships report it"`
	RecordedBy personJSON    `json:"recorded_by"`
	RecordedAt time.Time     `json:"recorded_at"`
}

type nextMilestoneJSON struct {
	Milestone milestoneName `json:"milestone"`
	Label     string        `json:"label"`
	Phase     int           `json:"checklist_phase" doc:"the checklist complete on every ship before it; 0 for none"`
	Lacking   []string      `json:"lacking" doc:"what keeps that checklist from being complete, in words; empty when the milestone may be recorded (in operation)"`
}

type operationJSON struct {
	Milestones []milestoneJSON    `json:"milestones" doc:"recorded so far, in order"`
	Next       *nextMilestoneJSON `json:"next_milestone" doc:"null once the ships are unmoored"`
}

func operationOf(o service.Operation) operationJSON {
	out := operationJSON{Milestones: make([]milestoneJSON, len(o.Milestones))}
	for i, m := range o.Milestones {
		out.Milestones[i] = milestoneJSON{Milestone: milestoneName(m.Milestone), Label: m.Milestone.Label(), OccurredAt: m.OccurredAt,
			RecordedBy: personJSON{Email: m.RecorderEmail, Name: m.RecorderName}, RecordedAt: m.RecordedAt}
	}
	if next, lacking, ok := o.Next(); ok {
		out.Next = &nextMilestoneJSON{Milestone: milestoneName(next), Label: next.Label(), Phase: next.Phase(), Lacking: lacking}
		if out.Next.Lacking == nil {
			out.Next.Lacking = []string{}
		}
	}
	return out
}

type recordMilestoneInput struct {
	RoomPath
	Body struct {
		Milestone  milestoneName `json:"milestone"`
		OccurredAt *time.Time    `json:"occurred_at,omitempty" doc:"when it happened; default now. Not before the previous milestone, not in the future"`
	}
}

type operationOutput struct {
	Body operationJSON
}

func (h *Handlers) registerMilestones(a huma.API) {
	tags := []string{"checklists"}
	huma.Register(a, huma.Operation{OperationID: "get-operation", Method: http.MethodGet, Path: "/rooms/{room_id}/milestones", Tags: tags,
		Summary: "The operation's milestones so far, and what the next one waits for", Security: authed},
		func(ctx context.Context, in *RoomPath) (*operationOutput, error) {
			o, err := h.svc.GetOperation(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			return &operationOutput{Body: operationOf(o)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "record-milestone", Method: http.MethodPost, Path: "/rooms/{room_id}/milestones", Tags: tags,
		Summary: "Record the next operational milestone: mooring started, cargo transfer started or completed, unmoored", Security: authed,
		DefaultStatus: http.StatusCreated,
		Description: "The room must be in operation and the milestones come in order. Mooring waits for checklist 3, cargo transfer for 4 and " +
			"unmooring for 5, each complete (answered and signed by every ship's side and the POAC) on every ship: otherwise 409 naming what is missing. " +
			"Returns the operation."},
		func(ctx context.Context, in *recordMilestoneInput) (*operationOutput, error) {
			o, err := h.svc.RecordMilestone(ctx, actorOf(ctx), in.RoomID, string(in.Body.Milestone), in.Body.OccurredAt)
			if err != nil {
				return nil, err
			}
			return &operationOutput{Body: operationOf(o)}, nil
		})
}

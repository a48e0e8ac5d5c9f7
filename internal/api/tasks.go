package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/clearance"
)

// taskJSON is one thing the caller has to do in a room.
type taskJSON struct {
	Kind        taskKind    `json:"kind" doc:"what to do: review a version, upload a missing document, replace a rejected one (or re-run a screening), renew one that expires before the operation ends, sign off, sign off again after a change, or answer a question addressed to your party"`
	RoomID      string      `json:"room_id"`
	RoomTitle   string      `json:"room_title"`
	RoomETA     time.Time   `json:"room_sts_eta"`
	DocumentID  string      `json:"document_id,omitempty" doc:"the document to act on (absent for a sign-off: POST /rooms/{room_id}/approvals)"`
	TypeCode    string      `json:"type_code,omitempty"`
	VesselID    string      `json:"vessel_id,omitempty"`
	Criticality criticality `json:"criticality"`
	Text        string      `json:"text" doc:"what to do and why, in words"`
}

func taskOf(t clearance.Task) taskJSON {
	return taskJSON{Kind: taskKind(t.Kind), RoomID: t.RoomID, RoomTitle: t.RoomTitle, RoomETA: t.RoomETA, DocumentID: t.DocumentID,
		TypeCode: t.TypeCode, VesselID: t.VesselID, Criticality: criticality(t.Criticality), Text: t.Text}
}

type tasksOutput struct {
	Body list[taskJSON]
}

func tasksOf(tasks []clearance.Task) *tasksOutput {
	return &tasksOutput{Body: listOf(tasks, "", taskOf)}
}

// tasksOrder is the order both task lists document.
const tasksOrder = "Most urgent first: documents that expire (or have expired) before the operation ends, rejected ones and " +
	"screenings to re-run, versions awaiting review, missing documents, then sign-offs (one gone stale first); within each, " +
	"the most critical first, then the room whose operation comes first."

func (h *Handlers) registerTasks(a huma.API) {
	tags := []string{"tasks"}
	huma.Register(a, huma.Operation{OperationID: "my-tasks", Method: http.MethodGet, Path: "/me/tasks", Tags: tags,
		Summary:     "The caller's tasks across its rooms (archived ones aside)",
		Description: "What the caller's own parties have to do: versions awaiting its review (not its own uploads), its documents that are missing, rejected or lapse before the operation ends, and its sign-off once the documents are in order or when its approval went stale. " + tasksOrder,
		Security:    authed},
		func(ctx context.Context, _ *struct{}) (*tasksOutput, error) {
			tasks, err := h.svc.Tasks(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			return tasksOf(tasks), nil
		})
	huma.Register(a, huma.Operation{OperationID: "room-tasks", Method: http.MethodGet, Path: "/rooms/{room_id}/tasks", Tags: tags,
		Summary: "The caller's tasks in one room (404 unless the caller is a party)", Description: tasksOrder, Security: authed},
		func(ctx context.Context, in *RoomPath) (*tasksOutput, error) {
			tasks, err := h.svc.RoomTasks(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			return tasksOf(tasks), nil
		})
}

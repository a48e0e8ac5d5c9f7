package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

type approvalJSON struct {
	ID           string        `json:"id"`
	PartyID      string        `json:"party_id"`
	UserID       string        `json:"user_id"`
	Email        string        `json:"email"`
	Role         string        `json:"role"`
	Status       signOffStatus `json:"status"`
	Notes        string        `json:"notes"`
	DecidedAt    time.Time     `json:"decided_at"`
	SupersededAt *time.Time    `json:"superseded_at" doc:"when a later decision of the same party replaced it"`
	PartyRemoved bool          `json:"party_removed" doc:"the party has left the room; its decision no longer counts"`
	Counts       bool          `json:"counts" doc:"this is the party's current decision and the party is still in the room"`
}

func approvalOf(a clearance.Approval) approvalJSON {
	return approvalJSON{ID: a.ID, PartyID: a.PartyID, UserID: a.UserID, Email: a.Email, Role: a.Role, Status: signOffStatus(a.Status), Notes: a.Notes,
		DecidedAt: a.DecidedAt, SupersededAt: a.SupersededAt, PartyRemoved: a.PartyRemoved,
		Counts: a.SupersededAt == nil && !a.PartyRemoved && a.Status != service.SignOffWithdrawn}
}

type signOffsOutput struct {
	Body struct {
		Items   []approvalJSON `json:"items" doc:"every decision, newest first"`
		Pending []partyJSON    `json:"pending" doc:"parties that sign off and have not approved"`
	}
}

type recordSignOffInput struct {
	RoomPath
	Body struct {
		Status signOffStatus `json:"status"`
		Notes  string        `json:"notes,omitempty" maxLength:"2000" doc:"required with a rejection"`
	}
}

type approvalOutput struct {
	Body approvalJSON
}

type changeStatusInput struct {
	RoomPath
	Body struct {
		Status roomStatus `json:"status"`
		Reason string     `json:"reason,omitempty" maxLength:"2000" doc:"required for on_hold and cancelled"`
	}
}

func (h *Handlers) registerSignOff(a huma.API) {
	huma.Register(a, huma.Operation{OperationID: "list-approvals", Method: http.MethodGet, Path: "/rooms/{room_id}/approvals", Tags: []string{"sign-off"},
		Summary: "Sign-off history and the parties still to sign off", Security: authed},
		func(ctx context.Context, in *RoomPath) (*signOffsOutput, error) {
			so, err := h.svc.ListSignOffs(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			out := &signOffsOutput{}
			out.Body.Items = listOf(so.History, "", approvalOf).Items
			out.Body.Pending = listOf(so.Pending, "", partyOf).Items
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "record-approval", Method: http.MethodPost, Path: "/rooms/{room_id}/approvals", Tags: []string{"sign-off"},
		Summary: "Record the caller's sign-off (approved, rejected, or withdrawn)", Security: authed, DefaultStatus: http.StatusCreated,
		Description: "The previous decision stays in the history. The room's clearance follows at once."},
		func(ctx context.Context, in *recordSignOffInput) (*approvalOutput, error) {
			a, err := h.svc.RecordSignOff(ctx, actorOf(ctx), in.RoomID, string(in.Body.Status), in.Body.Notes)
			if err != nil {
				return nil, err
			}
			return &approvalOutput{Body: approvalOf(a)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "change-room-status", Method: http.MethodPost, Path: "/rooms/{room_id}/status", Tags: []string{"rooms"},
		Summary: "Move the room through its lifecycle", Security: authed,
		Description: "draft→clearing→cleared→in_operation→completed, on_hold and cancelled with a reason. 409 for a move the lifecycle does not allow or whose conditions (clearance, checklists 1-2 to start, 5 to complete) are not met. " +
			"A hold belongs to a role (the room's `hold.owner`): a screening hold to the charterer, a manual one to the role that placed it. Lifting it (on_hold→clearing) needs a reason (422) and is 403 for any other role, and 409 while a required screening is a confirmed match."},
		func(ctx context.Context, in *changeStatusInput) (*roomOutput, error) {
			v, err := h.svc.ChangeRoomStatus(ctx, actorOf(ctx), in.RoomID, string(in.Body.Status), in.Body.Reason)
			if err != nil {
				return nil, err
			}
			return &roomOutput{Body: roomOf(v)}, nil
		})
}

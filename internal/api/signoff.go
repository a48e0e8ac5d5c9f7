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
	ID             string        `json:"id"`
	PartyID        string        `json:"party_id"`
	UserID         string        `json:"user_id"`
	Email          string        `json:"email"`
	Role           string        `json:"role"`
	Status         signOffStatus `json:"status"`
	Notes          string        `json:"notes"`
	DecidedAt      time.Time     `json:"decided_at"`
	SupersededAt   *time.Time    `json:"superseded_at" doc:"when a later decision of the same party replaced it"`
	PartyRemoved   bool          `json:"party_removed" doc:"the party has left the room; its decision no longer counts"`
	Counts         bool          `json:"counts" doc:"this is the party's current decision, the party is still in the room, and it is not stale"`
	Stale          bool          `json:"stale" doc:"a current approval given before a change to what it covered (a new version, a rejection, an expiry, a waiver or a new requirement); it does not count until the party signs again"`
	ChangesSince   []string      `json:"changes_since" doc:"for a stale approval, what changed since it, in words (documents the caller may not see are left out)"`
	Covered        []coveredJSON `json:"covered" doc:"the required documents the decision covered, each at its version (null for a withdrawal or a decision recorded before coverage was; documents the caller may not see are left out)"`
	ChainSeq       *int64        `json:"chain_seq" doc:"the room's audit chain position at the decision: the sequence number of the latest entry before it"`
	ChainHash      string        `json:"chain_hash" doc:"the hash of that entry"`
	CoverageDigest string        `json:"coverage_digest" doc:"SHA-256 of the recorded coverage, carried by the decision's trail entry too"`
}

// coveredJSON is one document a sign-off covered.
type coveredJSON struct {
	DocumentID    string `json:"document_id"`
	TypeCode      string `json:"type_code"`
	TypeName      string `json:"type_name"`
	VesselID      string `json:"vessel_id,omitempty"`
	VesselName    string `json:"vessel_name,omitempty"`
	VersionID     string `json:"version_id,omitempty" doc:"absent when nothing had been uploaded"`
	VersionNumber int    `json:"version_number" doc:"0 when nothing had been uploaded"`
	SHA256        string `json:"sha256,omitempty"`
	Status        string `json:"status" doc:"the document's status in effect at the decision"`
}

// approvalOf is a decision as recorded, without what the history adds (a fresh one is not stale).
func approvalOf(a clearance.Approval) approvalJSON {
	counts := a.SupersededAt == nil && !a.PartyRemoved && a.Status != service.SignOffWithdrawn
	return signOffOf(service.SignOff{Approval: a, Counts: counts})
}

func signOffOf(so service.SignOff) approvalJSON {
	a := so.Approval
	out := approvalJSON{ID: a.ID, PartyID: a.PartyID, UserID: a.UserID, Email: a.Email, Role: a.Role, Status: signOffStatus(a.Status), Notes: a.Notes,
		DecidedAt: a.DecidedAt, SupersededAt: a.SupersededAt, PartyRemoved: a.PartyRemoved, Counts: so.Counts, Stale: so.Stale,
		ChangesSince: []string{}, CoverageDigest: a.CoverageDigest}
	for _, c := range so.Changes {
		out.ChangesSince = append(out.ChangesSince, c.Text)
	}
	if cov := a.Coverage; cov != nil {
		seq := cov.Chain.Seq
		out.ChainSeq, out.ChainHash, out.Covered = &seq, cov.Chain.Hash, []coveredJSON{}
		for _, d := range cov.Documents {
			out.Covered = append(out.Covered, coveredJSON{DocumentID: d.DocumentID, TypeCode: d.TypeCode, TypeName: d.TypeName, VesselID: d.VesselID,
				VesselName: d.VesselName, VersionID: d.VersionID, VersionNumber: d.VersionNumber, SHA256: d.SHA256, Status: string(d.Status)})
		}
	}
	return out
}

type signOffsOutput struct {
	Body struct {
		Items   []approvalJSON `json:"items" doc:"every decision, newest first"`
		Pending []partyJSON    `json:"pending" doc:"parties that sign off and have no approval that counts (none, a rejection, or a stale one)"`
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
		Summary: "Sign-off history and the parties still to sign off", Security: authed,
		Description: "Each decision with what it covered (the required documents at their versions, and the room's audit chain position). " +
			"A current approval given before one of those documents got a new version, was rejected, expired or was waived, or before a new " +
			"requirement appeared, is `stale`: it does not count, and `changes_since` says what changed."},
		func(ctx context.Context, in *RoomPath) (*signOffsOutput, error) {
			so, err := h.svc.ListSignOffs(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			out := &signOffsOutput{}
			out.Body.Items = listOf(so.History, "", signOffOf).Items
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

package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// Sign-off decisions a party may record, as the store's strings; "withdrawn" takes its
// decision back. The list is clearance.SignOffStatuses.
const (
	SignOffApproved  = string(clearance.SignOffApproved)
	SignOffRejected  = string(clearance.SignOffRejected)
	SignOffWithdrawn = string(clearance.SignOffWithdrawn)
)

// SignOffs is a room's sign-off history and who still has to decide.
type SignOffs struct {
	History []clearance.Approval // newest first; removed parties' decisions stay, marked
	Pending []clearance.Party    // active parties that sign off and have no current approval
}

// ListSignOffs returns a room's sign-off history and the parties still to sign off.
func (s *Service) ListSignOffs(ctx context.Context, actor Actor, roomID string) (SignOffs, error) {
	q := s.db.Read()
	if _, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewRoom); err != nil {
		return SignOffs{}, err
	}
	history, err := q.ListApprovals(ctx, roomID)
	if err != nil {
		return SignOffs{}, err
	}
	states, err := signOffStates(ctx, q, roomID)
	if err != nil {
		return SignOffs{}, err
	}
	parties, err := q.ListParties(ctx, roomID, false)
	if err != nil {
		return SignOffs{}, err
	}
	byID := map[string]clearance.Party{}
	for _, p := range parties {
		byID[p.ID] = p
	}
	out := SignOffs{History: history}
	for _, st := range states {
		if st.Status != clearance.SignOffApproved {
			out.Pending = append(out.Pending, byID[st.PartyID])
		}
	}
	return out, nil
}

// RecordSignOff records the caller's party's decision on the operation (approved, rejected,
// or withdrawn to take it back). The previous decision stays in the history. The room's
// clearance follows at once.
func (s *Service) RecordSignOff(ctx context.Context, actor Actor, roomID, status, notes string) (clearance.Approval, error) {
	notes = strings.TrimSpace(notes)
	var a clearance.Approval
	err := s.db.InTx(ctx, func(tx store.Q) error {
		party, err := authorizeMember(ctx, tx, actor, roomID, authz.SignOff)
		if err != nil {
			return err
		}
		var c apperr.Collector
		if !slices.Contains(clearance.SignOffStatuses(), clearance.SignOffStatus(status)) {
			c.Add("status", "must be "+apperr.OneOf(clearance.SignOffStatuses()))
		}
		if status == SignOffRejected && notes == "" {
			c.Add("notes", "are required with a rejection: say what must change")
		}
		if len([]rune(notes)) > 2000 {
			c.Add("notes", "must be at most 2000 characters")
		}
		if err := c.Err(); err != nil {
			return err
		}
		if status == SignOffWithdrawn {
			current, err := tx.CurrentApprovals(ctx, roomID)
			if err != nil {
				return err
			}
			if !hasDecision(current, party.PartyID) {
				return fmt.Errorf("there is no sign-off to withdraw: %w", apperr.ErrConflict)
			}
		}
		a = clearance.Approval{ID: newID(), RoomID: roomID, PartyID: party.PartyID, UserID: actor.UserID, Email: party.Email, Role: party.Role,
			Status: status, Notes: notes, DecidedAt: s.now()}
		if err := tx.RecordApproval(ctx, a); err != nil {
			return err
		}
		action := audit.ActionApprovalRecorded
		if status == SignOffWithdrawn {
			action = audit.ActionApprovalWithdrawn
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: action, targetType: "party", targetID: party.PartyID,
			meta: map[string]any{"status": status, "role": party.Role, "notes": notes}}); err != nil {
			return err
		}
		return s.followRoomGate(ctx, tx, actor, party.Room)
	})
	return a, err
}

func hasDecision(current []clearance.Approval, partyID string) bool {
	for _, a := range current {
		if a.PartyID == partyID && a.Status != SignOffWithdrawn {
			return true
		}
	}
	return false
}

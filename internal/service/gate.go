package service

import (
	"context"
	"time"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// roomGate evaluates a room's clearance gate on the data q sees.
func (s *Service) roomGate(ctx context.Context, q store.Q, room store.Room, now time.Time) (clearance.GateResult, []clearance.DocumentState, error) {
	docs, err := q.ListDocuments(ctx, room.ID)
	if err != nil {
		return clearance.GateResult{}, nil, err
	}
	views, err := s.documentViews(ctx, q, room, docs, nil)
	if err != nil {
		return clearance.GateResult{}, nil, err
	}
	signOffs, err := signOffStates(ctx, q, room.ID)
	if err != nil {
		return clearance.GateResult{}, nil, err
	}
	states := documentStates(views)
	return clearance.Gate(states, signOffs, now, clearance.OperationWindowEnd(room.STSETA, nil)), states, nil
}

// gateCleared decides the gate with the fewest reads (no names, versions or vessels): it
// runs in every write that can change the gate, inside the write's transaction. It asks
// the cheap questions first: a required document whose review is not approved, or a
// missing or rejected sign-off, closes the gate whatever else is true (clearance.Gate), so
// the dates of the room's documents are read only when every required document is
// approved and every party has approved. Documents come first: one EXISTS, and in a room
// being cleared some document is usually still pending (parties sign off last).
func (s *Service) gateCleared(ctx context.Context, q store.Q, room store.Room, now time.Time) (bool, error) {
	if pending, err := q.AnyRequiredNotApproved(ctx, room.ID); err != nil || pending {
		return false, err
	}
	signOffs, err := signOffStates(ctx, q, room.ID)
	if err != nil {
		return false, err
	}
	if len(clearance.SignOffBlockers(signOffs)) > 0 {
		return false, nil
	}
	docs, err := q.ListDocumentProgress(ctx, []string{room.ID})
	if err != nil {
		return false, err
	}
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return false, err
	}
	states := make([]clearance.DocumentState, len(docs))
	for i, d := range docs {
		t := types[d.TypeCode]
		states[i] = clearance.DocumentState{Required: d.Required, Status: clearance.DocStatus(d.Status),
			Criticality: t.Criticality, Validity: validityOf(t, d.ExpiresOn, d.PerformedAt)}
	}
	return clearance.Gate(states, signOffs, now, clearance.OperationWindowEnd(room.STSETA, nil)).Cleared, nil
}

// signOffStates lists the active parties whose role signs off, with their current decision.
func signOffStates(ctx context.Context, q store.Q, roomID string) ([]clearance.SignOffState, error) {
	decisions, err := q.CurrentDecisions(ctx, roomID)
	if err != nil {
		return nil, err
	}
	var out []clearance.SignOffState
	for _, d := range decisions {
		if !authz.Can(authz.Role(d.Role), authz.SignOff) {
			continue
		}
		st := clearance.SignOffStatus(d.Status)
		if st != clearance.SignOffApproved && st != clearance.SignOffRejected {
			st = "" // undecided or withdrawn
		}
		out = append(out, clearance.SignOffState{PartyID: d.PartyID, Email: d.Email, Role: d.Role, Status: st})
	}
	return out, nil
}

// followGate moves a clearing room to cleared when its gate passes and a cleared room back
// to clearing when the gate is lost, recording the move and its reason. Every use case that
// can change the gate calls it last, inside its transaction, with the room locked from the
// start (authorizeRoom takes the room lock in a write; background work calls tx.LockRoom), so concurrent changes in one room are judged one after the
// other and a room is never left cleared while something blocks it.
func (s *Service) followGate(ctx context.Context, tx store.Q, actor Actor, roomID string) error {
	room, err := tx.RoomByID(ctx, roomID)
	if err != nil {
		return err
	}
	return s.followRoomGate(ctx, tx, actor, room)
}

// followRoomGate is followGate for a use case that read the room in its transaction, with
// the room locked, and has not changed it since (a review or a sign-off): one read fewer.
func (s *Service) followRoomGate(ctx context.Context, tx store.Q, actor Actor, room store.Room) error {
	roomID := room.ID
	if st := clearance.RoomStatus(room.Status); st != clearance.StatusClearing && st != clearance.StatusCleared {
		return nil // only clearing and cleared rooms follow the gate
	}
	now := s.now()
	cleared, err := s.gateCleared(ctx, tx, room, now)
	if err != nil {
		return err
	}
	next, moved := clearance.FollowGate(clearance.RoomStatus(room.Status), cleared)
	if !moved {
		return nil
	}
	reason := "every required document is approved and valid, and every party has signed off"
	if !cleared {
		// Only now are the blockers' names worth reading.
		gate, _, err := s.roomGate(ctx, tx, room, now)
		if err != nil {
			return err
		}
		reason = "clearance lost"
		if len(gate.Blockers) > 0 {
			reason += ": " + gate.Blockers[0].Reason
		}
	}
	from := room.Status
	room.Status, room.StatusReason, room.UpdatedAt = string(next), "", now
	if err := tx.UpdateRoom(ctx, room); err != nil {
		return err
	}
	return s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionRoomStatusChanged, targetType: "room", targetID: roomID,
		meta: map[string]any{"from": from, "to": room.Status, "automatic": true, "reason": reason}})
}

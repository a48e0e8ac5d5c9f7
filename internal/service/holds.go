package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// A room's holds (clearance.Hold): placed by a screening match or by a party, lifted only by
// the role they belong to.

// currentMatches lists the room's screenings whose latest version is a match.
func currentMatches(ctx context.Context, q store.Q, roomID string) ([]clearance.MatchState, error) {
	docs, err := q.ListDocuments(ctx, roomID)
	if err != nil {
		return nil, err
	}
	names, err := vesselNames(ctx, q, roomID, docs)
	if err != nil {
		return nil, err
	}
	var out []clearance.MatchState
	for _, d := range docs {
		if clearance.IsScreening(d.TypeCode) && d.Outcome.IsMatch() {
			out = append(out, clearance.MatchState{DocumentID: d.ID, Label: screeningLabel(d.TypeCode, names[deref(d.VesselID)]),
				Outcome: d.Outcome, Required: d.Required})
		}
	}
	return out, nil
}

// holdForScreening puts the room on a compliance hold for screening m, in the transaction
// of the write that made it a match: a room being cleared, cleared or in operation goes
// on_hold at once (clearance.MayAutoHold), owned by compliance, and the trail says why; a
// room already on a hold that is not compliance's has its hold taken over by this one; a
// room already on a screening hold keeps it; a draft or a finished room is not held.
//
// The reason names the screening and its outcome, not the screening's remark: every party
// reads a room's status and trail, and a screening's findings are for those who see it.
func (s *Service) holdForScreening(ctx context.Context, tx store.Q, actor Actor, roomID string, m clearance.MatchState) error {
	room, err := tx.RoomByID(ctx, roomID)
	if err != nil {
		return err
	}
	from := clearance.RoomStatus(room.Status)
	reason := fmt.Sprintf("compliance hold: the %s screening is a %s", m.Label, m.Outcome.Text())
	now := s.now()
	hold := clearance.Hold{ID: newID(), RoomID: roomID, Source: clearance.HoldScreening, Owner: clearance.OwnerOf(clearance.HoldScreening, ""),
		DocumentID: m.DocumentID, Reason: reason, PlacedBy: actor.UserID, PlacedByEmail: actor.Email, PlacedAt: now}
	meta := map[string]any{"reason": reason, "automatic": true, "hold_owner": string(hold.Owner), "hold_source": string(hold.Source),
		"document_id": m.DocumentID}
	action := audit.ActionRoomStatusChanged
	switch {
	case from == clearance.StatusOnHold:
		current, err := tx.CurrentHold(ctx, roomID)
		if err != nil {
			return err
		}
		if current != nil && current.Source == clearance.HoldScreening {
			return nil // already compliance's hold: its owner sees every match when lifting
		}
		if current != nil {
			current.LiftedBy, current.LiftedByEmail, current.LiftedAt = actor.UserID, actor.Email, &now
			current.LiftReason = "taken over by a screening hold: " + reason
			if err := tx.LiftHold(ctx, *current); err != nil {
				return err
			}
			meta["superseded_hold_owner"] = string(current.Owner)
		}
		action = audit.ActionHoldPlaced
	case clearance.MayAutoHold(from):
		if err := clearance.CheckRoomTransition(from, clearance.StatusOnHold); err != nil {
			return err
		}
		meta["from"], meta["to"] = string(from), string(clearance.StatusOnHold)
	default:
		return nil
	}
	if err := tx.PlaceHold(ctx, hold); err != nil {
		return err
	}
	room.Status, room.StatusReason, room.UpdatedAt = string(clearance.StatusOnHold), reason, now
	if err := tx.UpdateRoom(ctx, room); err != nil {
		return err
	}
	if err := s.record(ctx, tx, actor, event{scope: roomID, action: action, targetType: "room", targetID: roomID, meta: meta}); err != nil {
		return err
	}
	return s.notifyStatus(ctx, tx, actor, room, clearance.StatusOnHold, reason)
}

// holdChange is what a status move does to the room's holds, decided before the move
// (checkHoldChange) and written with it (apply).
type holdChange struct {
	lift    *clearance.Hold // the current hold, ended by this move (lifted or cancelled)
	place   *clearance.Hold // a manual hold this move places
	matches []clearance.MatchState
	// onStart is the screening whose match puts a draft being started on hold at once.
	onStart *clearance.MatchState
	reason  string
}

// checkHoldChange decides what the move from → to by a party of role does to the room's
// holds, and refuses a lift the hold's rules do not allow (clearance.CheckLift).
func (s *Service) checkHoldChange(ctx context.Context, tx store.Q, role authz.Role, roomID string, from, to clearance.RoomStatus, reason string) (holdChange, error) {
	hc := holdChange{reason: reason}
	var err error
	switch {
	case from == clearance.StatusOnHold:
		if hc.lift, err = tx.CurrentHold(ctx, roomID); err != nil {
			return hc, err
		}
		if to == clearance.StatusClearing {
			if hc.matches, err = currentMatches(ctx, tx, roomID); err != nil {
				return hc, err
			}
			present, err := ownerPresent(ctx, tx, roomID, hc.lift)
			if err != nil {
				return hc, err
			}
			if err := clearance.CheckLift(hc.lift, role, reason, hc.matches, present); err != nil {
				return hc, err
			}
		}
	case to == clearance.StatusOnHold:
		hc.place = &clearance.Hold{ID: newID(), RoomID: roomID, Source: clearance.HoldManual,
			Owner: clearance.OwnerOf(clearance.HoldManual, role), Reason: reason}
	case from == clearance.StatusDraft && to == clearance.StatusClearing:
		matches, err := currentMatches(ctx, tx, roomID)
		if err != nil {
			return hc, err
		}
		if m, ok := clearance.HoldOnStart(matches); ok {
			hc.onStart = &m
		}
	}
	return hc, nil
}

// apply writes the hold change made by actor at now, and adds what it did to the status
// change's trail entry meta.
func (hc holdChange) apply(ctx context.Context, tx store.Q, actor Actor, now time.Time, meta map[string]any) error {
	if h := hc.lift; h != nil {
		h.LiftedBy, h.LiftedByEmail, h.LiftedAt, h.LiftReason = actor.UserID, actor.Email, &now, hc.reason
		if err := tx.LiftHold(ctx, *h); err != nil {
			return err
		}
		meta["hold_owner"], meta["hold_source"] = string(h.Owner), string(h.Source)
	}
	// A lift with potential matches current records them as false positives.
	if fp := clearance.FalsePositives(hc.matches); len(fp) > 0 {
		meta["false_positives"] = fp
	}
	if h := hc.place; h != nil {
		h.PlacedBy, h.PlacedByEmail, h.PlacedAt = actor.UserID, actor.Email, now
		if err := tx.PlaceHold(ctx, *h); err != nil {
			return err
		}
		meta["hold_owner"], meta["hold_source"] = string(h.Owner), string(h.Source)
	}
	return nil
}

// withHold fills in the current hold of a room on hold.
func withHold(ctx context.Context, q store.Q, v RoomView) (RoomView, error) {
	if clearance.RoomStatus(v.Status) != clearance.StatusOnHold {
		return v, nil
	}
	h, err := q.CurrentHold(ctx, v.ID)
	if err != nil {
		return v, err
	}
	present, err := ownerPresent(ctx, q, v.ID, h)
	v.Hold, v.HoldOwnerAbsent = h, !present
	return v, err
}

// ownerPresent reports whether the room has an active party of the role hold h belongs to
// (true for no hold: there is no owner to miss).
func ownerPresent(ctx context.Context, tx store.Q, roomID string, h *clearance.Hold) (bool, error) {
	if h == nil {
		return true, nil
	}
	parties, err := tx.ListParties(ctx, roomID, false)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(parties, func(p clearance.Party) bool { return authz.Role(p.Role) == h.Owner }), nil
}

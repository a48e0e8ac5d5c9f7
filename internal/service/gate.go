package service

import (
	"context"
	"time"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// gateReading is a room's two gates as read on one view of its data, with the records read
// on the way that callers show too.
type gateReading struct {
	clearance.GateResult
	Docs       []clearance.DocumentState
	Checklists []clearance.Checklist // every phase's
	Sides      []clearance.SignatureSide
}

// roomGate evaluates both gates of a room on the data q sees.
func (s *Service) roomGate(ctx context.Context, q store.Q, room store.Room, now time.Time) (gateReading, error) {
	docs, err := q.ListDocuments(ctx, room.ID)
	if err != nil {
		return gateReading{}, err
	}
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return gateReading{}, err
	}
	vessels, err := q.ListVessels(ctx, room.ID)
	if err != nil {
		return gateReading{}, err
	}
	g := gateReading{Sides: clearance.SignatureSides(vessels)}
	in := clearance.GateInput{Now: now, WindowEnd: room.WindowEnd(), VesselNames: map[string]string{}}
	for _, v := range vessels {
		in.Vessels = append(in.Vessels, v.Role)
		in.VesselNames[v.ID] = v.Name
	}
	in.Docs = documentStates(s.evaluate(types, in.VesselNames, room, docs, nil))
	if in.SignOffs, err = s.signOffStates(ctx, q, room.ID, now); err != nil {
		return gateReading{}, err
	}
	if in.Coastal, err = coastalRule(ctx, q, room); err != nil {
		return gateReading{}, err
	}
	if in.Notices, err = coastalNotices(ctx, q, room.ID); err != nil {
		return gateReading{}, err
	}
	if g.Checklists, err = q.ListChecklists(ctx, room.ID); err != nil {
		return gateReading{}, err
	}
	in.Checklists = preOperationBlockers(g.Checklists, g.Sides)
	g.GateResult, g.Docs = clearance.Gate(in), in.Docs
	return g, nil
}

// preOperationBlockers are the phase checklists in the commencement gate: those that must be
// complete before the operation commences (phases 1 and 2 of every vessel, answered and
// signed by every ship's side and the POAC) and are not, as blockers.
func preOperationBlockers(lists []clearance.Checklist, sides []clearance.SignatureSide) []clearance.Blocker {
	incomplete := clearance.IncompleteChecklists(lists, sides, clearance.PreOperationPhases()...)
	out := make([]clearance.Blocker, len(incomplete))
	for i, ic := range incomplete {
		out[i] = clearance.ChecklistBlocker(ic)
	}
	return out
}

// coastalNotices are a room's recorded notices and permissions as the coastal rule reads them.
func coastalNotices(ctx context.Context, q store.Q, roomID string) ([]clearance.CoastalNotice, error) {
	records, err := q.ListCoastalNotices(ctx, roomID)
	if err != nil {
		return nil, err
	}
	return noticesOf(records), nil
}

// noticesOf turns stored notice records into what the coastal rule reads.
func noticesOf(records []clearance.NoticeRecord) []clearance.CoastalNotice {
	out := make([]clearance.CoastalNotice, len(records))
	for i, n := range records {
		out[i] = clearance.CoastalNotice{VesselID: n.VesselID, VesselName: n.VesselName, Kind: n.Kind, NotifiedAt: n.NotifiedAt,
			Reference: n.Reference, ETAAtNotice: n.ETAAtNotice, RecordedAt: n.RecordedAt}
	}
	return out
}

// gateCleared decides the clearance gate with the fewest reads (no names, versions, notices
// or checklists): it runs in every write that can change the gate, inside the write's
// transaction. It asks the cheap questions first: a required high-criticality document
// whose review is not approved, or a missing, rejected or stale sign-off, closes the gate
// whatever else is true (clearance.Gate), so the dates of the room's documents are read only
// when every such document is approved and every party has approved. The sign-offs take two
// reads (the decisions, then, once some party has approved, what its approval covered
// against the documents now: signOffStates). Documents come first: one
// EXISTS, and in a room being cleared some document is usually still pending (parties sign
// off last).
func (s *Service) gateCleared(ctx context.Context, q store.Q, room store.Room, now time.Time) (bool, error) {
	if pending, err := q.AnyRequiredNotApproved(ctx, room.ID, clearance.CriticalityHigh); err != nil || pending {
		return false, err
	}
	signOffs, err := s.signOffStates(ctx, q, room.ID, now)
	if err != nil {
		return false, err
	}
	if len(clearance.SignOffBlockers(signOffs)) > 0 {
		return false, nil
	}
	vessels, err := q.ListVessels(ctx, room.ID)
	if err != nil {
		return false, err
	}
	roles := make([]clearance.VesselRole, len(vessels))
	for i, v := range vessels {
		roles[i] = v.Role
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
			Criticality: d.Criticality, Validity: validityOf(t, d.ExpiresOn, d.PerformedAt), Screening: d.Screening}
	}
	// No vessel names, notices or checklists: they decide only the commencement gate.
	in := clearance.GateInput{Docs: states, SignOffs: signOffs, Vessels: roles, Now: now, WindowEnd: room.WindowEnd()}
	return clearance.Gate(in).Cleared, nil
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
	reason := "both sides of the transfer are present, every high-criticality requirement is approved and valid, and every party has signed off"
	meta := map[string]any{"from": room.Status, "automatic": true}
	var blockers []clearance.Blocker
	var states []clearance.SignOffState
	if !cleared {
		// Only now are the blockers' names worth reading.
		gate, err := s.roomGate(ctx, tx, room, now)
		if err != nil {
			return err
		}
		blockers = gate.Of(clearance.GateClearance)
		if reason, err = s.lostReason(ctx, tx, blockers); err != nil {
			return err
		}
		if states, err = s.signOffStates(ctx, tx, roomID, now); err != nil {
			return err
		}
		if stale := staleSignOffs(states); len(stale) > 0 {
			meta["stale_sign_offs"] = stale // the parties only: what changed may be confidential to some readers
		}
	}
	room.Status, room.StatusReason, room.UpdatedAt = string(next), "", now
	if err := tx.UpdateRoom(ctx, room); err != nil {
		return err
	}
	meta["to"], meta["reason"] = room.Status, reason
	if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionRoomStatusChanged, targetType: "room", targetID: roomID, meta: meta}); err != nil {
		return err
	}
	if cleared {
		return s.notifyStatus(ctx, tx, actor, room, next, reason)
	}
	return s.notifyFellBack(ctx, tx, actor, room, blockers, states)
}

// lostReason says why a room lost clearance in its trail, which every party reads: the
// first blocker every party may read of — one about no document, or about a document type
// every role sees. A document confidential to some (a sanctions screening, say) is named only
// in the summary, to those who may see it.
func (s *Service) lostReason(ctx context.Context, q store.Q, blockers []clearance.Blocker) (string, error) {
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return "", err
	}
	for _, b := range blockers {
		if b.TypeCode == "" || clearance.SeenByAll(types[b.TypeCode]) {
			return "clearance lost: " + b.Reason, nil
		}
	}
	return "clearance lost: a required document or sign-off no longer holds (the room's summary names it to those who may see it)", nil
}

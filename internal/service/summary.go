package service

import (
	"context"
	"fmt"
	"time"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// RoomSummary is a room with what stands between it and each gate.
type RoomSummary struct {
	RoomView
	Cleared     bool // the clearance gate passes now
	MayCommence bool // the commencement gate passes too
	// Blockers are the clearance gate's, then the commencement gate's, most critical first
	// within each; each says which roles act on it.
	Blockers []clearance.Blocker
	// Warnings say what blocks nothing yet deserves attention: informative requirements,
	// blockers confidential to others.
	Warnings []string
	// Operation is where the operation stands: the checklists and milestones (Operation.Next
	// says what the next milestone waits for).
	Operation Operation
	// Area is the coastal-state entry the room names, as the gate read it; nil when
	// it names none.
	Area *clearance.CoastalArea
	// Questions are the room's open questions as the caller sees them (questions.go).
	Questions QuestionSummary
}

// GetRoomSummary returns a room's progress and its blockers per gate.
func (s *Service) GetRoomSummary(ctx context.Context, actor Actor, roomID string) (RoomSummary, error) {
	q := s.db.Read()
	m, err := authorizeMember(ctx, q, actor, roomID, authz.ViewRoom)
	if err != nil {
		return RoomSummary{}, err
	}
	role, room := authz.Role(m.Role), m.Room
	now := s.now()
	gate, err := s.roomGate(ctx, q, room, now)
	if err != nil {
		return RoomSummary{}, err
	}
	required, approved := progressOf(gate.Docs, now)
	milestones, err := q.ListMilestones(ctx, roomID)
	if err != nil {
		return RoomSummary{}, err
	}
	blockers, hidden, err := s.visibleBlockers(ctx, q, m, gate.Blockers)
	if err != nil {
		return RoomSummary{}, err
	}
	notes, hiddenNotes, err := s.visibleBlockers(ctx, q, m, gate.Notes)
	if err != nil {
		return RoomSummary{}, err
	}
	var warnings []string
	for _, n := range notes {
		warnings = append(warnings, n.Reason)
	}
	if hidden += hiddenNotes; hidden > 0 {
		warnings = append(warnings, fmt.Sprintf("%d required document(s) confidential to the coordinators and the vessel's own party "+
			"are not yet cleared; you do not see them", hidden))
	}
	view, err := withHold(ctx, q, RoomView{Room: room, Role: role, Progress: Progress{Required: required, Approved: approved}})
	if err != nil {
		return RoomSummary{}, err
	}
	questions, err := s.questionSummary(ctx, q, m)
	if err != nil {
		return RoomSummary{}, err
	}
	return RoomSummary{RoomView: view, Cleared: gate.Cleared, MayCommence: gate.MayCommence, Blockers: blockers, Warnings: warnings,
		Area: gate.Coastal.Area, Operation: Operation{Checklists: gate.Checklists, Sides: gate.Sides, Milestones: milestones},
		Questions: questions}, nil
}

// visibleBlockers keeps the blockers m's party may see and counts the others: a document
// confidential to others is named to no one else, but that the gate waits for it is said.
func (s *Service) visibleBlockers(ctx context.Context, q store.Q, m store.Membership, all []clearance.Blocker) ([]clearance.Blocker, int, error) {
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	out, hidden := []clearance.Blocker{}, 0
	for _, b := range all {
		// A stale sign-off's blocker names the document that changed (its TypeCode).
		if b.Kind == clearance.BlockerDocument || b.Kind == clearance.BlockerSignOff && b.TypeCode != "" {
			t := types[b.TypeCode]
			if permit(m, request{action: authz.ViewRoom, docType: &t, vesselID: b.VesselID}) != nil {
				hidden++
				continue
			}
		}
		out = append(out, b)
	}
	return out, hidden, nil
}

// lapseRead is what a progress read asks SQL for the documents that may have lapsed: those
// expiring by ahead and the evidence past its cutoffs. ahead is a little after now, so that
// no boundary of the rules falls between what SQL leaves out and what they would judge lapsed.
type lapseRead struct {
	now, ahead time.Time
	cutoffs    []store.EvidenceCutoff
	types      map[string]clearance.DocumentType
}

func (s *Service) lapseRead(ctx context.Context, q store.Q) (lapseRead, error) {
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return lapseRead{}, err
	}
	now := s.now()
	ahead := now.Add(clearance.ExpiryLead)
	return lapseRead{now: now, ahead: ahead, cutoffs: evidenceCutoffs(types, ahead), types: types}, nil
}

// discount takes out of each room's approved count (the stored status) the candidates whose
// validity the clearance rules judge ended by now, though the expiry scan has not yet
// recorded it, so the count agrees with the room's summary at any moment. Candidates of
// rooms not among rooms are left aside.
func (l lapseRead) discount(rooms []RoomView, candidates []store.LapseCandidate) {
	index := make(map[string]int, len(rooms))
	for i, r := range rooms {
		index[r.ID] = i
	}
	judged := map[string]bool{}
	for _, c := range candidates {
		i, ok := index[c.RoomID]
		if judged[c.ID] || !ok {
			continue // it met two kinds of candidate, or it is another room's
		}
		judged[c.ID] = true
		v := validityOf(l.types[c.TypeCode], c.ExpiresOn, c.PerformedAt)
		if clearance.EffectiveStatus(clearance.DocApproved, v, l.now) != clearance.DocApproved {
			rooms[i].Progress.Approved--
		}
	}
}

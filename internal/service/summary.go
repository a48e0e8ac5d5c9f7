package service

import (
	"context"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// RoomSummary is a room with what stands between it and clearance.
type RoomSummary struct {
	RoomView
	Cleared  bool                // the gate passes now
	Blockers []clearance.Blocker // documents and sign-offs, most critical first
	Warnings []string            // coastal-state notices and checklists still to sign
}

// GetRoomSummary returns a room's progress and its blockers, most critical first.
func (s *Service) GetRoomSummary(ctx context.Context, actor Actor, roomID string) (RoomSummary, error) {
	q := s.db.Read()
	role, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewRoom)
	if err != nil {
		return RoomSummary{}, err
	}
	room, err := q.RoomByID(ctx, roomID)
	if err != nil {
		return RoomSummary{}, err
	}
	now := s.now()
	gate, states, err := s.roomGate(ctx, q, room, now)
	if err != nil {
		return RoomSummary{}, err
	}
	required, approved := progressOf(states, now)
	warnings, err := s.noticeWarnings(ctx, q, room)
	if err != nil {
		return RoomSummary{}, err
	}
	unsigned, err := s.UnsignedChecklistNames(ctx, q, roomID, 1, 2, 3, 4, 5)
	if err != nil {
		return RoomSummary{}, err
	}
	blockers := gate.Blockers
	if blockers == nil {
		blockers = []clearance.Blocker{}
	}
	return RoomSummary{RoomView: RoomView{Room: room, Role: role, Progress: Progress{Required: required, Approved: approved}},
		Cleared: gate.Cleared, Blockers: blockers, Warnings: append(warnings, unsigned...)}, nil
}

// withProgress fills in the progress of each room. SQL counts the required documents and
// those approved without dates; only the approved documents with a date that can lapse
// are read (in the same statement), and judged at now by the clearance rules.
func (s *Service) withProgress(ctx context.Context, q store.Q, rooms []RoomView) error {
	if len(rooms) == 0 {
		return nil
	}
	ids := make([]string, len(rooms))
	for i, r := range rooms {
		ids[i] = r.ID
	}
	counts, dated, err := q.RequiredProgress(ctx, ids)
	if err != nil {
		return err
	}
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return err
	}
	byRoom := map[string][]clearance.DocumentState{}
	for _, d := range dated {
		t := types[d.TypeCode]
		byRoom[d.RoomID] = append(byRoom[d.RoomID], clearance.DocumentState{Required: d.Required, Status: clearance.DocStatus(d.Status),
			Validity: validityOf(t, d.ExpiresOn, d.PerformedAt)})
	}
	now := s.now()
	for i := range rooms {
		c := counts[rooms[i].ID]
		_, stillValid := clearance.Progress(byRoom[rooms[i].ID], now)
		rooms[i].Progress.Required, rooms[i].Progress.Approved = c.Required, c.ApprovedUndated+stillValid
	}
	return nil
}

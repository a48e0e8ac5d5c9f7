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
	Blockers []clearance.Blocker
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
	docs, err := q.ListDocuments(ctx, roomID)
	if err != nil {
		return RoomSummary{}, err
	}
	views, err := s.documentViews(ctx, q, roomID, docs, nil)
	if err != nil {
		return RoomSummary{}, err
	}
	states := documentStates(views)
	now := s.now()
	required, approved := progressOf(states, now)
	blockers := blockersOf(states, room, now)
	if blockers == nil {
		blockers = []clearance.Blocker{}
	}
	return RoomSummary{RoomView: RoomView{Room: room, Role: role, Progress: Progress{Required: required, Approved: approved}}, Blockers: blockers}, nil
}

// withProgress fills in the progress of each room from its documents, in one query.
func (s *Service) withProgress(ctx context.Context, q store.Q, rooms []RoomView) error {
	if len(rooms) == 0 {
		return nil
	}
	ids := make([]string, len(rooms))
	for i, r := range rooms {
		ids[i] = r.ID
	}
	docs, err := q.ListDocumentsOfRooms(ctx, ids)
	if err != nil {
		return err
	}
	types, err := catalogue(ctx, q)
	if err != nil {
		return err
	}
	byRoom := map[string][]clearance.DocumentState{}
	for _, d := range docs {
		byRoom[d.RoomID] = append(byRoom[d.RoomID], clearance.DocumentState{Required: d.Required,
			Status: clearance.DocStatus(d.Status), Validity: validity(d, types[d.TypeCode])})
	}
	now := s.now()
	for i := range rooms {
		rooms[i].Progress.Required, rooms[i].Progress.Approved = clearance.Progress(byRoom[rooms[i].ID], now)
	}
	return nil
}

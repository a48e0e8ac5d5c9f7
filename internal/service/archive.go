package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/store"
)

// ArchiveRoom puts a completed or cancelled room away: read-only and out of its parties'
// default lists, every record kept. permit refuses (clearance.CheckRetention) a room that is
// not finished yet.
func (s *Service) ArchiveRoom(ctx context.Context, actor Actor, roomID string) (RoomView, error) {
	return s.setArchived(ctx, actor, roomID, true)
}

// UnarchiveRoom brings an archived room back to its parties' lists and open to changes
// again (a finished room's record stays closed to the operation's changes).
func (s *Service) UnarchiveRoom(ctx context.Context, actor Actor, roomID string) (RoomView, error) {
	return s.setArchived(ctx, actor, roomID, false)
}

func (s *Service) setArchived(ctx context.Context, actor Actor, roomID string, archive bool) (RoomView, error) {
	var view RoomView
	err := s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.ArchiveRoom)
		if err != nil {
			return err
		}
		room := m.Room
		switch {
		case archive && room.ArchivedAt != nil:
			return fmt.Errorf("the room is already archived: %w", apperr.ErrConflict)
		case !archive && room.ArchivedAt == nil:
			return fmt.Errorf("the room is not archived: %w", apperr.ErrConflict)
		}
		now := s.now()
		action := audit.ActionRoomUnarchived
		room.ArchivedAt = nil
		if archive {
			action, room.ArchivedAt = audit.ActionRoomArchived, &now
		}
		room.UpdatedAt = now
		if err := tx.SetRoomArchived(ctx, roomID, room.ArchivedAt, now); err != nil {
			return err
		}
		view = RoomView{Room: room, Role: authz.Role(m.Role)}
		return s.record(ctx, tx, actor, event{scope: roomID, action: action, targetType: "room", targetID: roomID,
			meta: map[string]any{"title": room.Title, "status": room.Status}})
	})
	if err != nil {
		return RoomView{}, err
	}
	return s.viewWithProgress(ctx, view)
}

// Kept rooms, the states of ListKeptRooms.
const (
	KeptArchived = store.KeptArchived
	KeptDeleted  = store.KeptDeleted
)

// KeptStates lists the states of ListKeptRooms.
func KeptStates() []string { return []string{KeptArchived, KeptDeleted} }

// ListKeptRooms lists, for platform admins only, one page of the rooms kept only for the
// record: the archived ones or the deleted ones (state KeptArchived or KeptDeleted), newest
// first. An admin reaches one through AdminAccess.
// The admin is no party of them: the views have no role, and their progress is not counted.
func (s *Service) ListKeptRooms(ctx context.Context, actor Actor, state string, page PageRequest) ([]RoomView, string, error) {
	// SECURITY: platform admins only; the rooms' contents stay behind AdminAccess.
	if !actor.IsAdmin() {
		return nil, "", fmt.Errorf("only platform admins list archived and deleted rooms: %w", apperr.ErrForbidden)
	}
	if !slices.Contains(KeptStates(), state) {
		return nil, "", apperr.Invalid("state", "must be "+apperr.OneOf(KeptStates()))
	}
	before, err := page.cursorValue()
	if err != nil {
		return nil, "", err
	}
	limit := page.limit()
	rooms, err := s.db.Read().ListKeptRooms(ctx, state, before, limit+1)
	if err != nil {
		return nil, "", err
	}
	rooms, next := onePage(rooms, limit, func(r store.Room) string { return r.ID })
	out := make([]RoomView, len(rooms))
	for i, r := range rooms {
		out[i] = RoomView{Room: r}
	}
	return out, next, nil
}

package service

import (
	"context"

	"github.com/stshub/stshub/internal/authz"
)

// RoomChangeSeq is the position of the room's latest audit entry: every change to a room
// is recorded there in its own transaction, so a page rendered after reading it, and a live
// stream that finds it unchanged after subscribing, know that nothing changed in between.
// (Read before the page's own data, it may be older than what the page shows, never newer.)
func (s *Service) RoomChangeSeq(ctx context.Context, actor Actor, roomID string) (int64, error) {
	q := s.db.Read()
	if _, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewRoom); err != nil {
		return 0, err
	}
	head, err := q.AuditHead(ctx, roomID)
	return head.Seq, err
}

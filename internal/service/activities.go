package service

import (
	"context"
	"strconv"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/store"
)

// ActivityFilter narrows a room's trail.
type ActivityFilter struct {
	Action  string
	ActorID string
	PageRequest
}

// ListActivities returns one page of a room's audit trail, newest first.
func (s *Service) ListActivities(ctx context.Context, actor Actor, roomID string, f ActivityFilter) ([]audit.Entry, string, error) {
	q := s.db.Read()
	if _, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewActivity); err != nil {
		return nil, "", err
	}
	if f.Action != "" && !audit.IsAction(f.Action) {
		return nil, "", apperr.Invalid("action", "is not a known action")
	}
	var before int64
	if c, err := f.cursorValue(); err != nil {
		return nil, "", err
	} else if c != "" {
		if before, err = strconv.ParseInt(c, 10, 64); err != nil || before < 1 {
			return nil, "", apperr.Invalid("cursor", "is not a cursor this list returned")
		}
	}
	limit := f.limit()
	entries, err := q.ListAudit(ctx, roomID, store.AuditFilter{Action: f.Action, ActorID: f.ActorID, BeforeSeq: before, Limit: limit + 1})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(entries) > limit {
		entries = entries[:limit]
		next = encodeCursor(strconv.FormatInt(entries[limit-1].Seq, 10))
	}
	return entries, next, nil
}

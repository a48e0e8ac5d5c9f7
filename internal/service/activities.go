package service

import (
	"context"
	"slices"
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
	m, err := authorizeMember(ctx, q, actor, roomID, authz.ViewActivity)
	if err != nil {
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
	entries, next := onePage(entries, limit, func(e audit.Entry) string { return strconv.FormatInt(e.Seq, 10) })
	// The cursor is the page's last entry before filtering, so pages never skip an entry.
	entries, err = s.visibleEntries(ctx, q, m, entries)
	return entries, next, err
}

// visibleEntries leaves out the entries about documents m's party may not see.
// SECURITY: the trail names a confidential document's type, file and reviewer; a party
// that may not see the document does not read of it either.
func (s *Service) visibleEntries(ctx context.Context, q store.Q, m store.Membership, entries []audit.Entry) ([]audit.Entry, error) {
	if !slices.ContainsFunc(entries, func(e audit.Entry) bool { return e.TargetType == "document" }) {
		return entries, nil
	}
	hidden, err := s.hiddenDocuments(ctx, q, m)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(entries, func(e audit.Entry) bool { return hides(hidden, e) }), nil
}

// hiddenDocuments are the IDs of the room's documents m's party may not see.
func (s *Service) hiddenDocuments(ctx context.Context, q store.Q, m store.Membership) (map[string]bool, error) {
	hidden := map[string]bool{}
	if all, err := s.seesEveryType(ctx, q, m); err != nil || all {
		return hidden, err
	}
	docs, err := q.ListDocuments(ctx, m.Room.ID)
	if err != nil {
		return nil, err
	}
	visible, err := s.visibleOnly(ctx, q, m, slices.Clone(docs))
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		hidden[d.ID] = true
	}
	for _, d := range visible {
		delete(hidden, d.ID)
	}
	return hidden, nil
}

// hides reports whether entry e is about one of the hidden documents.
func hides(hidden map[string]bool, e audit.Entry) bool {
	return e.TargetType == "document" && hidden[e.TargetID]
}

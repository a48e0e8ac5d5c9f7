package service

import (
	"context"
	"sync"

	"github.com/stshub/stshub/internal/store"
)

// A page scope lets the reads of one request share the caller's membership: a room page is
// assembled from a dozen reads (its summary, vessels, documents, sign-offs… and what the
// caller may do), each of which checks the caller's party in the room. Within a scope that
// party is read from the database once; each read still decides its own permission from it.
//
// SECURITY: a scope must live no longer than one request that answers at once. A long-lived
// request (a live-update stream) must not use one: a party removed meanwhile would keep its
// access. A write inside the scope reads the membership afresh and drops what the scope
// holds for that room, so reads after it see what the write committed.
type pageScope struct {
	mu   sync.Mutex
	seen map[memberKey]store.Membership
}

type memberKey struct{ roomID, userID string }

type pageScopeKey struct{}

// PageScope returns ctx with a fresh page scope: the room reads made with it read the
// caller's membership of each room once. Use it for one page or one page section.
func PageScope(ctx context.Context) context.Context {
	return context.WithValue(ctx, pageScopeKey{}, &pageScope{seen: map[memberKey]store.Membership{}})
}

// pageScopeOf is ctx's page scope, or nil (which remembers nothing).
func pageScopeOf(ctx context.Context) *pageScope {
	s, _ := ctx.Value(pageScopeKey{}).(*pageScope)
	return s
}

func (s *pageScope) recall(roomID, userID string) (store.Membership, bool) {
	if s == nil {
		return store.Membership{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.seen[memberKey{roomID, userID}]
	return m, ok
}

func (s *pageScope) remember(roomID, userID string, m store.Membership) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen[memberKey{roomID, userID}] = m
}

// forget drops every membership of roomID, as a write in that room begins.
func (s *pageScope) forget(roomID string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.seen {
		if k.roomID == roomID {
			delete(s.seen, k)
		}
	}
}

package web

import (
	"net/http"

	"github.com/stshub/stshub/internal/live"
)

// liveEvents streams the room's change notifications to an open page (Server-Sent Events).
// The page's script re-fetches the affected sections on each event, and everything on
// (re)connect, since events missed while disconnected are not replayed.
//
// SECURITY: the broker trusts its caller, so the permission to view the room is checked
// here, before subscribing, by the service's usual rule: a non-party gets 404 like any
// other room page. A party removed later gets "access_revoked" and the stream ends; its
// reconnect is checked again and refused.
func (h *handler) liveEvents(w http.ResponseWriter, r *http.Request) {
	actor, ok := actorFrom(r.Context())
	if !ok {
		// An EventSource cannot follow a redirect to the sign-in page; the page's own
		// re-fetches will.
		http.Error(w, "not signed in", http.StatusUnauthorized)
		return
	}
	roomID := r.PathValue("room")
	// SECURITY: subscribe first, then check: a removal between the two is either refused
	// here or reaches this subscription as access_revoked.
	events, cancel := h.broker.Subscribe(roomID, actor.UserID)
	defer cancel()
	if _, err := h.svc.RoomPermissions(r.Context(), actor, roomID); err != nil {
		h.renderError(w, r, err, "")
		return
	}
	// SECURITY: news of a document confidential to others does not reach this page.
	keep := func(ev live.Event) bool {
		return h.svc.MayHearOf(r.Context(), actor, ev.RoomID, ev.TargetType, ev.Target)
	}
	live.ServeSSE(w, r, events, 0, keep)
}

package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/stshub/stshub/internal/httpx"
	"github.com/stshub/stshub/internal/live"
	"github.com/stshub/stshub/internal/service"
)

// streamRetryAfter is the Retry-After of a stream refused for the user's cap: the page's
// script retries no faster than every 30 s once refused.
const streamRetryAfter = 30

// liveEvents streams the room's change notifications to an open page (Server-Sent Events).
// The page's script re-fetches the affected sections on each event. Events missed while
// disconnected are not replayed: a page that says the room's change position it was
// rendered at (?since=, page.LiveSince) gets one catch_up event first when the room has
// changed since, and nothing when it has not, so opening the stream right after loading the
// page re-downloads nothing; a page that does not say re-fetches everything on connecting.
//
// SECURITY: the broker trusts its caller, so the permission to view the room is checked
// here, before subscribing, by the service's usual rule: a non-party gets 404 like any
// other room page. A party removed later gets "access_revoked" and the stream ends; its
// reconnect is checked again and refused. The stream belongs to the session it was opened
// with: at that session's logout or expiry, or when all the user's sessions are revoked, it
// gets "session_ended" and ends. A user holds at most live.MaxStreamsPerUser streams on a
// node; one more is 429 with Retry-After.
func (h *handler) liveEvents(w http.ResponseWriter, r *http.Request) {
	actor, ok := actorFrom(r.Context())
	token, _ := r.Context().Value(tokenKey{}).(string)
	if !ok || token == "" {
		// An EventSource cannot follow a redirect to the sign-in page; the page's own
		// re-fetches will.
		http.Error(w, "not signed in", http.StatusUnauthorized)
		return
	}
	sess, err := h.svc.LiveSession(r.Context(), token)
	if err != nil {
		h.renderError(w, r, err, "")
		return
	}
	roomID := r.PathValue("room")
	// SECURITY: subscribe first, then check: a removal or logout between the two is either
	// refused here or reaches this subscription as access_revoked or session_ended.
	events, cancel, err := h.broker.Subscribe(roomID, sess)
	if err != nil { // live.ErrTooManyStreams, its only refusal
		p := httpx.NewProblem(r.Context(), http.StatusTooManyRequests,
			"at most "+strconv.Itoa(live.MaxStreamsPerUser)+" live streams may be open at once; close a tab or try again later")
		p.Headers().Set("Retry-After", strconv.Itoa(streamRetryAfter))
		httpx.WriteProblem(w, p)
		return
	}
	defer cancel()
	if _, err := h.svc.LiveSession(r.Context(), token); err != nil {
		h.renderError(w, r, err, "")
		return
	}
	if _, err := h.svc.RoomPermissions(r.Context(), actor, roomID); err != nil {
		h.renderError(w, r, err, "")
		return
	}
	if since, err := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64); err == nil {
		// Subscribed before reading the position: a change after it arrives as its event.
		seq, err := h.svc.RoomChangeSeq(r.Context(), actor, roomID)
		if err != nil {
			h.renderError(w, r, err, "")
			return
		}
		if seq != since {
			events = catchUpFirst(r.Context(), live.Event{RoomID: roomID, Kind: kindCatchUp, At: time.Now().UTC()}, events)
		}
	}
	// SECURITY: news of a document confidential to others does not reach this page.
	keep := func(ev live.Event) bool {
		return h.svc.MayHearOf(r.Context(), actor, ev.RoomID, ev.TargetType, ev.Target)
	}
	// A session ended by the command line (a password reset) sends no event to this node:
	// the heartbeat finds it gone.
	alive := func() bool {
		_, err := h.svc.LiveSession(r.Context(), token)
		return err == nil
	}
	live.ServeSSE(w, r, events, 0, keep, alive)
}

// kindCatchUp is the event that tells a page the room changed after it was rendered (while
// it was not listening): it re-fetches every section.
const kindCatchUp = "catch_up"

// catchUpFirst yields first, then the events of the subscription, until ctx ends (the
// request's, which ends when the handler returns).
func catchUpFirst(ctx context.Context, first live.Event, events <-chan live.Event) <-chan live.Event {
	out := make(chan live.Event, 1)
	out <- first
	go func() {
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-events:
				if !ok {
					return
				}
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// liveSince is the room's change position for a page about to be rendered from what is read
// after it (page.LiveSince).
func (h *handler) liveSince(ctx context.Context, actor service.Actor, roomID string) (string, error) {
	seq, err := h.svc.RoomChangeSeq(ctx, actor, roomID)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(seq, 10), nil
}

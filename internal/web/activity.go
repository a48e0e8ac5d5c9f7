package web

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/httpx"
	"github.com/stshub/stshub/internal/service"
)

// activityPageSize is how many trail entries a page of the activity section shows.
const activityPageSize = 25

// activityView is one page of a room's audit trail, with its filters.
type activityView struct {
	Entries []activityEntry
	Action  string // filter: one audit action, or ""
	ActorID string // filter: one user, or ""
	Cursor  string // this page's cursor ("" for the newest)
	Next    string // the next (older) page's cursor, or ""
	Actions []string
	Actors  []actorOption
	Self    string // the section's own URL (filters and page), for htmx's re-fetch
	NextURL string // the older page, as a room page link and as a section link
	NextHX  string
	Newest  string // back to the newest entries with the same filters
	Invalid string // why the filters were ignored
}

type activityEntry struct {
	audit.Entry
	Who     string // the actor by name and e-mail ("" for the system)
	Summary string // what the entry did in words (audit.Names.Describe): "approved Q88 v2 of MT AEGEAN SERENITY"
	Details string // the entry's metadata, as recorded
}

type actorOption struct {
	ID, Label string
}

// roomActions are the audit actions a room's trail can hold (the platform's own, such as
// logins, are recorded elsewhere).
func roomActions() []string {
	platform := map[string]bool{audit.ActionUserCreated: true, audit.ActionUserUpdated: true, audit.ActionPasswordReset: true,
		audit.ActionLoginSucceeded: true, audit.ActionLoginFailed: true, audit.ActionLogout: true, audit.ActionCatalogueChanged: true,
		audit.ActionPasswordChanged: true, audit.ActionPasswordResetRequested: true, audit.ActionUserDisabled: true, audit.ActionUserEnabled: true, audit.ActionNotificationPreferencesUpdated: true}
	var out []string
	for _, a := range audit.Actions() {
		if !platform[a] {
			out = append(out, a)
		}
	}
	return out
}

// loadActivity reads the page of the trail that query asks for (action, actor, cursor).
// parties, removed ones included, name the people the trail can be filtered by.
func (h *handler) loadActivity(ctx context.Context, actor service.Actor, roomID string, query url.Values, parties []clearance.Party, vessels []clearance.Vessel) (*activityView, error) {
	v := &activityView{Action: query.Get("action"), ActorID: query.Get("actor"), Cursor: query.Get("cursor"), Actions: roomActions()}
	seen := map[string]bool{}
	for _, p := range parties {
		if p.UserID == nil || seen[*p.UserID] {
			continue
		}
		seen[*p.UserID] = true
		label := p.Email
		if p.RemovedAt != nil {
			label += " (removed)"
		}
		v.Actors = append(v.Actors, actorOption{ID: *p.UserID, Label: label})
	}
	f := service.ActivityFilter{Action: v.Action, ActorID: v.ActorID, PageRequest: service.PageRequest{Cursor: v.Cursor, Limit: activityPageSize}}
	entries, next, err := h.svc.ListActivities(ctx, actor, roomID, f)
	if isValidation(err) {
		// A hand-edited link: show the newest entries rather than an error page.
		v.Invalid = "The filter in the link was not understood, so the newest entries are shown."
		v.Action, v.ActorID, v.Cursor = "", "", ""
		entries, next, err = h.svc.ListActivities(ctx, actor, roomID, service.ActivityFilter{PageRequest: service.PageRequest{Limit: activityPageSize}})
	}
	if err != nil {
		return nil, err
	}
	names := trailNames(parties, vessels)
	for _, e := range entries {
		details := strings.TrimSpace(string(e.Meta))
		if details == "{}" || details == "null" {
			details = ""
		}
		v.Entries = append(v.Entries, activityEntry{Entry: e, Who: who(names, e), Summary: names.Describe(e), Details: details})
	}
	v.Next = next
	base := "/rooms/" + url.PathEscape(roomID)
	q := func(cursor string) string {
		vals := url.Values{}
		if v.Action != "" {
			vals.Set("action", v.Action)
		}
		if v.ActorID != "" {
			vals.Set("actor", v.ActorID)
		}
		if cursor != "" {
			vals.Set("cursor", cursor)
		}
		if len(vals) == 0 {
			return ""
		}
		return "?" + vals.Encode()
	}
	v.Self = base + "/activity" + q(v.Cursor)
	if next != "" {
		v.NextURL = base + "?section=activity&" + strings.TrimPrefix(q(next), "?") + "#activity" // the activity page
		v.NextHX = base + "/activity" + q(next)
	}
	if v.Cursor != "" {
		v.Newest = base + "/activity" + q("")
	}
	return v, nil
}

// trailNames names the room's vessels and the parties' people, removed ones included, for
// the trail's entries in words.
func trailNames(parties []clearance.Party, vessels []clearance.Vessel) audit.Names {
	n := audit.Names{Vessels: map[string]string{}, People: map[string]string{}, Role: func(r string) string { return authz.Role(r).Label() }}
	for _, v := range vessels {
		n.Vessels[v.ID] = v.Name
	}
	for _, p := range parties {
		if p.Name != "" {
			n.People[strings.ToLower(p.Email)] = p.Name
		}
	}
	return n
}

// who is an entry's actor for the activity table: "" for the system's own entries.
func who(n audit.Names, e audit.Entry) string {
	if e.ActorEmail == "" {
		return ""
	}
	return n.Actor(e)
}

// verifyTrail recomputes the room's audit chain and says whether it holds.
func (h *handler) verifyTrail(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	c, err := h.svc.VerifyRoomTrail(r.Context(), actor, roomID)
	if err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "activity", "activity", ""), err)
		return
	}
	if c.Broken != nil {
		h.tell(w, r, roomURL(roomID, "activity"), flash{Kind: "error",
			Message: fmt.Sprintf("The trail is broken at entry #%d: %s.", c.Broken.Seq, c.Broken.Reason)})
		return
	}
	h.done(w, r, roomURL(roomID, "activity"), fmt.Sprintf("The trail is intact: %d entries, each hash holds; head #%d %.16s….",
		c.Entries, c.Head.Seq, c.Head.Hash))
}

// exportTrail streams the room's trail as CSV (broker and charterer).
func (h *handler) exportTrail(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	name := "trail-" + roomID + "-" + time.Now().UTC().Format("20060102-150405") + ".csv"
	out := &httpx.Download{W: w, ContentType: "text/csv; charset=utf-8", Disposition: mime.FormatMediaType("attachment", map[string]string{"filename": name})}
	if err := h.svc.ExportActivity(r.Context(), actor, roomID, out); err != nil {
		if !out.Started() {
			h.renderError(w, r, err, roomURL(roomID, "activity"))
			return
		}
		h.log.Error("trail export cut short", "room_id", roomID, "err", err)
		panic(http.ErrAbortHandler) // the browser must not keep a cut-off file as the whole trail
	}
}

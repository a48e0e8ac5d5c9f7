package web

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/audit"
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
	Summary string // the facts of the entry worth a glance: "Q88 · MT AEGEAN SERENITY · v2"
	Details string // the entry's metadata, as recorded
}

type actorOption struct {
	ID, Label string
}

// roomActions are the audit actions a room's trail can hold (the platform's own, such as
// logins, are recorded elsewhere).
func roomActions() []string {
	platform := map[string]bool{audit.ActionUserCreated: true, audit.ActionUserUpdated: true, audit.ActionPasswordReset: true,
		audit.ActionLoginSucceeded: true, audit.ActionLoginFailed: true, audit.ActionLogout: true, audit.ActionCatalogueChanged: true}
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
	for _, e := range entries {
		details := strings.TrimSpace(string(e.Meta))
		if details == "{}" || details == "null" {
			details = ""
		}
		v.Entries = append(v.Entries, activityEntry{Entry: e, Summary: summarize(e.Meta, vessels), Details: details})
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
		v.NextURL = base + q(next) + "#activity"
		v.NextHX = base + "/activity" + q(next)
	}
	if v.Cursor != "" {
		v.Newest = base + "/activity" + q("")
	}
	return v, nil
}

// summarize picks from an entry's metadata what tells people what happened, in a fixed
// order. The full metadata stays one click away.
func summarize(meta json.RawMessage, vessels []clearance.Vessel) string {
	var m map[string]any
	if len(meta) == 0 || json.Unmarshal(meta, &m) != nil {
		return ""
	}
	names := map[string]string{}
	for _, v := range vessels {
		names[v.ID] = v.Name
	}
	var parts []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			if r := []rune(s); len(r) > 120 {
				s = string(r[:119]) + "…"
			}
			parts = append(parts, s)
		}
	}
	str := func(k string) string {
		switch v := m[k].(type) {
		case string:
			return v
		case float64:
			return trimFloat(v)
		case bool, nil:
			return ""
		default:
			return fmt.Sprint(v)
		}
	}
	if from, to := str("from"), str("to"); to != "" {
		s := human(from) + " → " + human(to)
		if m["automatic"] == true {
			s += " (automatic)"
		}
		add(s)
	}
	add(str("type"))
	if types, ok := m["types"].([]any); ok {
		var codes []string
		for _, t := range types {
			codes = append(codes, fmt.Sprint(t))
		}
		add(strings.Join(codes, ", "))
	}
	if name := str("vessel_name"); name != "" {
		add(name)
	} else if id := str("vessel_id"); id != "" {
		add(names[id])
	}
	add(str("name"))
	add(str("email"))
	if r := str("role"); r != "" {
		add(human(r))
	}
	add(str("status"))
	if n := str("version"); n != "" {
		add("v" + n)
	}
	add(str("filename"))
	add(str("title"))
	add(strings.ToUpper(str("snapshot_type")))
	add(str("reference"))
	if p := str("phase"); p != "" {
		add("checklist " + p)
	}
	add(str("text"))
	if c, ok := m["changes"].(map[string]any); ok {
		var keys []string
		for k := range c {
			keys = append(keys, human(k))
		}
		slices.Sort(keys)
		add("changed: " + strings.Join(keys, ", "))
	}
	if r := str("reason"); r != "" {
		add("“" + r + "”")
	}
	// An approval's note, and the acknowledgement that it lapses during the operation.
	if m["acknowledged_lapse"] == true {
		add("approved although it lapses before the operation ends")
	}
	if n := str("note"); n != "" {
		add("note: “" + n + "”")
	}
	return strings.Join(parts, " · ")
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

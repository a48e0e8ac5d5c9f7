package web

import (
	"errors"
	"net/http"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// expiringWithinDays is how far ahead the cockpit looks for expiring documents.
const expiringWithinDays = 30

// cockpitData is the signed-in user's overview: their rooms and what is about to lapse.
type cockpitData struct {
	Tasks    []clearance.Task // the caller's own across its rooms, most urgent first
	Rooms    []cockpitRoom
	Next     string // cursor of the next page of rooms
	Cursor   string
	Expiring []service.ExpiringDocument
	Days     int
	Archived bool // the archived rooms are listed, not the others
}

type cockpitRoom struct {
	service.RoomSummary
	Percent int
	// ToClear and ToCommence count the blockers of each gate.
	ToClear, ToCommence int
}

// cockpit lists the caller's tasks across its rooms (most urgent first), its rooms (newest first) with status, ETA, clearance progress and
// blockers, and the approved documents that expire within 30 days across them. With
// ?archived=true it lists the archived rooms instead.
func (h *handler) cockpit(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	ctx := r.Context()
	cursor := r.URL.Query().Get("cursor")
	archived := r.URL.Query().Get("archived") == "true"
	list := h.svc.ListRooms
	if archived {
		list = h.svc.ListArchivedRooms
	}
	rooms, next, err := list(ctx, actor, service.PageRequest{Cursor: cursor, Limit: 20})
	if isValidation(err) { // a stale or edited cursor: start again from the newest
		cursor = ""
		rooms, next, err = list(ctx, actor, service.PageRequest{Limit: 20})
	}
	if err != nil {
		h.renderError(w, r, err, "")
		return
	}
	d := cockpitData{Next: next, Cursor: cursor, Days: expiringWithinDays, Archived: archived}
	for _, room := range rooms {
		// The blockers of each room come from its summary. (The service has no list of
		// summaries, so this is one call per room of the page.)
		s, err := h.svc.GetRoomSummary(ctx, actor, room.ID)
		if errors.Is(err, apperr.ErrNotFound) {
			continue // removed from it since the list was read
		}
		if err != nil {
			h.renderError(w, r, err, "")
			return
		}
		d.Rooms = append(d.Rooms, cockpitRoom{RoomSummary: s, Percent: percent(s.Progress.Approved, s.Progress.Required),
			ToClear: len(gateListOf(s.Blockers, clearance.GateClearance).All), ToCommence: len(gateListOf(s.Blockers, clearance.GateCommencement).All)})
	}
	if !archived {
		if d.Tasks, err = h.svc.Tasks(ctx, actor); err != nil {
			h.renderError(w, r, err, "")
			return
		}
	}
	if d.Expiring, err = h.svc.ExpiringDocuments(ctx, actor, expiringWithinDays); err != nil {
		h.renderError(w, r, err, "")
		return
	}
	h.renderPage(w, r, http.StatusOK, "cockpit", &page{Title: "My rooms", Nav: "rooms", Data: d})
}

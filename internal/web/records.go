package web

import (
	"net/http"

	"github.com/stshub/stshub/internal/service"
)

// Records stay: archiving a finished room, and the admins' page of the rooms kept only for
// the record (archived and deleted), from which an admin takes audited access to one.

// archiveRoom puts a completed or cancelled room in the archive: read-only, out of the
// default list.
func (h *handler) archiveRoom(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	if _, err := h.svc.ArchiveRoom(r.Context(), actor, roomID); err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "archive", "summary", ""), err)
		return
	}
	h.done(w, r, roomURL(roomID, ""), "The room is archived: read-only, and listed under Archived.")
}

// unarchiveRoom takes a room out of the archive.
func (h *handler) unarchiveRoom(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	if _, err := h.svc.UnarchiveRoom(r.Context(), actor, roomID); err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "archive", "summary", ""), err)
		return
	}
	h.done(w, r, roomURL(roomID, ""), "The room is out of the archive.")
}

type keptRoomsData struct {
	State  string // service.KeptArchived or service.KeptDeleted
	States []string
	Rooms  []service.RoomView
	Next   string
	Cursor string
}

func (h *handler) keptRoomsHost(r *http.Request, actor service.Actor, f *formState) (string, *page, error) {
	q := r.URL.Query()
	d := keptRoomsData{State: q.Get("state"), States: service.KeptStates(), Cursor: q.Get("cursor")}
	if d.State != service.KeptDeleted {
		d.State = service.KeptArchived
	}
	rooms, next, err := h.svc.ListKeptRooms(r.Context(), actor, d.State, service.PageRequest{Cursor: d.Cursor, Limit: 50})
	if isValidation(err) { // a stale or edited cursor: start again from the newest
		d.Cursor = ""
		rooms, next, err = h.svc.ListKeptRooms(r.Context(), actor, d.State, service.PageRequest{Limit: 50})
	}
	if err != nil {
		return "", nil, err
	}
	d.Rooms, d.Next = rooms, next
	return "admin_rooms", &page{Title: "Kept rooms", Nav: "admin", Form: f, Data: d}, nil
}

// keptRoomsPage lists the archived or the deleted rooms, each with the form that takes
// admin access to it.
func (h *handler) keptRoomsPage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	name, p, err := h.keptRoomsHost(r, actor, nil)
	if err != nil {
		h.renderError(w, r, err, "/admin")
		return
	}
	h.renderPage(w, r, http.StatusOK, name, p)
}

// adminAccess joins the admin to a room as a viewer, with the reason both trails record,
// and opens the room.
func (h *handler) adminAccess(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	spec := formSpec{name: "access", anchor: "kept-rooms", host: func(f *formState) (string, *page, error) {
		return h.keptRoomsHost(r, actor, f)
	}}
	if _, err := h.svc.AdminAccess(r.Context(), actor, roomID, r.PostFormValue("reason")); err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: "You have viewer access to this room; the reason is in its trail."})
	http.Redirect(w, r, roomURL(roomID, ""), http.StatusSeeOther)
}

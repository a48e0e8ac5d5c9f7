package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// The room form: opening a room, editing its details, and deleting a draft.

// newRoomPage is the form that opens a room.
func (h *handler) newRoomPage(w http.ResponseWriter, r *http.Request, _ service.Actor) {
	h.renderPage(w, r, http.StatusOK, "room_form", newRoomPage(nil))
}

func newRoomPage(f *formState) *page {
	return &page{Title: "New clearance room", Nav: "new", Form: f, Data: roomFormData{
		Action: "/rooms", Submit: "Create room", Heading: "New clearance room", Creating: true,
		DefaultETA: inputTime(time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 7).Add(8 * time.Hour))}}
}

// roomFormData drives the shared create/edit form of a room.
type roomFormData struct {
	Action, Submit, Heading string
	Creating                bool
	RoomID                  string
	DefaultETA              string
	CanDelete               bool
	RoomTitle               string
}

// roomFields reads the room form. Numbers and times the web layer cannot read are field
// errors; the domain rules (clearance.RoomFields.Normalize) add theirs, so every problem of
// the form is named at once, before anything is created.
func roomFields(r *http.Request) (clearance.RoomFields, error) {
	var fe fieldErrors
	f := clearance.RoomFields{Title: r.PostFormValue("title"), Location: r.PostFormValue("location"),
		STSETA: fe.utcTime(r, "sts_eta"), Description: r.PostFormValue("description"), CargoType: r.PostFormValue("cargo_type"),
		CargoQuantity: fe.optFloat(r, "cargo_quantity")}
	if err := fe.err(); err != nil {
		check := f
		return f, merge(err, check.Normalize())
	}
	return f, nil
}

func (h *handler) createRoom(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	spec := formSpec{name: "room", anchor: "room-form", fragment: "", host: func(f *formState) (string, *page, error) {
		return "room_form", newRoomPage(f), nil
	}}
	fields, err := roomFields(r)
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	room, err := h.svc.CreateRoom(r.Context(), actor, service.NewRoom{RoomFields: fields, Role: r.PostFormValue("role")})
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: "Room created. Add the vessels and invite the parties next."})
	http.Redirect(w, r, roomURL(room.ID, ""), http.StatusSeeOther)
}

// editRoomPage shows the room's details in the form, ready to change.
func (h *handler) editRoomPage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	room, err := h.svc.GetRoom(r.Context(), actor, r.PathValue("room"))
	if err != nil {
		h.renderError(w, r, err, "/")
		return
	}
	values := url.Values{"title": {room.Title}, "location": {room.Location}, "sts_eta": {inputTime(room.STSETA)},
		"description": {room.Description}, "cargo_type": {room.CargoType}}
	if room.CargoQuantity != nil {
		values.Set("cargo_quantity", trimFloat(*room.CargoQuantity))
	}
	perms, err := h.svc.RoomActions(r.Context(), actor, room.ID)
	if err != nil {
		h.renderError(w, r, err, roomURL(room.ID, ""))
		return
	}
	if !slices.Contains(perms.Actions, authz.UpdateRoom) {
		h.renderError(w, r, notAllowed(perms, authz.UpdateRoom), roomURL(room.ID, ""))
		return
	}
	p := editRoomPage(room, &formState{Name: "room", Values: values})
	d := p.Data.(roomFormData)
	d.CanDelete = slices.Contains(perms.Actions, authz.DeleteRoom)
	p.Data = d
	h.renderPage(w, r, http.StatusOK, "room_form", p)
}

// notAllowed explains why a page that only offers action is not shown: the role may not do
// it, or the room's record is closed.
func notAllowed(perms service.Permissions, action authz.Action) error {
	if authz.Can(perms.Role, action) {
		return fmt.Errorf("the room's record is closed to %s: %w", human(action), apperr.ErrConflict)
	}
	return fmt.Errorf("a %s may not %s: %w", human(perms.Role), human(action), apperr.ErrForbidden)
}

func editRoomPage(room service.RoomView, f *formState) *page {
	return &page{Title: "Edit " + room.Title, Nav: "rooms", Form: f, Data: roomFormData{
		Action: "/rooms/" + url.PathEscape(room.ID) + "/edit", Submit: "Save changes", Heading: "Edit room details", RoomID: room.ID,
		RoomTitle: room.Title}}
}

// deleteRoom closes the room for everyone (its records are kept); open pages of it go
// back to their rooms when the live event arrives.
func (h *handler) deleteRoom(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	_ = r.ParseForm()
	if !r.PostForm.Has("confirm") {
		h.refuse(w, r, h.roomDeleteSpec(r, actor), apperr.Invalid("confirm", "tick the box to confirm that the room closes for every party"))
		return
	}
	if err := h.svc.DeleteRoom(r.Context(), actor, roomID); err != nil {
		h.refuse(w, r, h.roomDeleteSpec(r, actor), err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: "The room is deleted; its records are kept."})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (h *handler) roomDeleteSpec(r *http.Request, actor service.Actor) formSpec {
	return formSpec{name: "delete", anchor: "delete-form", host: func(f *formState) (string, *page, error) {
		room, err := h.svc.GetRoom(r.Context(), actor, r.PathValue("room"))
		if err != nil {
			return "", nil, err
		}
		perms, err := h.svc.RoomActions(r.Context(), actor, room.ID)
		if err != nil {
			return "", nil, err
		}
		p := editRoomPage(room, nil)
		d := p.Data.(roomFormData)
		d.CanDelete = slices.Contains(perms.Actions, authz.DeleteRoom)
		p.Data = d
		return "room_form", p, nil
	}}
}

func (h *handler) updateRoom(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	spec := formSpec{name: "room", anchor: "room-form", fragment: "", host: func(f *formState) (string, *page, error) {
		room, err := h.svc.GetRoom(r.Context(), actor, roomID)
		return "room_form", editRoomPage(room, f), err
	}}
	fields, err := roomFields(r)
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	desc, cargo := r.PostFormValue("description"), r.PostFormValue("cargo_type")
	_, err = h.svc.UpdateRoom(r.Context(), actor, roomID, service.RoomPatch{Title: &fields.Title, Location: &fields.Location,
		STSETA: &fields.STSETA, Description: &desc, CargoType: &cargo, CargoQuantity: fields.CargoQuantity})
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: "Room details saved."})
	http.Redirect(w, r, roomURL(roomID, ""), http.StatusSeeOther)
}

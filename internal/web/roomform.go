package web

import (
	"context"
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

// defaultDurationHours is what a new room's form offers as the operation's length: the
// domain's default (clearance.DefaultOperationLength).
var defaultDurationHours = trimFloat(clearance.DefaultOperationLength.Hours())

// newRoomPage is the form that opens a room.
func (h *handler) newRoomPage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	p, err := h.newRoomForm(r.Context(), actor, nil)
	if err != nil {
		h.renderError(w, r, err, "/")
		return
	}
	h.renderPage(w, r, http.StatusOK, "room_form", p)
}

func (h *handler) newRoomForm(ctx context.Context, actor service.Actor, f *formState) (*page, error) {
	areas, err := h.areaChoices(ctx, actor, "")
	if err != nil {
		return nil, err
	}
	return &page{Title: "New clearance room", Nav: "new", Form: f, Data: roomFormData{
		Action: "/rooms", Submit: "Create room", Heading: "New clearance room", Creating: true, Areas: areas,
		DefaultETA: inputTime(time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 7).Add(8 * time.Hour))}}, nil
}

// roomFormData drives the shared create/edit form of a room.
type roomFormData struct {
	Action, Submit, Heading string
	Creating                bool
	RoomID                  string
	DefaultETA              string
	CanDelete               bool
	RoomTitle               string
	Areas                   []clearance.CoastalArea // the coastal states and areas a room may name
	// WindowEnd is when the room's operation is expected to end now (editing only).
	WindowEnd time.Time
}

// roomInput is what the room form sends: the room's fields, and the length of its
// operation as the expected end (sts_end) or the duration in hours. The form offers both;
// an end, when given, decides, and the duration is then not sent on (the service would
// refuse the two unless they agree, and the duration is filled in for the user).
type roomInput struct {
	fields clearance.RoomFields
	end    *time.Time
	hours  *float64
}

// readRoomForm reads the room form. Numbers and times the web layer cannot read are field
// errors; the domain rules (clearance.RoomFields.Normalize, clearance.OperationLength) add
// theirs, so every problem of the form is named at once, before anything is created.
func readRoomForm(r *http.Request) (roomInput, error) {
	var fe fieldErrors
	in := roomInput{fields: clearance.RoomFields{Title: r.PostFormValue("title"), Location: r.PostFormValue("location"),
		STSETA: fe.utcTime(r, "sts_eta"), Description: r.PostFormValue("description"), CargoType: r.PostFormValue("cargo_type"),
		CargoQuantity: fe.optFloat(r, "cargo_quantity"), CargoClass: clearance.CargoClass(r.PostFormValue("cargo_class")),
		CoastalArea: r.PostFormValue("coastal_area")}}
	in.hours = fe.optFloat(r, "duration_hours")
	if end := fe.utcTime(r, "sts_end"); !end.IsZero() {
		in.end, in.hours = &end, nil
	}
	if err := fe.err(); err != nil {
		check := in.fields
		var lengthErr error
		if !check.STSETA.IsZero() || in.end == nil { // an end is judged against a readable ETA only
			_, lengthErr = clearance.OperationLength(check.STSETA, in.end, in.hours, clearance.DefaultOperationLength)
		}
		return in, merge(err, check.Normalize(), lengthErr)
	}
	return in, nil
}

func (h *handler) createRoom(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	spec := formSpec{name: "room", anchor: "room-form", fragment: "", host: func(f *formState) (string, *page, error) {
		p, err := h.newRoomForm(r.Context(), actor, f)
		return "room_form", p, err
	}}
	in, err := readRoomForm(r)
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	room, err := h.svc.CreateRoom(r.Context(), actor, service.NewRoom{RoomFields: in.fields, End: in.end, DurationHours: in.hours,
		Role: r.PostFormValue("role")})
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
		"description": {room.Description}, "cargo_type": {room.CargoType}, "cargo_class": {string(room.CargoClass)},
		"coastal_area": {room.CoastalArea}, "duration_hours": {trimFloat(room.Length().Hours())}}
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
	p, err := h.editRoomForm(r.Context(), actor, room, &formState{Name: "room", Values: values})
	if err != nil {
		h.renderError(w, r, err, roomURL(room.ID, ""))
		return
	}
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

func (h *handler) editRoomForm(ctx context.Context, actor service.Actor, room service.RoomView, f *formState) (*page, error) {
	areas, err := h.areaChoices(ctx, actor, room.CoastalArea)
	if err != nil {
		return nil, err
	}
	return &page{Title: "Edit " + room.Title, Nav: "rooms", Form: f, Data: roomFormData{
		Action: "/rooms/" + url.PathEscape(room.ID) + "/edit", Submit: "Save changes", Heading: "Edit room details", RoomID: room.ID,
		RoomTitle: room.Title, Areas: areas, WindowEnd: room.WindowEnd()}}, nil
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
		p, err := h.editRoomForm(r.Context(), actor, room, nil)
		if err != nil {
			return "", nil, err
		}
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
		if err != nil {
			return "", nil, err
		}
		p, err := h.editRoomForm(r.Context(), actor, room, f)
		return "room_form", p, err
	}}
	in, err := readRoomForm(r)
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	f := in.fields
	class := string(f.CargoClass)
	_, err = h.svc.UpdateRoom(r.Context(), actor, roomID, service.RoomPatch{Title: &f.Title, Location: &f.Location,
		STSETA: &f.STSETA, Description: &f.Description, CargoType: &f.CargoType, CargoQuantity: f.CargoQuantity,
		CargoClass: &class, CoastalArea: &f.CoastalArea, End: in.end, DurationHours: in.hours})
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: "Room details saved."})
	http.Redirect(w, r, roomURL(roomID, ""), http.StatusSeeOther)
}

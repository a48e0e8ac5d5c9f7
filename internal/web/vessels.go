package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// vesselFormData drives the add-vessel page.
type vesselFormData struct {
	RoomID  string
	Room    service.RoomView
	Parties []clearance.Party // the owner and STS provider parties the vessel may be bound to
}

func (h *handler) vesselHost(r *http.Request, actor service.Actor, f *formState) (string, *page, error) {
	room, err := h.svc.GetRoom(r.Context(), actor, r.PathValue("room"))
	if err != nil {
		return "", nil, err
	}
	parties, err := h.svc.ListParties(r.Context(), actor, room.ID, false)
	if err != nil {
		return "", nil, err
	}
	return "vessel_form", &page{Title: "Add a vessel — " + room.Title, Nav: "rooms", Form: f,
		Data: vesselFormData{RoomID: room.ID, Room: room, Parties: bindableParties(parties)}}, nil
}

// newVesselPage is the form that adds a vessel to a room. The IMO number is checked as it
// is typed (static/app.js) with the same rule the server applies again.
func (h *handler) newVesselPage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	name, p, err := h.vesselHost(r, actor, nil)
	if err != nil {
		h.renderError(w, r, err, "/")
		return
	}
	roomID := r.PathValue("room")
	perms, err := h.svc.RoomActions(r.Context(), actor, roomID)
	if err != nil {
		h.renderError(w, r, err, "/")
		return
	}
	if !slices.Contains(perms.Actions, authz.ManageVessels) {
		h.renderError(w, r, notAllowed(perms, authz.ManageVessels), roomURL(roomID, "vessels"))
		return
	}
	h.renderPage(w, r, http.StatusOK, name, p)
}

// vesselParticulars reads the vessel form. Numbers the web layer cannot read are field
// errors, joined with the domain's own checks (clearance.VesselParticulars.Normalize) so
// that one refusal names every problem.
func vesselParticulars(r *http.Request) (clearance.VesselParticulars, error) {
	var fe fieldErrors
	p := clearance.VesselParticulars{Name: r.PostFormValue("name"), IMO: r.PostFormValue("imo"),
		Role: clearance.VesselRole(r.PostFormValue("role")), Flag: r.PostFormValue("flag"), MMSI: r.PostFormValue("mmsi"),
		CallSign: r.PostFormValue("call_sign"), VesselType: r.PostFormValue("vessel_type"), DWT: fe.optInt(r, "dwt"),
		LOA: fe.optFloat(r, "loa"), Beam: fe.optFloat(r, "beam"), BuiltYear: fe.optInt(r, "built_year"),
		ClassSociety: r.PostFormValue("class_society"), PIClub: r.PostFormValue("pi_club"),
		RegisteredOwner: r.PostFormValue("registered_owner"), RegisteredOwnerIMO: r.PostFormValue("registered_owner_imo"),
		DOCCompany: r.PostFormValue("doc_company"), DOCCompanyIMO: r.PostFormValue("doc_company_imo")}
	if err := fe.err(); err != nil {
		check := p
		return p, merge(err, check.Normalize(time.Now()))
	}
	return p, nil
}

func (h *handler) addVessel(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	spec := formSpec{name: "vessel", anchor: "vessel-form", fragment: "", host: func(f *formState) (string, *page, error) {
		return h.vesselHost(r, actor, f)
	}}
	p, err := vesselParticulars(r)
	if err == nil {
		// The parties that act for the ship (the caller's own, if an owner, is bound anyway).
		_, err = h.svc.AddVessel(r.Context(), actor, roomID, p, r.PostForm["party_ids"]...)
	}
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: p.Name + " added, with its document checklist and phase checklists."})
	http.Redirect(w, r, roomURL(roomID, "vessels"), http.StatusSeeOther)
}

func (h *handler) removeVessel(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	if err := h.svc.RemoveVessel(r.Context(), actor, roomID, r.PathValue("vessel")); err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "vessels", "vessels", ""), err)
		return
	}
	h.done(w, r, roomURL(roomID, "vessels"), "Vessel removed.")
}

package web

import (
	"fmt"
	"net/http"

	"github.com/stshub/stshub/internal/service"
)

// addParty invites a company to the room by e-mail, with a role.
func (h *handler) addParty(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	_ = r.ParseForm()                   // a body it cannot read leaves the fields empty, which the service refuses
	vessels := r.PostForm["vessel_ids"] // the ships an owner or STS provider acts for
	p, inv, err := h.svc.AddPartyAndInvite(r.Context(), actor, roomID, service.NewParty{Email: r.PostFormValue("email"),
		Role: r.PostFormValue("role"), Name: r.PostFormValue("name"), VesselIDs: vessels})
	if err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "add_party", "parties", "form-add-party"), err)
		return
	}
	msg := p.Email + " added as " + human(p.Role) + "."
	if inv != nil {
		msg = p.Email + " invited as " + human(p.Role) + ". " + invitedMessage(*inv)
		if inv.Link != "" {
			h.showLink(w, r, roomURL(roomID, "parties"), msg)
			return
		}
	}
	h.done(w, r, roomURL(roomID, "parties"), msg)
}

func (h *handler) changePartyRole(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	role := r.PostFormValue("role")
	p, err := h.svc.UpdateParty(r.Context(), actor, roomID, r.PathValue("party"), service.PartyPatch{Role: &role})
	if err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "parties", "parties", ""), err)
		return
	}
	h.done(w, r, roomURL(roomID, "parties"), p.Email+" is now "+human(p.Role)+".")
}

// bindParty sets the vessels an owner or STS provider party acts for: the checked boxes
// of the parties panel (none checked unbinds it from every vessel).
func (h *handler) bindParty(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	if err := r.ParseForm(); err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "parties", "parties", ""), err)
		return
	}
	ids := append([]string{}, r.PostForm["vessel_ids"]...)
	p, err := h.svc.UpdateParty(r.Context(), actor, roomID, r.PathValue("party"), service.PartyPatch{VesselIDs: &ids})
	if err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "parties", "parties", ""), err)
		return
	}
	msg := p.Email + " now acts for no vessel."
	if len(p.VesselIDs) > 0 {
		msg = p.Email + " now acts for " + plural(len(p.VesselIDs), "vessel") + "."
	}
	h.done(w, r, roomURL(roomID, "parties"), msg)
}

// plural is "1 vessel", "2 vessels".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// removeParty ends a party's access at once; its open pages are sent back to their rooms.
func (h *handler) removeParty(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	if err := h.svc.RemoveParty(r.Context(), actor, roomID, r.PathValue("party")); err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "parties", "parties", ""), err)
		return
	}
	h.done(w, r, roomURL(roomID, "parties"), "Party removed; their access ended at once.")
}

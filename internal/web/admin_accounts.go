package web

import (
	"net/http"

	"github.com/stshub/stshub/internal/service"
)

// The admins' changes to accounts (issue 22) from the users page: disable, enable, send a
// reset link, platform role; and the invitations to the platform. The service decides and
// records each one.

// usersForm is the spec of a form of the users page.
func (h *handler) usersForm(r *http.Request, actor service.Actor, name, anchor string) formSpec {
	return formSpec{name: name, anchor: anchor, host: func(f *formState) (string, *page, error) { return h.usersHost(r, actor, f) }}
}

// updateUser applies one change of the users page to user {id}: the role, or disabling and
// enabling the account (the button's state field).
func (h *handler) updateUser(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	var patch service.UserPatch
	if r.PostForm.Has("role") {
		role := r.PostFormValue("role")
		patch.Role = &role
	}
	switch r.PostFormValue("state") {
	case "disabled":
		v := true
		patch.Disabled = &v
	case "enabled":
		v := false
		patch.Disabled = &v
	}
	u, err := h.svc.UpdateUser(r.Context(), actor, r.PathValue("id"), patch)
	if err != nil {
		h.refuse(w, r, h.usersForm(r, actor, "users", "users-h"), err)
		return
	}
	msg := u.Email + " is a platform " + u.Role + "."
	switch {
	case patch.Disabled != nil && *patch.Disabled:
		msg = u.Email + " is disabled: its sessions ended and it cannot sign in."
	case patch.Disabled != nil:
		msg = u.Email + " is enabled again."
	}
	setFlash(w, r, flash{Kind: "ok", Message: msg})
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

// sendReset e-mails user {id} a reset link, or shows the link when e-mail is off.
func (h *handler) sendReset(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	link, err := h.svc.SendPasswordReset(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.refuse(w, r, h.usersForm(r, actor, "users", "users-h"), err)
		return
	}
	msg := "A password reset link is on its way."
	if link != "" {
		msg = "E-mail is off on this server: pass this reset link on yourself: " + link
	}
	setFlash(w, r, flash{Kind: "ok", Message: msg})
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

// showLink answers a form that made a link to pass on by hand (e-mail is off): the page
// is loaded whole, with the link in its message, since a toast would vanish before it was
// copied.
func (h *handler) showLink(w http.ResponseWriter, r *http.Request, redirect, message string) {
	setFlash(w, r, flash{Kind: "ok", Message: message})
	if isHTMX(r) {
		w.Header().Set("HX-Redirect", redirect)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, redirect, http.StatusSeeOther)
}

// invitedMessage tells the inviter how the invitation went (service.Invitation.Delivery):
// e-mailed, the link to pass on (an admin, e-mail off), or that an admin must send it.
func invitedMessage(inv service.Invitation) string {
	switch inv.Delivery {
	case service.DeliveryLink:
		return "E-mail is off on this server: pass this invitation link to " + inv.Email + " yourself: " + inv.Link
	case service.DeliveryAdmin:
		return "E-mail is off on this server, so the invitation of " + inv.Email + " is made but not sent: only a platform admin may " +
			"be given its link; ask one to send it (Admin → Users, Room invitations)."
	}
	return "An invitation is on its way to " + inv.Email + "."
}

func (h *handler) invitePlatform(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	inv, err := h.svc.InvitePlatform(r.Context(), actor, r.PostFormValue("email"), r.PostFormValue("role"))
	if err != nil {
		h.refuse(w, r, h.usersForm(r, actor, "invite", "invite-form"), err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: invitedMessage(inv)})
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

// resendPlatformInvitation sends an invitation of the users page again: to the platform,
// or (from "room") a room's, whose link the admin passes on when e-mail is off.
func (h *handler) resendPlatformInvitation(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	inv, err := h.svc.ResendInvitation(r.Context(), actor, "", r.PathValue("id"))
	if err != nil {
		spec := h.usersForm(r, actor, "invitations", "invitations-h")
		if r.PostFormValue("from") == "room" {
			spec = h.usersForm(r, actor, "room-invitations", "room-invitations-h")
		}
		h.refuse(w, r, spec, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: invitedMessage(inv) + " The earlier link no longer works."})
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

func (h *handler) revokePlatformInvitation(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	if err := h.svc.RevokeInvitation(r.Context(), actor, "", r.PathValue("id")); err != nil {
		h.refuse(w, r, h.usersForm(r, actor, "invitations", "invitations-h"), err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: "The invitation is withdrawn; its link no longer works."})
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

// resendRoomInvitation and revokeRoomInvitation act on an invitation of a room's party.
func (h *handler) resendRoomInvitation(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	inv, err := h.svc.ResendInvitation(r.Context(), actor, roomID, r.PathValue("inv"))
	if err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "parties", "parties", ""), err)
		return
	}
	msg := invitedMessage(inv) + " The earlier link no longer works."
	if inv.Link != "" {
		h.showLink(w, r, roomURL(roomID, "parties"), msg)
		return
	}
	h.done(w, r, roomURL(roomID, "parties"), msg)
}

func (h *handler) revokeRoomInvitation(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	if err := h.svc.RevokeInvitation(r.Context(), actor, roomID, r.PathValue("inv")); err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "parties", "parties", ""), err)
		return
	}
	h.done(w, r, roomURL(roomID, "parties"), "The invitation is withdrawn; its link no longer works. The party stays until you remove it.")
}

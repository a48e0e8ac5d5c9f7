package web

import (
	"net/http"

	"github.com/stshub/stshub/internal/service"
)

// signOff records the caller's party's decision on the operation: approved, rejected (with
// notes saying what must change) or withdrawn.
func (h *handler) signOff(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	status := r.PostFormValue("status")
	_, err := h.svc.RecordSignOff(r.Context(), actor, roomID, status, r.PostFormValue("notes"))
	if err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "signoff", "signoffs", ""), err)
		return
	}
	msg := "Your sign-off is recorded: " + status + "."
	if status == service.SignOffWithdrawn {
		msg = "Your sign-off is withdrawn."
	}
	h.done(w, r, roomURL(roomID, "signoffs"), msg)
}

package web

import (
	"net/http"
	"time"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// checkItem checks (checked=true) or unchecks one item of a vessel's phase checklist.
func (h *handler) checkItem(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	checked := r.PostFormValue("checked") == "true"
	_, err := h.svc.CheckChecklistItem(r.Context(), actor, roomID, r.PathValue("checklist"), r.PathValue("item"), checked)
	if err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "checklists", "checklists", ""), err)
		return
	}
	msg := "Item checked."
	if !checked {
		msg = "Item unchecked."
	}
	h.done(w, r, roomURL(roomID, "checklist-"+r.PathValue("checklist")), msg)
}

// signChecklist signs a checklist whose items are all checked.
func (h *handler) signChecklist(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	c, err := h.svc.SignChecklist(r.Context(), actor, roomID, r.PathValue("checklist"))
	if err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "checklists", "checklists", ""), err)
		return
	}
	h.done(w, r, roomURL(roomID, "checklists"), "Signed "+clearance.ChecklistName(c.Phase)+" of "+c.VesselName+".")
}

// recordNotice records that the coastal state was notified of a vessel's operation.
func (h *handler) recordNotice(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	spec := h.roomFormSpec(r, actor, "notice", "notices", "form-notice")
	var fe fieldErrors
	at := fe.utcTime(r, "notified_at")
	if err := fe.err(); err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	n, err := h.svc.RecordNotice(r.Context(), actor, roomID, r.PostFormValue("vessel_id"), r.PostFormValue("kind"), at, r.PostFormValue("reference"))
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	what := "Notice "
	if n.Kind == clearance.KindPermission {
		what = "Permission "
	}
	h.done(w, r, roomURL(roomID, "notices"), what+n.Reference+" for "+n.VesselName+" recorded ("+n.NotifiedAt.Format(time.DateOnly)+").")
}

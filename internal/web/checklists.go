package web

import (
	"net/http"
	"time"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// answerItem answers one item of a vessel's phase checklist (yes, no or not applicable, with
// a remark), or clears its answer.
func (h *handler) answerItem(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	in := service.ChecklistAnswerInput{Answer: r.PostFormValue("answer"), Remark: r.PostFormValue("remark")}
	_, err := h.svc.AnswerChecklistItem(r.Context(), actor, roomID, r.PathValue("checklist"), r.PathValue("item"), in)
	if err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "checklists", "checklists", ""), err)
		return
	}
	msg := "Answer cleared."
	if in.Answer != "" {
		msg = "Answered " + clearance.ChecklistAnswer(in.Answer).Label() + "."
	}
	h.done(w, r, roomURL(roomID, "checklist-"+r.PathValue("checklist")), msg)
}

// signChecklist signs a checklist for one side (the form's side: a ship's or the POAC's).
func (h *handler) signChecklist(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	c, err := h.svc.SignChecklist(r.Context(), actor, roomID, r.PathValue("checklist"), r.PostFormValue("side"))
	if err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "checklists", "checklists", ""), err)
		return
	}
	h.done(w, r, roomURL(roomID, "checklist-"+c.ID), "Signed "+clearance.ChecklistName(c.Phase)+" of "+c.VesselName+".")
}

// recordMilestone records the next operational milestone of a room in operation.
func (h *handler) recordMilestone(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	spec := h.roomFormSpec(r, actor, "milestone", "summary", "")
	var fe fieldErrors
	at := fe.utcTime(r, "occurred_at")
	if err := fe.err(); err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	m := r.PostFormValue("milestone")
	var when *time.Time
	if !at.IsZero() {
		when = &at
	}
	if _, err := h.svc.RecordMilestone(r.Context(), actor, roomID, m, when); err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	h.done(w, r, roomURL(roomID, "status"), "Recorded: "+clearance.Milestone(m).Label()+".")
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

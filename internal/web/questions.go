package web

import (
	"context"
	"net/http"
	"slices"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// The questions on a document (RFIs) live in the document page's section
// (templates/questions.html): the threads, a form to ask the supplier, and on each question
// the reply, resolve and reopen forms its reader may use. Every form answers as the page's
// others do (forms.go): refused, the section comes back with the form's message.

// MayAsk reports whether the caller may open a question on doc: a role that takes part in
// the room's exchanges (Can.ask_question), other than the document's own supplier, to whom
// the question would be addressed (clearance.MayAsk).
func (c caller) MayAsk(doc service.DocumentView) bool {
	vessel := deref(doc.VesselID)
	return clearance.MayAsk(doc.Type, c.Role, slices.Contains(c.Bound, vessel)) == nil &&
		authz.Can(c.Role, authz.AskQuestion)
}

// questionSpec is where a question form lives: the document page's section, its form
// state named name (one per question for the thread's forms).
func (h *handler) questionSpec(r *http.Request, actor service.Actor, name string) formSpec {
	roomID, docID := r.PathValue("room"), r.PathValue("doc")
	return formSpec{name: name, anchor: "questions", fragment: "section-document", host: func(*formState) (string, *page, error) {
		return h.documentHost(r.Context(), actor, roomID, docID)
	}}
}

func (h *handler) askQuestion(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID, docID := r.PathValue("room"), r.PathValue("doc")
	q, err := h.svc.OpenQuestion(r.Context(), actor, roomID, docID, r.PostFormValue("text"))
	if err != nil {
		h.refuse(w, r, h.questionSpec(r, actor, "ask"), err)
		return
	}
	h.done(w, r, docURL(roomID, docID)+"#questions", "Question sent to the "+q.AddressedTo.Label()+".")
}

// threadStep is a service call that moves one question's thread on with a text: a reply,
// a resolution, a reopening.
type threadStep func(ctx context.Context, actor service.Actor, roomID, documentID, questionID, text string) (service.QuestionView, error)

// threadAction handles a form on one question: it sends the form's field to step; refused,
// the question's form named form comes back with the message (the resolution and the
// reopening share one, as the thread shows one of the two); done, it says toast.
func (h *handler) threadAction(step threadStep, field, form, toast string) func(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	return func(w http.ResponseWriter, r *http.Request, actor service.Actor) {
		roomID, docID, id := r.PathValue("room"), r.PathValue("doc"), r.PathValue("question")
		if _, err := step(r.Context(), actor, roomID, docID, id, r.PostFormValue(field)); err != nil {
			h.refuse(w, r, h.questionSpec(r, actor, form+"-"+id), err)
			return
		}
		h.done(w, r, docURL(roomID, docID)+"#questions", toast)
	}
}

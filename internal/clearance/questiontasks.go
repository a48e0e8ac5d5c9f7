package clearance

import (
	"slices"
	"strings"

	"github.com/stshub/stshub/internal/authz"
)

// TaskQuestion is an open question of a room as the task rules read it: the question, the
// type of its document, that document's vessel, and the question's text.
type TaskQuestion struct {
	Question
	Type       DocumentType
	VesselID   string
	VesselName string
	Text       string
	// LastRole is the role the author of the thread's latest message wrote as, and
	// LastBound whether that author acts for the document's vessel now (an active party
	// bound to it): who wrote last, as QuestionAnswered reads it.
	LastRole  authz.Role
	LastBound bool
}

// QuestionAnswered reports whether an open question waits on its asker rather than on its
// addressees: the latest message of its thread is an addressee's own (IsAddressee: of the
// addressed role, and for a vessel's document acting for that vessel). A question asked or
// reopened by a party of the addressed role for another vessel (the other ship's owner
// asking about this ship's Q88) is still the addressees' to answer.
func QuestionAnswered(addressedTo authz.Role, scope DocScope, lastRole authz.Role, lastBound bool) bool {
	return IsAddressee(addressedTo, scope, lastRole, lastBound)
}

// questionTaskQuote is how much of a question a task quotes.
const questionTaskQuote = 100

// QuestionTasks are the questions p's party has to answer: the open questions addressed to
// it (IsAddressee: its role supplies the document, for a vessel it is bound to) whose latest
// message is not an addressee's (QuestionAnswered), as urgent as a version awaiting review,
// since someone waits on the answer.
//
// SECURITY: a question on a document p's party may not see (MaySee) makes no task.
func QuestionTasks(p TaskParty, questions []TaskQuestion) []Task {
	if !p.acts() {
		return nil
	}
	var out []Task
	for _, qn := range questions {
		bound := slices.Contains(p.VesselIDs, qn.VesselID)
		if qn.Status != QuestionOpen || QuestionAnswered(qn.AddressedTo, qn.Type.Scope, qn.LastRole, qn.LastBound) || !MaySee(qn.Type, p.Role, bound) || !IsAddressee(qn.AddressedTo, qn.Type.Scope, p.Role, bound) {
			continue
		}
		label := qn.Type.Code + " " + qn.Type.Name
		if qn.VesselName != "" {
			label += " — " + qn.VesselName
		}
		quote := strings.Join(strings.Fields(qn.Text), " ")
		if r := []rune(quote); len(r) > questionTaskQuote {
			quote = string(r[:questionTaskQuote-1]) + "…"
		}
		t := p.task(TaskAnswer, UrgencyAwaitingReview, qn.Type.Criticality, "Answer the question on "+label+": “"+quote+"”")
		t.DocumentID, t.TypeCode, t.VesselID = qn.DocumentID, qn.Type.Code, qn.VesselID
		out = append(out, t)
	}
	return out
}

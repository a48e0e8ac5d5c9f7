package clearance

import (
	"slices"
	"strings"
)

// TaskQuestion is an open question of a room as the task rules read it: the question, the
// type of its document, that document's vessel, and the question's text.
type TaskQuestion struct {
	Question
	Type       DocumentType
	VesselID   string
	VesselName string
	Text       string
	// Answered says that the latest message of the thread is the addressed role's own: the
	// question waits on the asker now, not on it.
	Answered bool
}

// questionTaskQuote is how much of a question a task quotes.
const questionTaskQuote = 100

// QuestionTasks are the questions p's party has to answer: the open questions addressed to
// it (IsAddressee: its role supplies the document, for a vessel it is bound to) that it has
// not answered since their last message, as urgent as a version awaiting review, since
// someone waits on the answer.
//
// SECURITY: a question on a document p's party may not see (MaySee) makes no task.
func QuestionTasks(p TaskParty, questions []TaskQuestion) []Task {
	if !p.acts() {
		return nil
	}
	var out []Task
	for _, qn := range questions {
		bound := slices.Contains(p.VesselIDs, qn.VesselID)
		if qn.Status != QuestionOpen || qn.Answered || !MaySee(qn.Type, p.Role, bound) || !IsAddressee(qn.AddressedTo, qn.Type.Scope, p.Role, bound) {
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

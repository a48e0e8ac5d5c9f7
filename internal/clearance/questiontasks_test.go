package clearance

import (
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/authz"
)

// TestQuestionTasks: an open question makes a task for the party it is addressed to (for a
// vessel's document, the owner bound to that vessel), and for no one else.
func TestQuestionTasks(t *testing.T) {
	q88 := DocumentType{Code: "Q88", Name: "Q88 tanker questionnaire", SuppliedBy: "owner", Scope: ScopeVessel, Criticality: CriticalityHigh}
	sire := DocumentType{Code: "SIRE", Name: "SIRE inspection report", SuppliedBy: "owner", Scope: ScopeVessel, Criticality: CriticalityHigh,
		VisibleTo: []authz.Role{authz.Charterer}}
	open := func(typ DocumentType, vessel, text string) TaskQuestion {
		return TaskQuestion{Question: Question{ID: "q-" + typ.Code, DocumentID: "d-" + typ.Code, AddressedTo: authz.Owner, Status: QuestionOpen},
			Type: typ, VesselID: vessel, VesselName: "MT AEGEAN SERENITY", Text: text}
	}
	long := strings.Repeat("manifold ", 30)
	questions := []TaskQuestion{open(q88, "v1", "Please re-issue\nwith the  current height."), open(sire, "v1", long)}
	resolved := open(q88, "v1", "done")
	resolved.Status = QuestionResolved
	answered := open(q88, "v1", "answered already")
	answered.Answered = true
	questions = append(questions, resolved, answered)
	owner := TaskParty{RoomID: "r", Status: StatusClearing, Role: authz.Owner, VesselIDs: []string{"v1"}}
	tasks := QuestionTasks(owner, questions)
	if len(tasks) != 2 {
		t.Fatalf("the bound owner's tasks: %+v", tasks)
	}
	if tasks[0].Kind != TaskAnswer || tasks[0].DocumentID != "d-Q88" || tasks[0].Urgency != UrgencyAwaitingReview ||
		tasks[0].Text != "Answer the question on Q88 Q88 tanker questionnaire — MT AEGEAN SERENITY: “Please re-issue with the current height.”" {
		t.Errorf("task: %+v", tasks[0])
	}
	if r := []rune(tasks[1].Text); !strings.HasSuffix(tasks[1].Text, "…”") || len(r) > 200 {
		t.Errorf("a long question is not clipped: %q", tasks[1].Text)
	}
	other := owner
	other.VesselIDs = []string{"v2"}
	charterer := TaskParty{RoomID: "r", Status: StatusClearing, Role: authz.Charterer}
	done := owner
	done.Status = StatusCompleted
	for name, p := range map[string]TaskParty{"the other ship's owner": other, "the charterer": charterer, "a completed room": done} {
		if got := QuestionTasks(p, questions); len(got) != 0 {
			t.Errorf("%s has question tasks: %+v", name, got)
		}
	}
}

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
			Type: typ, VesselID: vessel, VesselName: "MT AEGEAN SERENITY", Text: text, LastRole: authz.Charterer}
	}
	long := strings.Repeat("manifold ", 30)
	questions := []TaskQuestion{open(q88, "v1", "Please re-issue\nwith the  current height."), open(sire, "v1", long)}
	resolved := open(q88, "v1", "done")
	resolved.Status = QuestionResolved
	answered := open(q88, "v1", "answered already")
	answered.LastRole, answered.LastBound = authz.Owner, true
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

// TestQuestionTasksLastAuthor: whether an open question is the bound owner's task depends on
// who wrote last: an addressee's own message (the addressed role, for this vessel) leaves
// it with the asker; a message from the addressed role for the other vessel (the other
// ship's owner asking, replying or reopening) or from anyone else leaves it the owner's.
func TestQuestionTasksLastAuthor(t *testing.T) {
	q88 := DocumentType{Code: "Q88", Name: "Q88 tanker questionnaire", SuppliedBy: "owner", Scope: ScopeVessel, Criticality: CriticalityHigh}
	owner := TaskParty{RoomID: "r", Status: StatusClearing, Role: authz.Owner, VesselIDs: []string{"v1"}}
	for _, c := range []struct {
		name  string
		role  authz.Role
		bound bool
		task  bool
	}{
		{"asked by the charterer", authz.Charterer, false, true},
		{"asked or reopened by the other ship's owner", authz.Owner, false, true},
		{"a reply from an STS provider", authz.STSProvider, true, true},
		{"answered by this ship's owner", authz.Owner, true, false},
	} {
		qn := TaskQuestion{Question: Question{ID: "q", DocumentID: "d", AddressedTo: authz.Owner, Status: QuestionOpen},
			Type: q88, VesselID: "v1", Text: "?", LastRole: c.role, LastBound: c.bound}
		if got := len(QuestionTasks(owner, []TaskQuestion{qn})) == 1; got != c.task {
			t.Errorf("%s: a task for the bound owner = %v, want %v", c.name, got, c.task)
		}
	}
}

// TestQuestionAnswered: a question is answered when its latest message is an addressee's:
// of the addressed role, and for a vessel's document of a vessel-bound role, bound to it.
func TestQuestionAnswered(t *testing.T) {
	for _, c := range []struct {
		name        string
		addressedTo authz.Role
		scope       DocScope
		last        authz.Role
		bound       bool
		want        bool
	}{
		{"the bound owner answered", authz.Owner, ScopeVessel, authz.Owner, true, true},
		{"the other ship's owner wrote last", authz.Owner, ScopeVessel, authz.Owner, false, false},
		{"the bound STS provider answered", authz.STSProvider, ScopeVessel, authz.STSProvider, true, true},
		{"an STS provider of the other ship wrote last", authz.STSProvider, ScopeVessel, authz.STSProvider, false, false},
		{"another role wrote last, bound or not", authz.Owner, ScopeVessel, authz.STSProvider, true, false},
		{"the charterer wrote last", authz.Owner, ScopeVessel, authz.Charterer, false, false},
		{"a room document's supplier answered", authz.Broker, ScopeRoom, authz.Broker, false, true},
		{"an owner answered a room document it supplies, bound to no vessel", authz.Owner, ScopeRoom, authz.Owner, false, true},
		{"a role needing no binding answered a vessel's document", authz.Charterer, ScopeVessel, authz.Charterer, false, true},
		{"someone else wrote last on a room document", authz.Broker, ScopeRoom, authz.Charterer, false, false},
	} {
		if got := QuestionAnswered(c.addressedTo, c.scope, c.last, c.bound); got != c.want {
			t.Errorf("%s: QuestionAnswered = %v, want %v", c.name, got, c.want)
		}
	}
}

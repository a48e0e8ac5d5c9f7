package clearance

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/authz"
)

// The fixtures of the task rules: a room whose operation runs 10–12 March 2026, read on
// 1 March, with a vessel-bound owner's certificate, a confidential screening and a
// charterer's room document.
var (
	taskNow     = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	taskETA     = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	taskWindow  = time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC)
	certType    = DocumentType{Code: "IOPP", Name: "IOPP certificate", SuppliedBy: "owner", Scope: ScopeVessel, Expiry: ExpiryDate, VisibleTo: authz.Roles()}
	secretType  = DocumentType{Code: "SCREEN", Name: "Sanctions screening", SuppliedBy: "owner", Scope: ScopeVessel, Expiry: ExpiryNone, VisibleTo: []authz.Role{authz.Broker}}
	vettingType = DocumentType{Code: "VETTING", Name: "Vetting acceptance", SuppliedBy: "charterer", Scope: ScopeRoom, Expiry: ExpiryNone, VisibleTo: authz.Roles()}
)

func day(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// taskDoc is a required document of type t on vessel V1 (a room document for a room type).
func taskDoc(t DocumentType, status DocStatus, crit Criticality, expires *time.Time) TaskDocument {
	d := TaskDocument{Type: t, Version: 1, UploadedBy: "u-owner", DocumentState: DocumentState{ID: "doc-" + t.Code, TypeCode: t.Code,
		TypeName: t.Name, Criticality: crit, Required: true, Status: status, Validity: Validity{Kind: t.Expiry, ExpiresOn: expires}}}
	if t.Scope == ScopeVessel {
		d.VesselID, d.VesselName = "V1", "MT LEVANT PIONEER"
	}
	return d
}

func party(role authz.Role, vessels ...string) TaskParty {
	return TaskParty{RoomID: "R1", RoomTitle: "Malta", Status: StatusClearing, ETA: taskETA, WindowEnd: taskWindow, UserID: "u-" + string(role),
		PartyID: "p-" + string(role), Role: role, VesselIDs: vessels}
}

func TestDocumentTasks(t *testing.T) {
	waived := taskDoc(certType, DocMissing, CriticalityHigh, nil)
	waived.Required = false
	rejected := taskDoc(certType, DocRejected, CriticalityHigh, nil)
	rejected.ReviewReason = "wrong ship"
	rerun := taskDoc(certType, DocApproved, CriticalityHigh, day(2027, 1, 1))
	rerun.Screening.RerunReason = "the registered owner changed"
	ownUpload := taskDoc(certType, DocUnderReview, CriticalityHigh, nil)
	ownUpload.UploadedBy = "u-charterer"
	completed := party(authz.Owner, "V1")
	completed.Status = StatusCompleted
	tests := []struct {
		name     string
		party    TaskParty
		doc      TaskDocument
		kind     TaskKind // "" for no task
		urgency  Urgency
		contains string
	}{
		{"a reviewer reviews another's upload", party(authz.Charterer), taskDoc(certType, DocUnderReview, CriticalityHigh, nil), TaskReview, UrgencyAwaitingReview, "Review IOPP IOPP certificate — MT LEVANT PIONEER: version 1 awaits a review"},
		{"a reviewer does not review its own upload", party(authz.Charterer), ownUpload, "", 0, ""},
		{"an owner does not review", party(authz.Owner, "V1"), taskDoc(certType, DocUnderReview, CriticalityHigh, nil), "", 0, ""},
		{"a low-criticality version is reviewed too", party(authz.Broker), taskDoc(certType, DocUnderReview, CriticalityLow, nil), TaskReview, UrgencyAwaitingReview, "awaits a review"},
		{"the bound owner uploads a missing one", party(authz.Owner, "V1"), taskDoc(certType, DocMissing, CriticalityHigh, nil), TaskUpload, UrgencyMissing, "Upload IOPP IOPP certificate — MT LEVANT PIONEER: it is missing"},
		{"an owner of the other ship does not", party(authz.Owner, "V2"), taskDoc(certType, DocMissing, CriticalityHigh, nil), "", 0, ""},
		{"the broker is no supplier", party(authz.Broker), taskDoc(certType, DocMissing, CriticalityHigh, nil), "", 0, ""},
		{"a medium one makes a task", party(authz.Owner, "V1"), taskDoc(certType, DocMissing, CriticalityMedium, nil), TaskUpload, UrgencyMissing, "missing"},
		{"an informative one does not", party(authz.Owner, "V1"), taskDoc(certType, DocMissing, CriticalityLow, nil), "", 0, ""},
		{"a waived one does not", party(authz.Owner, "V1"), waived, "", 0, ""},
		{"rejected: a new version, with the reason", party(authz.Owner, "V1"), rejected, TaskReplace, UrgencyRejected, "version 1 was rejected (wrong ship)"},
		{"a screening to re-run", party(authz.Owner, "V1"), rerun, TaskReplace, UrgencyRejected, "Re-run IOPP IOPP certificate — MT LEVANT PIONEER: the registered owner changed"},
		{"expired", party(authz.Owner, "V1"), taskDoc(certType, DocApproved, CriticalityHigh, day(2026, 2, 1)), TaskRenew, UrgencyLapses, "it expired on 2026-02-01"},
		{"lapses during the operation", party(authz.Owner, "V1"), taskDoc(certType, DocApproved, CriticalityHigh, day(2026, 3, 10)), TaskRenew, UrgencyLapses, "it lapses on 2026-03-10, during the operation"},
		{"valid through the last day of the window", party(authz.Owner, "V1"), taskDoc(certType, DocApproved, CriticalityHigh, day(2026, 3, 11)), "", 0, ""},
		{"approved and valid", party(authz.Owner, "V1"), taskDoc(certType, DocApproved, CriticalityHigh, day(2027, 1, 1)), "", 0, ""},
		{"under review is not the supplier's", party(authz.Owner, "V1"), taskDoc(certType, DocUnderReview, CriticalityHigh, nil), "", 0, ""},
		{"a room document of the charterer", party(authz.Charterer), taskDoc(vettingType, DocMissing, CriticalityHigh, nil), TaskUpload, UrgencyMissing, "Upload VETTING Vetting acceptance: it is missing"},
		{"a confidential one the party may not see", party(authz.Charterer), taskDoc(secretType, DocUnderReview, CriticalityHigh, nil), "", 0, ""},
		{"its supplier sees it", party(authz.Owner, "V1"), taskDoc(secretType, DocMissing, CriticalityHigh, nil), TaskUpload, UrgencyMissing, "SCREEN"},
		{"nothing once the operation is completed", completed, taskDoc(certType, DocMissing, CriticalityHigh, nil), "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DocumentTasks(tt.party, []TaskDocument{tt.doc}, taskNow)
			if tt.kind == "" {
				if len(got) != 0 {
					t.Fatalf("want no task, got %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one %s task, got %+v", tt.kind, got)
			}
			g := got[0]
			if g.Kind != tt.kind || g.Urgency != tt.urgency || g.DocumentID != tt.doc.ID || g.RoomID != "R1" || !strings.Contains(g.Text, tt.contains) {
				t.Fatalf("got %+v, want kind %s urgency %d text with %q", g, tt.kind, tt.urgency, tt.contains)
			}
		})
	}
}

func TestSignOffTasks(t *testing.T) {
	stale := &SignOffState{PartyID: "p-charterer", Role: "charterer", Status: SignOffApproved,
		Changes: []SignOffChange{{Text: "Q88 — MT LEVANT PIONEER: version 2 replaced version 1"}, {Text: "IOPP rejected"}}}
	draft := party(authz.Charterer)
	draft.Status = StatusDraft
	tests := []struct {
		name        string
		party       TaskParty
		own         *SignOffState
		docsInOrder bool
		kind        TaskKind
		contains    string
	}{
		{"awaited once the documents are in order", party(authz.Charterer), &SignOffState{}, true, TaskSignOff, "Sign off the operation"},
		{"not asked while documents are outstanding", party(authz.Charterer), &SignOffState{}, false, "", ""},
		{"not asked in a draft room", draft, &SignOffState{}, true, "", ""},
		{"a decision in force", party(authz.Charterer), &SignOffState{Status: SignOffApproved}, true, "", ""},
		{"a rejection in force", party(authz.Charterer), &SignOffState{Status: SignOffRejected}, true, "", ""},
		{"stale, whatever the documents", party(authz.Charterer), stale, false, TaskSignAgain, "changed (Q88 — MT LEVANT PIONEER: version 2 replaced version 1 and 1 more)"},
		{"a role that does not sign off", party(authz.Viewer), &SignOffState{}, true, "", ""},
		{"no state", party(authz.Charterer), nil, true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SignOffTasks(tt.party, tt.own, tt.docsInOrder)
			if tt.kind == "" {
				if len(got) != 0 {
					t.Fatalf("want no task, got %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Kind != tt.kind || got[0].Urgency != UrgencySignOff || !strings.Contains(got[0].Text, tt.contains) {
				t.Fatalf("got %+v, want one %s task with %q", got, tt.kind, tt.contains)
			}
		})
	}
}

// TestSortTasks: what lapses during the operation, then rejected, awaiting review,
// missing, sign-offs (a stale one first); within an urgency the most critical first, then
// the room whose operation comes first.
func TestSortTasks(t *testing.T) {
	soon, later := party(authz.Charterer), party(authz.Charterer)
	soon.RoomID, later.RoomID = "R-soon", "R-later"
	soon.ETA, later.ETA = taskETA, taskETA.AddDate(0, 1, 0)
	tasks := []Task{
		soon.task(TaskSignOff, UrgencySignOff, CriticalityHigh, "sign soon"),
		later.task(TaskUpload, UrgencyMissing, CriticalityHigh, "missing later"),
		soon.task(TaskUpload, UrgencyMissing, CriticalityMedium, "missing medium soon"),
		soon.task(TaskUpload, UrgencyMissing, CriticalityHigh, "missing soon"),
		later.task(TaskReview, UrgencyAwaitingReview, CriticalityHigh, "review later"),
		later.task(TaskSignAgain, UrgencySignOff, CriticalityHigh, "sign again later"),
		soon.task(TaskReplace, UrgencyRejected, CriticalityHigh, "rejected soon"),
		later.task(TaskRenew, UrgencyLapses, CriticalityMedium, "lapses later"),
	}
	SortTasks(tasks)
	var got []string
	for _, t := range tasks {
		got = append(got, t.Text)
	}
	want := []string{"lapses later", "rejected soon", "review later", "missing soon", "missing later", "missing medium soon", "sign again later", "sign soon"}
	if !slices.Equal(got, want) {
		t.Fatalf("order\n got %q\nwant %q", got, want)
	}
}

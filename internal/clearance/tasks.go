package clearance

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/stshub/stshub/internal/authz"
)

// A task is one thing a party has to do in a room, said in words: review a version,
// supply or renew one of its own documents, sign off or sign off again. The rules here
// decide which tasks a party has and in which order; the service reads the facts (for any
// number of rooms at once) and the UI links each task to where it is done. A new source of
// tasks (questions addressed to a party, say) is one more function of this shape whose
// tasks SortTasks orders with the others by their Urgency.

// TaskKind is what a task asks its party to do.
type TaskKind string

// The kinds of task.
const (
	TaskReview    TaskKind = "review_document"  // a version awaits the party's review
	TaskUpload    TaskKind = "upload_document"  // one of its documents is missing
	TaskReplace   TaskKind = "replace_document" // rejected, or a screening to re-run: a new version
	TaskRenew     TaskKind = "renew_document"   // expired, or lapses before the operation ends
	TaskSignOff   TaskKind = "sign_off"         // the documents are in order; its sign-off is awaited
	TaskSignAgain TaskKind = "sign_off_again"   // its approval went stale: what it covered changed
	TaskAnswer    TaskKind = "answer_question"  // a question on one of its documents awaits its answer
)

// TaskKinds lists the kinds of task: the one list (API enum).
func TaskKinds() []string {
	return []string{string(TaskReview), string(TaskUpload), string(TaskReplace), string(TaskRenew), string(TaskSignOff), string(TaskSignAgain),
		string(TaskAnswer)}
}

// Task is one thing the caller's party has to do in one room.
type Task struct {
	Kind        TaskKind
	RoomID      string
	RoomTitle   string
	RoomETA     time.Time
	DocumentID  string // "" for a sign-off
	TypeCode    string
	VesselID    string
	Criticality Criticality
	Urgency     Urgency
	// Text says what to do and why, in words ("Review Q88 — MT LEVANT PIONEER: version 2
	// awaits your review").
	Text string
}

// TaskParty is the caller's party in one room, as the task rules read it.
type TaskParty struct {
	RoomID    string
	RoomTitle string
	Status    RoomStatus
	ETA       time.Time
	WindowEnd time.Time
	UserID    string
	PartyID   string
	Role      authz.Role
	VesselIDs []string // the vessels the party is bound to
}

// TaskDocument is one of a room's documents as the task rules read it.
type TaskDocument struct {
	DocumentState
	Type DocumentType
	// Version is the number of the latest version (0: nothing uploaded), UploadedBy the user
	// who uploaded it, ReviewReason why it was rejected.
	Version      int
	UploadedBy   string
	ReviewReason string
}

// label names a document in a task: its type, and its vessel for a vessel's document.
func (d TaskDocument) label() string {
	l := d.TypeCode + " " + d.TypeName
	if d.VesselName != "" {
		l += " — " + d.VesselName
	}
	return l
}

// task starts a task of p's room.
func (p TaskParty) task(kind TaskKind, u Urgency, c Criticality, text string) Task {
	return Task{Kind: kind, RoomID: p.RoomID, RoomTitle: p.RoomTitle, RoomETA: p.ETA, Criticality: c, Urgency: u, Text: text}
}

// acts reports whether p's party acts in its room at all: not once the operation is
// completed or cancelled.
func (p TaskParty) acts() bool { return !IsFinal(p.Status) }

// DocumentTasks are p's tasks among its room's documents at now:
//   - a version awaiting review, for a role that reviews, unless the caller uploaded it
//     (another reviewer decides: MayReview);
//   - for a required document of high or medium criticality that p's role supplies (and,
//     for a vessel-bound role, of a vessel it is bound to): missing (upload it), rejected
//     or a screening to re-run (a new version), expired or lapsing before the operation
//     ends (a current one). Informative documents block nothing and make no task.
//
// SECURITY: a document p's party may not see (MaySee) makes no task.
func DocumentTasks(p TaskParty, docs []TaskDocument, now time.Time) []Task {
	if !p.acts() {
		return nil
	}
	var out []Task
	for _, d := range docs {
		bound := slices.Contains(p.VesselIDs, d.VesselID)
		if !MaySee(d.Type, p.Role, bound) {
			continue
		}
		t, ok := documentTask(p, d, bound, now)
		if !ok {
			continue
		}
		t.DocumentID, t.TypeCode, t.VesselID = d.ID, d.TypeCode, d.VesselID
		out = append(out, t)
	}
	return out
}

// documentTask is p's task on one document it sees, if it has one.
func documentTask(p TaskParty, d TaskDocument, bound bool, now time.Time) (Task, bool) {
	status := EffectiveStatus(d.Status, d.Validity, now)
	if status == DocUnderReview {
		if !authz.Can(p.Role, authz.ReviewDocument) || MayReview(d.UploadedBy, p.UserID) != nil {
			return Task{}, false
		}
		return p.task(TaskReview, UrgencyAwaitingReview, d.Criticality,
			"Review "+d.label()+": version "+strconv.Itoa(d.Version)+" awaits a review"), true
	}
	supplies := slices.Contains(d.Type.Suppliers(), p.Role) && authz.MayActForVessel(p.Role, authz.UploadDocument, bound) == nil
	if !d.Required || !supplies || d.Criticality == CriticalityLow {
		return Task{}, false
	}
	if d.Screening.RerunReason != "" {
		return p.task(TaskReplace, UrgencyRejected, d.Criticality,
			"Re-run "+d.label()+": "+d.Screening.RerunReason+"; upload a new version"), true
	}
	switch status {
	case DocMissing:
		return p.task(TaskUpload, UrgencyMissing, d.Criticality, "Upload "+d.label()+": it is missing"), true
	case DocRejected:
		text := "Upload a new version of " + d.label() + ": version " + strconv.Itoa(d.Version) + " was rejected"
		if d.ReviewReason != "" {
			text += " (" + d.ReviewReason + ")"
		}
		return p.task(TaskReplace, UrgencyRejected, d.Criticality, text), true
	case DocExpired:
		return p.task(TaskRenew, UrgencyLapses, d.Criticality, "Upload a current "+d.label()+": "+validUntilText(d.Validity, "it expired")), true
	case DocApproved:
		if d.Validity.ExpiresBefore(p.WindowEnd) {
			return p.task(TaskRenew, UrgencyLapses, d.Criticality,
				"Upload a current "+d.label()+": "+validUntilText(d.Validity, "it lapses")+", during the operation"), true
		}
	}
	return Task{}, false
}

// validUntilText says when a validity ends, after what ("it expired on 2026-03-01").
func validUntilText(v Validity, what string) string {
	if v.Kind == ExpiryDate && v.ExpiresOn != nil {
		return what + " on " + v.ExpiryText()
	}
	if until := v.ValidUntil(); until != nil {
		return what + " at " + until.UTC().Format("2006-01-02 15:04") + " UTC"
	}
	return what
}

// SignOffTasks are p's sign-off tasks: its approval gone stale (sign again), or, when its
// role signs off, it has no decision in force and the room's documents are in order
// (docsInOrder: no required high-criticality document blocks clearance), its sign-off. A
// party is not asked to sign off while documents are still outstanding. own is p's party's
// sign-off state; nil when its role does not sign off.
func SignOffTasks(p TaskParty, own *SignOffState, docsInOrder bool) []Task {
	if own == nil || !p.acts() || !authz.Can(p.Role, authz.SignOff) {
		return nil
	}
	switch {
	case own.Status == SignOffApproved && len(own.Changes) > 0:
		t := p.task(TaskSignAgain, UrgencySignOff, CriticalityHigh,
			"Sign off again: your approval no longer counts, since what it covered changed ("+own.Changes[0].Text)
		if n := len(own.Changes) - 1; n > 0 {
			t.Text += " and " + strconv.Itoa(n) + " more"
		}
		t.Text += ")"
		return []Task{t}
	case own.Status == "" && docsInOrder && (p.Status == StatusClearing || p.Status == StatusCleared):
		return []Task{p.task(TaskSignOff, UrgencySignOff, CriticalityHigh,
			"Sign off the operation: the required documents are in order and your decision is awaited")}
	}
	return nil
}

// kindRank orders tasks of one urgency: a stale approval before a sign-off not yet given.
var kindRank = map[TaskKind]int{TaskSignAgain: 0, TaskSignOff: 1}

// SortTasks orders tasks most urgent first (Urgency: what lapses during the operation,
// what was rejected, what awaits review, what is missing, then sign-offs), then the most
// critical, then the room whose operation comes first, then by room and document.
func SortTasks(tasks []Task) {
	slices.SortStableFunc(tasks, func(a, b Task) int {
		return cmp.Or(cmp.Compare(a.Urgency, b.Urgency),
			cmp.Compare(a.Criticality.Rank(), b.Criticality.Rank()),
			cmp.Compare(kindRank[a.Kind], kindRank[b.Kind]),
			a.RoomETA.Compare(b.RoomETA),
			cmp.Compare(a.RoomID, b.RoomID),
			cmp.Compare(a.Text, b.Text))
	})
}

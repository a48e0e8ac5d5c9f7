package clearance

import "time"

// Urgency orders a gate's blockers by what should be acted on first (docs/domain.md,
// "Two gates"): a ship missing from the room, then the documents whose approval does not
// hold (a screening that is a match, a certificate that has expired or lapses during the
// operation), rejected ones and screenings to re-run, those awaiting review, missing ones;
// then the coastal notices, the checklists and, last, the sign-offs, which parties give once
// the rest is in order. Lower is more urgent.
type Urgency int

// The urgencies, most urgent first.
const (
	UrgencyVessel Urgency = iota
	UrgencyLapses
	UrgencyRejected
	UrgencyAwaitingReview
	UrgencyMissing
	UrgencyNotice
	UrgencyChecklist
	UrgencySignOff
)

// kindUrgency is the urgency of the blockers that are not about one document.
var kindUrgency = map[string]Urgency{
	BlockerVessel:    UrgencyVessel,
	BlockerNotice:    UrgencyNotice,
	BlockerChecklist: UrgencyChecklist,
	BlockerSignOff:   UrgencySignOff,
}

// documentUrgency is how urgent a required document's blocker is at now.
func documentUrgency(d DocumentState, now time.Time) Urgency {
	switch {
	case d.Screening.Outcome.IsMatch():
		return UrgencyLapses
	case d.Screening.RerunReason != "":
		return UrgencyRejected
	}
	switch EffectiveStatus(d.Status, d.Validity, now) {
	case DocExpired, DocApproved: // an approved document blocks only when it lapses in the window
		return UrgencyLapses
	case DocRejected:
		return UrgencyRejected
	case DocUnderReview:
		return UrgencyAwaitingReview
	}
	return UrgencyMissing
}

// urgencyOf is a blocker's urgency: a document's as DocumentBlockers found it, another
// kind's by its kind.
func urgencyOf(b Blocker) Urgency {
	if b.Kind == BlockerDocument {
		return b.urgency
	}
	return kindUrgency[b.Kind]
}

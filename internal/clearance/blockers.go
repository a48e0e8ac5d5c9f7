package clearance

import (
	"sort"
	"time"

	"github.com/stshub/stshub/internal/authz"
)

// DocumentState is what the clearance rules need to know about one required document.
type DocumentState struct {
	ID          string
	TypeCode    string
	TypeName    string
	VesselID    string // "" for a room-level document
	VesselName  string
	SuppliedBy  authz.Role // the type's supplier, who acts on a missing or rejected document
	Criticality Criticality
	Required    bool // false when waived
	Status      DocStatus
	Validity    Validity
	Screening   ScreeningState // of a screening type (IsScreening); zero otherwise
}

// The kinds of blocker.
const (
	BlockerDocument  = "document"
	BlockerSignOff   = "sign_off"
	BlockerVessel    = "vessel"
	BlockerNotice    = "notice"
	BlockerChecklist = "checklist"
)

// BlockerKinds lists the kinds of blocker: the one list (API enum).
func BlockerKinds() []string {
	return []string{BlockerDocument, BlockerSignOff, BlockerVessel, BlockerNotice, BlockerChecklist}
}

// Blocker is one reason a room is not cleared (Gate clearance) or may not start its operation
// (Gate commencement), and who must act on it.
type Blocker struct {
	Kind        string      `json:"kind"`
	Gate        GateName    `json:"gate"`
	DocumentID  string      `json:"document_id,omitempty"`
	PartyID     string      `json:"party_id,omitempty"`
	TypeCode    string      `json:"type_code,omitempty"`
	VesselID    string      `json:"vessel_id,omitempty"`
	Criticality Criticality `json:"criticality"`
	Reason      string      `json:"reason"`
	// ActBy are the room roles that can remove the blocker.
	ActBy []authz.Role `json:"act_by"`
	// urgency orders a document's blocker among the others (urgency.go).
	urgency Urgency
}

// DocumentBlockers lists the required documents that keep a room from either gate at now,
// and says in words what the informative (low-criticality) ones lack. Criticality decides the
// gate (docs/domain.md, "Criticality"): a high one that is missing, awaiting review,
// rejected, expired or a certificate lapsing before windowEnd blocks clearance; a medium one
// blocks commencement; a low one blocks nothing. Point-in-time evidence is evidence as of a
// time and is re-run before commencement: evidence that is valid now but ages out before the
// operation ends blocks commencement, not clearance.
func DocumentBlockers(docs []DocumentState, now, windowEnd time.Time) (blockers, notes []Blocker) {
	for _, d := range docs {
		if !d.Required {
			continue
		}
		reason, actBy := documentProblem(d, now, windowEnd)
		screening := ScreeningProblem(d.Screening)
		if screening != "" { // a match or a stale screening outweighs its review status
			reason, actBy = screening, []authz.Role{d.SuppliedBy}
		}
		if reason == "" {
			continue
		}
		label := d.TypeName
		if d.VesselName != "" {
			label += " — " + d.VesselName
		}
		b := Blocker{Kind: BlockerDocument, Gate: GateClearance, DocumentID: d.ID, TypeCode: d.TypeCode, VesselID: d.VesselID,
			Criticality: d.Criticality, Reason: label + ": " + reason, ActBy: actBy, urgency: documentUrgency(d, now)}
		switch {
		case d.Criticality == CriticalityLow:
			b.Gate, b.Reason = "", b.Reason+" (informative; blocks nothing)"
			notes = append(notes, b)
			continue
		case d.Criticality == CriticalityMedium:
			b.Gate = GateCommencement
		case screening != "":
		case d.Validity.Kind == ExpiryPointInTime && EffectiveStatus(d.Status, d.Validity, now) == DocApproved && d.Validity.ExpiresBefore(windowEnd):
			b.Gate = GateCommencement // valid now, ages out during the operation
		}
		blockers = append(blockers, b)
	}
	// By type and vessel, then (stably) by gate and criticality.
	sort.SliceStable(blockers, func(i, j int) bool {
		a, b := blockers[i], blockers[j]
		if a.TypeCode != b.TypeCode {
			return a.TypeCode < b.TypeCode
		}
		return a.VesselID < b.VesselID
	})
	sortBlockers(blockers)
	return blockers, notes
}

// documentProblem says what is wrong with a required document at now and which roles can
// put it right; "" when nothing is.
func documentProblem(d DocumentState, now, windowEnd time.Time) (string, []authz.Role) {
	supplier := []authz.Role{d.SuppliedBy}
	switch EffectiveStatus(d.Status, d.Validity, now) {
	case DocMissing:
		return "missing", supplier
	case DocUnderReview:
		return "awaiting review", authz.RolesThatCan(authz.ReviewDocument)
	case DocRejected:
		return "rejected: a new version is needed", supplier
	case DocExpired:
		return "expired", supplier
	case DocApproved:
		return approvedBlocker(d.Validity, windowEnd), supplier
	}
	// Fail safe: a status these rules do not know never counts as cleared.
	return "unknown status " + string(d.Status), supplier
}

// approvedBlocker says why an approved document still blocks: it lacks the date its validity
// is judged by, or its validity ends before the operation does. "" when it does not block.
func approvedBlocker(v Validity, windowEnd time.Time) string {
	switch {
	case v.Kind == ExpiryDate && v.ExpiresOn == nil:
		return "no expiry date recorded"
	case v.Kind == ExpiryPointInTime && v.PerformedAt == nil:
		return "no performed-at time recorded"
	case !v.ExpiresBefore(windowEnd):
		return ""
	case v.Kind == ExpiryPointInTime:
		return "ages out at " + v.ValidUntil().Format(time.RFC3339) + ", before the operation ends: re-run it before commencement"
	case v.Kind == ExpiryDate:
		return "expires on " + v.ExpiryText() + ", before the operation ends"
	}
	return "valid only until " + v.ValidUntil().Format(time.RFC3339) + ", before the operation ends"
}

// Progress counts required documents and those approved and valid at now.
func Progress(docs []DocumentState, now time.Time) (required, approved int) {
	for _, d := range docs {
		if !d.Required {
			continue
		}
		required++
		if EffectiveStatus(d.Status, d.Validity, now) == DocApproved {
			approved++
		}
	}
	return required, approved
}

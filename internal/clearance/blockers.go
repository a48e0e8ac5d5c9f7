package clearance

import (
	"sort"
	"time"
)

// DocumentState is what the clearance rules need to know about one required document.
type DocumentState struct {
	ID          string
	TypeCode    string
	TypeName    string
	VesselID    string // "" for a room-level document
	VesselName  string
	Criticality Criticality
	Required    bool // false when waived
	Status      DocStatus
	Validity    Validity
}

// The kinds of blocker.
const (
	BlockerDocument = "document"
	BlockerSignOff  = "sign_off"
)

// Blocker is one reason a room is not cleared.
type Blocker struct {
	Kind        string      `json:"kind"` // "document", "sign_off" or "checklist"
	DocumentID  string      `json:"document_id,omitempty"`
	PartyID     string      `json:"party_id,omitempty"`
	TypeCode    string      `json:"type_code,omitempty"`
	VesselID    string      `json:"vessel_id,omitempty"`
	Criticality Criticality `json:"criticality"`
	Reason      string      `json:"reason"`
}

// DocumentBlockers lists the required documents that keep a room from clearance at now:
// missing, under review, rejected, expired, or expiring before the operation window ends.
// The most critical come first; within a criticality, by type code and vessel.
func DocumentBlockers(docs []DocumentState, now, windowEnd time.Time) []Blocker {
	var out []Blocker
	for _, d := range docs {
		if !d.Required {
			continue
		}
		reason := ""
		switch EffectiveStatus(d.Status, d.Validity, now) {
		case DocMissing:
			reason = "missing"
		case DocUnderReview:
			reason = "awaiting review"
		case DocRejected:
			reason = "rejected"
		case DocExpired:
			reason = "expired"
		case DocApproved:
			reason = approvedBlocker(d.Validity, windowEnd)
		default:
			// Fail safe: a status these rules do not know never counts as cleared.
			reason = "unknown status " + string(d.Status)
		}
		if reason == "" {
			continue
		}
		label := d.TypeName
		if d.VesselName != "" {
			label += " — " + d.VesselName
		}
		out = append(out, Blocker{Kind: BlockerDocument, DocumentID: d.ID, TypeCode: d.TypeCode, VesselID: d.VesselID,
			Criticality: d.Criticality, Reason: label + ": " + reason})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Criticality.Rank() != b.Criticality.Rank() {
			return a.Criticality.Rank() < b.Criticality.Rank()
		}
		if a.TypeCode != b.TypeCode {
			return a.TypeCode < b.TypeCode
		}
		return a.VesselID < b.VesselID
	})
	return out
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

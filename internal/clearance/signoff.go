package clearance

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/stshub/stshub/internal/authz"
)

// A sign-off is bound to what was signed (docs/domain.md, "Sign-offs bound to what was
// signed"): it records the required documents its party saw, each at its version, and the
// room's audit chain position at that moment. When one of them gets a new version, is
// rejected, expires or stops being required, or a new requirement appears, the sign-off is
// stale: it stops counting until the party signs again.

// CoveredDocument is one required document as a sign-off saw it.
type CoveredDocument struct {
	DocumentID string `json:"document_id"`
	TypeCode   string `json:"type_code"`
	TypeName   string `json:"type_name"`
	VesselID   string `json:"vessel_id,omitempty"` // "" for a room-level document
	VesselName string `json:"vessel_name,omitempty"`
	// VersionID, VersionNumber and SHA256 name the version in force (VersionNumber 0 and
	// the others "": nothing uploaded yet).
	VersionID     string      `json:"version_id,omitempty"`
	VersionNumber int         `json:"version_number"`
	SHA256        string      `json:"sha256,omitempty"`
	Status        DocStatus   `json:"status"` // in effect at the sign-off (an approved one past its validity: expired)
	Criticality   Criticality `json:"criticality"`
}

// ChainPosition is a point of a room's audit chain: the sequence number and hash of its
// latest entry (zero before the first).
type ChainPosition struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// Coverage is what a sign-off covered: the documents, in the order SortCovered gives, and
// the chain position before the sign-off's own entry.
type Coverage struct {
	Documents []CoveredDocument `json:"documents"`
	Chain     ChainPosition     `json:"chain"`
}

// Digest is the SHA-256 (hex) of the coverage's JSON encoding: the sign-off's trail entry
// carries it, so the coverage stored beside the approval can be checked against the chain.
func (c Coverage) Digest() string {
	docs := c.Documents
	if docs == nil {
		docs = []CoveredDocument{}
	}
	b, err := json.Marshal(Coverage{Documents: docs, Chain: c.Chain})
	if err != nil {
		panic(err) // plain strings and numbers always encode
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// SortCovered orders covered documents as the gate lists documents: by type, then vessel.
func SortCovered(docs []CoveredDocument) {
	sort.Slice(docs, func(i, j int) bool {
		a, b := docs[i], docs[j]
		if a.TypeCode != b.TypeCode {
			return a.TypeCode < b.TypeCode
		}
		if a.VesselID != b.VesselID {
			return a.VesselID < b.VesselID
		}
		return a.DocumentID < b.DocumentID
	})
}

// SignedDocument is a document of the room now, as the stale rule reads it.
type SignedDocument struct {
	DocumentState
	VersionNumber int // its latest version's number (0: none)
}

// Covers reports whether a sign-off given now records d: every required document (the
// caller leaves out those the signing party may not see).
func Covers(d SignedDocument) bool { return d.Required }

// Cover is d as a sign-off at now records it, with its latest version's ID and hash.
func Cover(d SignedDocument, versionID, sha string, now time.Time) CoveredDocument {
	return CoveredDocument{DocumentID: d.ID, TypeCode: d.TypeCode, TypeName: d.TypeName, VesselID: d.VesselID, VesselName: d.VesselName,
		VersionID: versionID, VersionNumber: d.VersionNumber, SHA256: sha, Status: EffectiveStatus(d.Status, d.Validity, now),
		Criticality: d.Criticality}
}

// SignOffChange is one thing that changed since a sign-off, in words, and the document
// it is about (so a reader who may not see that document is not told).
type SignOffChange struct {
	DocumentID string `json:"document_id"`
	TypeCode   string `json:"type_code"`
	VesselID   string `json:"vessel_id,omitempty"`
	Text       string `json:"text"`
}

// SignOffChanges is the stale rule: what changed, at now, in the documents a sign-off
// covered (covered) against the documents its party sees now (current, required or not).
// An empty result means the sign-off still counts. A sign-off is a clearance decision, so
// only the documents the clearance gate judges count (BindsSignOff: high criticality);
// the others are recorded in its coverage, but the documents that follow clearance (those
// for commencement) or inform (low) do not make it stale.
// The triggers, per covered document: a new version (or the first one), a rejection, an
// expiry, a waiver, or the document gone from the room; and a required document that the
// sign-off did not cover. An approval of the version signed changes nothing: the party saw
// that version. A document that was already rejected or expired at the sign-off and still
// is has not changed.
func SignOffChanges(covered []CoveredDocument, current []SignedDocument, now time.Time) []SignOffChange {
	byID := make(map[string]SignedDocument, len(current))
	for _, d := range current {
		byID[d.ID] = d
	}
	seen := make(map[string]bool, len(covered))
	var out []SignOffChange
	for _, c := range covered {
		seen[c.DocumentID] = true
		d, ok := byID[c.DocumentID]
		if !ok {
			if BindsSignOff(c.Criticality) {
				out = append(out, SignOffChange{c.DocumentID, c.TypeCode, c.VesselID, coveredLabel(c) + ": no longer in the room"})
			}
			continue
		}
		if !BindsSignOff(d.Criticality) {
			continue
		}
		if text := documentChange(c, d, now); text != "" {
			out = append(out, SignOffChange{d.ID, d.TypeCode, d.VesselID, docLabel(d.DocumentState) + ": " + text})
		}
	}
	for _, d := range current {
		if !seen[d.ID] && Covers(d) && BindsSignOff(d.Criticality) {
			out = append(out, SignOffChange{d.ID, d.TypeCode, d.VesselID, docLabel(d.DocumentState) + ": required since the sign-off"})
		}
	}
	return out
}

// BindsSignOff reports whether a change to a document of criticality c makes a sign-off
// stale: the documents of the clearance gate (DocumentBlockers) do.
func BindsSignOff(c Criticality) bool { return c == CriticalityHigh }

// documentChange says what changed in one covered document, "" when nothing that matters.
func documentChange(c CoveredDocument, d SignedDocument, now time.Time) string {
	switch {
	case !d.Required:
		return "waived since the sign-off"
	case d.VersionNumber != c.VersionNumber && c.VersionNumber == 0:
		return fmt.Sprintf("v%d uploaded (none at the sign-off)", d.VersionNumber)
	case d.VersionNumber != c.VersionNumber:
		return fmt.Sprintf("v%d replaced by v%d", c.VersionNumber, d.VersionNumber)
	}
	switch st := EffectiveStatus(d.Status, d.Validity, now); {
	case st == DocRejected && c.Status != DocRejected:
		return fmt.Sprintf("v%d rejected", d.VersionNumber)
	case st == DocExpired && c.Status != DocExpired:
		if until := d.Validity.ValidUntil(); until != nil {
			return "expired on " + until.UTC().Format("2006-01-02 15:04") + " UTC"
		}
		return "expired"
	}
	return ""
}

// docLabel names a document in a change: "Q88 of MT LEVANT PIONEER".
func docLabel(d DocumentState) string {
	return label(d.TypeName, d.TypeCode, d.VesselName)
}

func coveredLabel(c CoveredDocument) string { return label(c.TypeName, c.TypeCode, c.VesselName) }

func label(name, code, vessel string) string {
	if name == "" {
		name = code
	}
	if vessel != "" {
		name += " of " + vessel
	}
	return name
}

// staleBlocker is the blocker of a stale sign-off: who signed before what. It names the
// document of the first change (DocumentID, TypeCode, VesselID), so that a reader who may
// not see that document is not shown it (as with a document's own blocker).
func staleBlocker(s SignOffState) Blocker {
	first := s.Changes[0]
	return Blocker{Kind: BlockerSignOff, Gate: GateClearance, PartyID: s.PartyID, DocumentID: first.DocumentID, TypeCode: first.TypeCode,
		VesselID: first.VesselID, Criticality: CriticalityHigh, Reason: staleReason(s), ActBy: []authz.Role{authz.Role(s.Role)}}
}

// staleReason says who signed before what.
func staleReason(s SignOffState) string {
	reason := s.Email + " (" + s.Role + ") signed before " + s.Changes[0].Text
	switch n := len(s.Changes) - 1; {
	case n == 1:
		reason += " (and 1 more change)"
	case n > 1:
		reason += fmt.Sprintf(" (and %d more changes)", n)
	}
	return reason + "; sign again"
}

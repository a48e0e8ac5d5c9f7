package clearance

import (
	"slices"
	"testing"
	"time"
)

// signedRoom is a room's documents as a sign-off on 10 March saw them: LEVANT PIONEER's Q88
// at v2 and P&I entry (valid to 11 March, 12:00 GMT) approved, a crew list (medium), a
// terminal letter (low, missing) and a waived price-cap attestation.
func signedRoom() map[string]*SignedDocument {
	piExpiry := time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)
	gmt, _ := time.LoadLocation("GMT")
	return map[string]*SignedDocument{
		"q88": {VersionNumber: 2, DocumentState: DocumentState{ID: "doc-q88", TypeCode: "Q88", TypeName: "Q88", VesselID: "v-lp",
			VesselName: "MT LEVANT PIONEER", Criticality: CriticalityHigh, Required: true, Status: DocApproved}},
		"pi": {VersionNumber: 1, DocumentState: DocumentState{ID: "doc-pi", TypeCode: "PI_COE", TypeName: "P&I certificate of entry",
			VesselID: "v-lp", VesselName: "MT LEVANT PIONEER", Criticality: CriticalityHigh, Required: true, Status: DocApproved,
			Validity: Validity{Kind: ExpiryDate, ExpiresOn: &piExpiry, EndsAt: &TimeOfDay{Minutes: 12 * 60, Zone: gmt}}}},
		"crew": {VersionNumber: 1, DocumentState: DocumentState{ID: "doc-crew", TypeCode: "CREW", TypeName: "Crew list",
			VesselID: "v-lp", VesselName: "MT LEVANT PIONEER", Criticality: CriticalityMedium, Required: true, Status: DocApproved}},
		"letter": {DocumentState: DocumentState{ID: "doc-letter", TypeCode: "TERMINAL", TypeName: "Terminal letter",
			Criticality: CriticalityLow, Required: true, Status: DocMissing}},
		"pricecap": {DocumentState: DocumentState{ID: "doc-pc", TypeCode: "PRICE_CAP", TypeName: "Price-cap attestation",
			Criticality: CriticalityHigh, Required: false, Status: DocMissing}},
	}
}

// TestSignOffChanges: the stale rule, each trigger and each non-trigger.
func TestSignOffChanges(t *testing.T) {
	signedAt := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	beforeExpiry := time.Date(2026, 3, 11, 11, 59, 0, 0, time.UTC)
	afterExpiry := time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC)
	sire := &SignedDocument{DocumentState: DocumentState{ID: "doc-sire", TypeCode: "SIRE", TypeName: "SIRE 2.0 inspection report",
		VesselID: "v-as", VesselName: "MT AEGEAN SERENITY", Criticality: CriticalityHigh, Required: true, Status: DocMissing}}
	issc := &SignedDocument{DocumentState: DocumentState{ID: "doc-issc", TypeCode: "ISSC", TypeName: "ISSC", VesselID: "v-as",
		Criticality: CriticalityMedium, Required: true, Status: DocMissing}}
	tests := []struct {
		name   string
		before func(docs map[string]*SignedDocument) // the room as signed, when not signedRoom
		change func(docs map[string]*SignedDocument)
		now    time.Time
		want   []string
	}{
		{name: "nothing changed", want: nil},
		{name: "a new version, awaiting review", change: func(d map[string]*SignedDocument) { d["q88"].VersionNumber, d["q88"].Status = 3, DocUnderReview },
			want: []string{"Q88 of MT LEVANT PIONEER: v2 replaced by v3"}},
		{name: "a new version, approved too", change: func(d map[string]*SignedDocument) { d["q88"].VersionNumber = 3 },
			want: []string{"Q88 of MT LEVANT PIONEER: v2 replaced by v3"}},
		{name: "a first version of a document missing at the sign-off",
			before: func(d map[string]*SignedDocument) { d["q88"].VersionNumber, d["q88"].Status = 0, DocMissing },
			change: func(d map[string]*SignedDocument) { d["q88"].VersionNumber, d["q88"].Status = 1, DocApproved },
			want:   []string{"Q88 of MT LEVANT PIONEER: v1 uploaded (none at the sign-off)"}},
		{name: "the version signed rejected", change: func(d map[string]*SignedDocument) { d["q88"].Status = DocRejected },
			want: []string{"Q88 of MT LEVANT PIONEER: v2 rejected"}},
		{name: "expired since, before the scan records it", now: afterExpiry,
			want: []string{"P&I certificate of entry of MT LEVANT PIONEER: expired on 2026-03-11 12:00 UTC"}},
		{name: "expired since, as the scan recorded it", now: afterExpiry, change: func(d map[string]*SignedDocument) { d["pi"].Status = DocExpired },
			want: []string{"P&I certificate of entry of MT LEVANT PIONEER: expired on 2026-03-11 12:00 UTC"}},
		{name: "waived since", change: func(d map[string]*SignedDocument) { d["q88"].Required = false },
			want: []string{"Q88 of MT LEVANT PIONEER: waived since the sign-off"}},
		{name: "gone from the room", change: func(d map[string]*SignedDocument) { delete(d, "q88") },
			want: []string{"Q88 of MT LEVANT PIONEER: no longer in the room"}},
		{name: "a new high requirement (a vessel's, a requirement added)", change: func(d map[string]*SignedDocument) { d["sire"] = sire },
			want: []string{"SIRE 2.0 inspection report of MT AEGEAN SERENITY: required since the sign-off"}},
		{name: "a waiver lifted", change: func(d map[string]*SignedDocument) { d["pricecap"].Required = true },
			want: []string{"Price-cap attestation: required since the sign-off"}},
		{name: "several changes, in the order covered (by type), then the new ones", now: afterExpiry, change: func(d map[string]*SignedDocument) {
			d["q88"].VersionNumber = 3
			d["sire"] = sire
		}, want: []string{"P&I certificate of entry of MT LEVANT PIONEER: expired on 2026-03-11 12:00 UTC", "Q88 of MT LEVANT PIONEER: v2 replaced by v3",
			"SIRE 2.0 inspection report of MT AEGEAN SERENITY: required since the sign-off"}},

		// Non-triggers.
		{name: "just before the expiry", now: beforeExpiry, want: nil},
		{name: "the version signed approved since (it was awaiting review)",
			before: func(d map[string]*SignedDocument) { d["q88"].Status = DocUnderReview },
			want:   nil},
		{name: "rejected at the sign-off and still", before: func(d map[string]*SignedDocument) { d["q88"].Status = DocRejected },
			change: func(d map[string]*SignedDocument) { d["q88"].Status = DocRejected }, want: nil},
		{name: "expired at the sign-off and still", now: afterExpiry, before: func(d map[string]*SignedDocument) { d["pi"].Status = DocExpired },
			change: func(d map[string]*SignedDocument) { d["pi"].Status = DocExpired }, want: nil},
		{name: "an optional (waived) document gets a version",
			change: func(d map[string]*SignedDocument) {
				d["pricecap"].VersionNumber, d["pricecap"].Status = 1, DocUnderReview
			}, want: nil},
		{name: "a commencement (medium) document replaced and rejected",
			change: func(d map[string]*SignedDocument) { d["crew"].VersionNumber, d["crew"].Status = 2, DocRejected }, want: nil},
		{name: "an informative (low) document uploaded",
			change: func(d map[string]*SignedDocument) { d["letter"].VersionNumber, d["letter"].Status = 1, DocUnderReview }, want: nil},
		{name: "a new medium requirement", change: func(d map[string]*SignedDocument) { d["issc"] = issc }, want: nil},
		// The caller leaves out of the documents now those the party may not see (MaySee):
		// a document of the other vessel that only its owner sees never reaches the rule.
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := signedRoom()
			if tt.before != nil {
				tt.before(docs)
			}
			var covered []CoveredDocument
			for _, d := range docs {
				if Covers(*d) {
					covered = append(covered, Cover(*d, "ver", "sha", signedAt))
				}
			}
			SortCovered(covered)
			now := tt.now
			if now.IsZero() {
				now = beforeExpiry
			}
			current := signedRoom()
			if tt.before != nil {
				tt.before(current)
			}
			if tt.change != nil {
				tt.change(current)
			}
			var docsNow []SignedDocument
			for _, key := range []string{"q88", "pi", "crew", "letter", "pricecap", "sire", "issc"} {
				if d, ok := current[key]; ok {
					docsNow = append(docsNow, *d)
				}
			}
			var got []string
			for _, c := range SignOffChanges(covered, docsNow, now) {
				got = append(got, c.Text)
				if c.DocumentID == "" || c.TypeCode == "" {
					t.Errorf("change %q names no document", c.Text)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("changes = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCoverage: a sign-off covers the required documents (the waived one is left out),
// with each one's status in effect at the moment, and its digest changes with any of it.
func TestCoverage(t *testing.T) {
	signedAt := time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC) // the P&I entry's last instant has passed
	var covered []CoveredDocument
	for _, d := range signedRoom() {
		if Covers(*d) {
			covered = append(covered, Cover(*d, "ver-"+d.ID, "sha-"+d.ID, signedAt))
		}
	}
	SortCovered(covered)
	var codes []string
	for _, c := range covered {
		codes = append(codes, c.TypeCode)
		if c.TypeCode == "PI_COE" && c.Status != DocExpired {
			t.Errorf("P&I entry covered as %s, want expired (in effect at the sign-off)", c.Status)
		}
	}
	if want := []string{"CREW", "PI_COE", "Q88", "TERMINAL"}; !slices.Equal(codes, want) {
		t.Fatalf("covered %v, want %v", codes, want)
	}
	cov := Coverage{Documents: covered, Chain: ChainPosition{Seq: 41, Hash: "abc"}}
	digest := cov.Digest()
	if len(digest) != 64 || digest != (Coverage{Documents: slices.Clone(covered), Chain: cov.Chain}).Digest() {
		t.Fatalf("digest %q not stable", digest)
	}
	moved := cov
	moved.Chain.Seq = 42
	changed := Coverage{Documents: slices.Clone(covered), Chain: cov.Chain}
	changed.Documents[0].VersionNumber++
	if moved.Digest() == digest || changed.Digest() == digest {
		t.Error("the digest does not follow the chain position or the versions")
	}
	if (Coverage{}).Digest() != (Coverage{Documents: []CoveredDocument{}}).Digest() {
		t.Error("no documents and an empty list digest differently")
	}
}

// TestStaleSignOffBlocker: a stale approval blocks clearance like a missing one, says who
// signed before what, and names the document of its first change.
func TestStaleSignOffBlocker(t *testing.T) {
	changes := []SignOffChange{
		{DocumentID: "doc-q88", TypeCode: "Q88", VesselID: "v-lp", Text: "Q88 of MT LEVANT PIONEER: v2 replaced by v3"},
		{DocumentID: "doc-pi", TypeCode: "PI_COE", VesselID: "v-lp", Text: "P&I certificate of entry of MT LEVANT PIONEER: v1 rejected"},
	}
	tests := []struct {
		name    string
		changes []SignOffChange
		want    string // "" for no blocker
	}{
		{"current", nil, ""},
		{"one change", changes[:1], "ops@levant.example (owner) signed before Q88 of MT LEVANT PIONEER: v2 replaced by v3; sign again"},
		{"two changes", changes, "ops@levant.example (owner) signed before Q88 of MT LEVANT PIONEER: v2 replaced by v3 (and 1 more change); sign again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := SignOffBlockers([]SignOffState{{PartyID: "p1", Email: "ops@levant.example", Role: "owner", Status: SignOffApproved, Changes: tt.changes}})
			if tt.want == "" {
				if len(b) != 0 {
					t.Fatalf("blockers %+v, want none", b)
				}
				return
			}
			if len(b) != 1 || b[0].Reason != tt.want || b[0].Gate != GateClearance || b[0].Kind != BlockerSignOff || b[0].PartyID != "p1" ||
				b[0].DocumentID != "doc-q88" || b[0].TypeCode != "Q88" || b[0].VesselID != "v-lp" {
				t.Fatalf("blockers %+v, want one saying %q", b, tt.want)
			}
		})
	}
	// Three changes: "2 more changes".
	b := SignOffBlockers([]SignOffState{{PartyID: "p1", Email: "e", Role: "owner", Status: SignOffApproved, Changes: append(changes, changes[0])}})
	if len(b) != 1 || b[0].Reason != "e (owner) signed before Q88 of MT LEVANT PIONEER: v2 replaced by v3 (and 2 more changes); sign again" {
		t.Fatalf("three changes: %+v", b)
	}
	in := GateInput{Vessels: VesselRoles(), SignOffs: []SignOffState{{PartyID: "p1", Email: "e", Role: "owner", Status: SignOffApproved, Changes: changes}}}
	if Gate(in).Cleared {
		t.Error("a stale sign-off counted in the gate")
	}
	in.SignOffs[0].Changes = nil
	if !Gate(in).Cleared {
		t.Errorf("a current sign-off did not count: %+v", Gate(in).Blockers)
	}
}

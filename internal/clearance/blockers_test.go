package clearance

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/authz"
)

// The Skaw operation of docs/domain.md: ETA 19 Feb 2026 06:00 UTC, in the P&I expiry wave.
var (
	skawETA       = utc(2026, 2, 19, 6, 0)
	skawNow       = utc(2026, 2, 17, 9, 0) // clearance checked two days before the ETA
	skawWindowEnd = OperationWindowEnd(skawETA, 0)
)

func mustDate(t *testing.T, s string) *time.Time {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return &d
}

// piCertificate is an approved P&I certificate of entry of the discharging ship at Skaw.
func piCertificate(t *testing.T, expiresOn string) DocumentState {
	return DocumentState{ID: "doc-pi", TypeCode: "PI_COE", TypeName: "P&I certificate of entry", SuppliedBy: authz.Owner,
		VesselID: "v-aegean", VesselName: "MT AEGEAN SERENITY", Criticality: CriticalityHigh, Required: true,
		Status: DocApproved, Validity: Validity{Kind: ExpiryDate, ExpiresOn: mustDate(t, expiresOn)}}
}

func TestSkawWindow(t *testing.T) {
	if want := utc(2026, 2, 21, 6, 0); !skawWindowEnd.Equal(want) {
		t.Fatalf("window end = %v, want %v", skawWindowEnd, want)
	}
}

func TestDocumentBlockersPIExpiresMidOperation(t *testing.T) {
	tests := []struct {
		name      string
		expiresOn string
		blocks    bool
	}{
		{name: "expires 20 Feb, during the operation", expiresOn: "2026-02-20", blocks: true},
		{name: "expires 19 Feb, the ETA day", expiresOn: "2026-02-19", blocks: true},
		{name: "expires 21 Feb, the last day of the window", expiresOn: "2026-02-21", blocks: false},
		{name: "expires 22 Feb, after the operation", expiresOn: "2026-02-22", blocks: false},
		{name: "renewed for the next P&I year", expiresOn: "2027-02-20", blocks: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := piCertificate(t, tt.expiresOn)
			got := docBlockers([]DocumentState{doc}, skawNow, skawWindowEnd)
			if !tt.blocks {
				if len(got) != 0 {
					t.Fatalf("blockers = %+v, want none", got)
				}
			} else {
				if len(got) != 1 {
					t.Fatalf("blockers = %+v, want one", got)
				}
				b := got[0]
				want := Blocker{Kind: "document", Gate: GateClearance, DocumentID: "doc-pi", TypeCode: "PI_COE", VesselID: "v-aegean",
					Criticality: CriticalityHigh, Reason: b.Reason, ActBy: []authz.Role{authz.Owner}, urgency: UrgencyLapses}
				if !reflect.DeepEqual(b, want) {
					t.Fatalf("blocker = %+v, want %+v", b, want)
				}
				if !strings.Contains(b.Reason, "before the operation ends") || !strings.Contains(b.Reason, "expires on "+tt.expiresOn) {
					t.Fatalf("reason = %q, want it to give the expiry date and say it falls before the operation ends", b.Reason)
				}
				if !strings.HasPrefix(b.Reason, "P&I certificate of entry — MT AEGEAN SERENITY: ") {
					t.Fatalf("reason = %q, want it to name the document and the vessel", b.Reason)
				}
			}
			// Valid at now either way: progress counts it as approved.
			if req, ok := Progress([]DocumentState{doc}, skawNow); req != 1 || ok != 1 {
				t.Fatalf("Progress = %d/%d, want 1/1", ok, req)
			}
		})
	}
}

func TestDocumentBlockersPIExpiresMidOperationReason(t *testing.T) {
	got := docBlockers([]DocumentState{piCertificate(t, "2026-02-20")}, skawNow, skawWindowEnd)
	want := "P&I certificate of entry — MT AEGEAN SERENITY: expires on 2026-02-20, before the operation ends"
	if len(got) != 1 || got[0].Reason != want {
		t.Fatalf("blockers = %+v, want one with reason %q", got, want)
	}
}

// Once the operation is under way past the expiry day, the same certificate is expired.
func TestDocumentBlockersPIExpiredDuringOperation(t *testing.T) {
	now := utc(2026, 2, 21, 0, 0)
	got := docBlockers([]DocumentState{piCertificate(t, "2026-02-20")}, now, skawWindowEnd)
	if len(got) != 1 || !strings.HasSuffix(got[0].Reason, ": expired") {
		t.Fatalf("blockers = %+v, want one expired", got)
	}
	if req, ok := Progress([]DocumentState{piCertificate(t, "2026-02-20")}, now); req != 1 || ok != 0 {
		t.Fatalf("Progress = %d/%d, want 0/1", ok, req)
	}
}

func TestDocumentBlockersSIRERejectedAsTooOld(t *testing.T) {
	performed := skawNow.AddDate(0, 0, -200)
	sire := DocumentState{ID: "doc-sire", TypeCode: "SIRE", TypeName: "SIRE 2.0 inspection report",
		VesselID: "v-levant", VesselName: "MT LEVANT PIONEER", Criticality: CriticalityHigh, Required: true,
		Validity: Validity{Kind: ExpiryPointInTime, PerformedAt: &performed, MaxAgeDays: 180}}

	// The reviewer rejects it as too old.
	status, err := Transition(DocUnderReview, EventReject)
	if err != nil {
		t.Fatal(err)
	}
	sire.Status = status
	got := docBlockers([]DocumentState{sire}, skawNow, skawWindowEnd)
	if len(got) != 1 {
		t.Fatalf("blockers = %+v, want one", got)
	}
	if !strings.Contains(got[0].Reason, "rejected") || got[0].TypeCode != "SIRE" || got[0].Criticality != CriticalityHigh {
		t.Fatalf("blocker = %+v, want a high SIRE blocker saying rejected", got[0])
	}
	if want := "SIRE 2.0 inspection report — MT LEVANT PIONEER: rejected: a new version is needed"; got[0].Reason != want {
		t.Fatalf("reason = %q, want %q", got[0].Reason, want)
	}

	// Had it been approved, it would count as expired anyway.
	sire.Status = DocApproved
	got = docBlockers([]DocumentState{sire}, skawNow, skawWindowEnd)
	if len(got) != 1 || !strings.HasSuffix(got[0].Reason, ": expired") {
		t.Fatalf("blockers = %+v, want one expired", got)
	}
}

func TestDocumentBlockersWaived(t *testing.T) {
	waived := DocumentState{ID: "doc-pc", TypeCode: "PRICE_CAP", TypeName: "Price-cap attestation",
		Criticality: CriticalityMedium, Required: false, Status: DocMissing}
	approved := DocumentState{ID: "doc-q88", TypeCode: "Q88", TypeName: "Q88", VesselID: "v-aegean",
		Criticality: CriticalityHigh, Required: true, Status: DocApproved, Validity: Validity{Kind: ExpiryNone}}
	docs := []DocumentState{waived, approved}
	if got := docBlockers(docs, skawNow, skawWindowEnd); len(got) != 0 {
		t.Fatalf("blockers = %+v, want none", got)
	}
	if req, ok := Progress(docs, skawNow); req != 1 || ok != 1 {
		t.Fatalf("Progress = %d/%d, want 1/1", ok, req)
	}
	// Waived whatever its status.
	for _, s := range allDocStatuses {
		w := waived
		w.Status = s
		if got := docBlockers([]DocumentState{w}, skawNow, skawWindowEnd); len(got) != 0 {
			t.Errorf("waived %s document blocks: %+v", s, got)
		}
		if req, ok := Progress([]DocumentState{w}, skawNow); req != 0 || ok != 0 {
			t.Errorf("waived %s document: Progress = %d/%d, want 0/0", s, ok, req)
		}
	}
}

func TestDocumentBlockersReasons(t *testing.T) {
	validCert := Validity{Kind: ExpiryDate, ExpiresOn: mustDate(t, "2027-02-20")}
	pastCert := Validity{Kind: ExpiryDate, ExpiresOn: mustDate(t, "2026-02-16")}
	tests := []struct {
		name   string
		status DocStatus
		v      Validity
		vessel string
		reason string // "" = no blocker
	}{
		{name: "missing", status: DocMissing, vessel: "MT X", reason: "Class certificate — MT X: missing"},
		{name: "under review", status: DocUnderReview, v: validCert, vessel: "MT X", reason: "Class certificate — MT X: awaiting review"},
		{name: "rejected", status: DocRejected, v: validCert, vessel: "MT X", reason: "Class certificate — MT X: rejected: a new version is needed"},
		{name: "expired as stored", status: DocExpired, v: validCert, vessel: "MT X", reason: "Class certificate — MT X: expired"},
		{name: "approved but past validity", status: DocApproved, v: pastCert, vessel: "MT X", reason: "Class certificate — MT X: expired"},
		{name: "room document has no vessel in its label", status: DocMissing, reason: "Class certificate: missing"},
		{name: "approved and valid", status: DocApproved, v: validCert, vessel: "MT X"},
		{name: "approved, no expiry", status: DocApproved, v: Validity{Kind: ExpiryNone}, vessel: "MT X"},
		{name: "approved screening that lapses during the window", status: DocApproved,
			v: Validity{Kind: ExpiryPointInTime, PerformedAt: timep(utc(2026, 2, 14, 0, 0)), MaxAgeDays: 7}, vessel: "MT X",
			reason: "Class certificate — MT X: ages out at 2026-02-21T00:00:00Z, before the operation ends: re-run it before commencement"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := DocumentState{ID: "d1", TypeCode: "CLASS", TypeName: "Class certificate", VesselName: tt.vessel,
				Criticality: CriticalityHigh, Required: true, Status: tt.status, Validity: tt.v}
			if tt.vessel != "" {
				d.VesselID = "v1"
			}
			got := docBlockers([]DocumentState{d}, skawNow, skawWindowEnd)
			if tt.reason == "" {
				if len(got) != 0 {
					t.Fatalf("blockers = %+v, want none", got)
				}
				return
			}
			if len(got) != 1 || got[0].Reason != tt.reason || got[0].Kind != "document" || got[0].DocumentID != "d1" || got[0].VesselID != d.VesselID {
				t.Fatalf("blockers = %+v, want one with reason %q", got, tt.reason)
			}
		})
	}
}

func TestDocumentBlockersEmpty(t *testing.T) {
	if got := docBlockers(nil, skawNow, skawWindowEnd); len(got) != 0 {
		t.Fatalf("blockers = %+v, want none", got)
	}
	if req, ok := Progress(nil, skawNow); req != 0 || ok != 0 {
		t.Fatalf("Progress = %d/%d, want 0/0", ok, req)
	}
}

func TestDocumentBlockersOrder(t *testing.T) {
	doc := func(crit Criticality, code, vessel string) DocumentState {
		return DocumentState{ID: fmt.Sprintf("%s/%s/%s", crit, code, vessel), TypeCode: code, TypeName: code,
			VesselID: vessel, Criticality: crit, Required: true, Status: DocMissing}
	}
	tests := []struct {
		name string
		in   []DocumentState
		want []string // document IDs in order
	}{
		{
			name: "mixed",
			in: []DocumentState{
				doc(CriticalityLow, "CREW", "v2"),
				doc(CriticalityMedium, "ISSC", "v1"),
				doc(CriticalityHigh, "SIRE", "v2"),
				doc(CriticalityLow, "AIS", "v1"),
				doc(CriticalityHigh, "SIRE", "v1"),
				doc(CriticalityMedium, "BUNKER", ""),
				doc(CriticalityHigh, "CLASS", "v2"),
				doc(CriticalityHigh, "FENDER", ""),
				doc(CriticalityMedium, "ISSC", "v0"),
			},
			want: []string{
				"high/CLASS/v2", "high/FENDER/", "high/SIRE/v1", "high/SIRE/v2",
				"medium/BUNKER/", "medium/ISSC/v0", "medium/ISSC/v1",
			},
		},
		{
			name: "criticality before type code",
			in:   []DocumentState{doc(CriticalityLow, "AIS", "v1"), doc(CriticalityMedium, "BUNKER", "v1"), doc(CriticalityHigh, "Q88", "v1")},
			want: []string{"high/Q88/v1", "medium/BUNKER/v1"}, // low: a note, not a blocker
		},
		{
			name: "type code before vessel",
			in:   []DocumentState{doc(CriticalityHigh, "SIRE", "a"), doc(CriticalityHigh, "CLASS", "z")},
			want: []string{"high/CLASS/z", "high/SIRE/a"},
		},
		{
			name: "room document before vessel documents of the same type",
			in:   []DocumentState{doc(CriticalityHigh, "HOSE", "v1"), doc(CriticalityHigh, "HOSE", "")},
			want: []string{"high/HOSE/", "high/HOSE/v1"},
		},
		{
			// Fail safe: a criticality these rules do not know blocks clearance.
			name: "unknown criticality blocks clearance",
			in:   []DocumentState{doc("", "AAA", "v1"), doc(CriticalityLow, "ZZZ", "v1"), doc(CriticalityMedium, "ZZZ", "v1")},
			want: []string{"/AAA/v1", "medium/ZZZ/v1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.in)
			got := docBlockers(tt.in, skawNow, skawWindowEnd)
			ids := make([]string, 0, len(got))
			for _, b := range got {
				ids = append(ids, b.DocumentID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Fatalf("order = %v, want %v", ids, tt.want)
			}
			if !slices.Equal(tt.in, in) {
				t.Fatal("DocumentBlockers reordered its input")
			}
		})
	}
}

// A room with non-blocking documents among blocking ones lists only the blockers, by gate
// and then urgency: a certificate lapsing during the operation before a missing one.
func TestDocumentBlockersMixedStatuses(t *testing.T) {
	docs := []DocumentState{
		{ID: "ok", TypeCode: "Q88", TypeName: "Q88", VesselID: "v1", Criticality: CriticalityHigh, Required: true,
			Status: DocApproved, Validity: Validity{Kind: ExpiryNone}},
		{ID: "crew", TypeCode: "CREW", TypeName: "Crew list", VesselID: "v1", Criticality: CriticalityMedium, Required: true,
			Status: DocUnderReview},
		{ID: "pi", TypeCode: "PI_COE", TypeName: "P&I", VesselID: "v1", Criticality: CriticalityHigh, Required: true,
			Status: DocApproved, Validity: Validity{Kind: ExpiryDate, ExpiresOn: mustDate(t, "2026-02-20")}},
		{ID: "waived", TypeCode: "PRICE_CAP", TypeName: "Price cap", Criticality: CriticalityMedium, Required: false,
			Status: DocMissing},
		{ID: "class", TypeCode: "CLASS", TypeName: "Class", VesselID: "v1", Criticality: CriticalityHigh, Required: true,
			Status: DocMissing},
	}
	got := docBlockers(docs, skawNow, skawWindowEnd)
	var ids []string
	for _, b := range got {
		ids = append(ids, b.DocumentID)
	}
	if want := []string{"pi", "class", "crew"}; !slices.Equal(ids, want) {
		t.Fatalf("blockers = %v, want %v", ids, want)
	}
	if req, ok := Progress(docs, skawNow); req != 4 || ok != 2 {
		t.Fatalf("Progress = %d/%d, want 2/4", ok, req)
	}
}

func TestProgress(t *testing.T) {
	now := utc(2026, 3, 14, 6, 0)
	valid := Validity{Kind: ExpiryDate, ExpiresOn: timep(utc(2027, 1, 1, 0, 0))}
	past := Validity{Kind: ExpiryDate, ExpiresOn: timep(utc(2026, 3, 13, 0, 0))}
	staleSIRE := Validity{Kind: ExpiryPointInTime, PerformedAt: timep(now.AddDate(0, 0, -200)), MaxAgeDays: 180}
	tests := []struct {
		name          string
		docs          []DocumentState
		required, got int
	}{
		{name: "none"},
		{name: "all approved", docs: []DocumentState{
			{Required: true, Status: DocApproved, Validity: valid},
			{Required: true, Status: DocApproved, Validity: Validity{Kind: ExpiryNone}},
		}, required: 2, got: 2},
		{name: "every other status counts as required, not approved", docs: []DocumentState{
			{Required: true, Status: DocMissing},
			{Required: true, Status: DocUnderReview, Validity: valid},
			{Required: true, Status: DocRejected, Validity: valid},
			{Required: true, Status: DocExpired, Validity: valid},
		}, required: 4, got: 0},
		{name: "approved past its validity is not counted", docs: []DocumentState{
			{Required: true, Status: DocApproved, Validity: past},
			{Required: true, Status: DocApproved, Validity: staleSIRE},
			{Required: true, Status: DocApproved, Validity: valid},
		}, required: 3, got: 1},
		{name: "waived documents are not counted", docs: []DocumentState{
			{Required: false, Status: DocApproved, Validity: valid},
			{Required: false, Status: DocMissing},
			{Required: true, Status: DocMissing},
		}, required: 1, got: 0},
	}
	for _, tt := range tests {
		req, ok := Progress(tt.docs, now)
		if req != tt.required || ok != tt.got {
			t.Errorf("%s: Progress = %d/%d, want %d/%d", tt.name, ok, req, tt.got, tt.required)
		}
	}
}

// docBlockers is DocumentBlockers without its notes.
func docBlockers(docs []DocumentState, now, windowEnd time.Time) []Blocker {
	b, _ := DocumentBlockers(docs, now, windowEnd)
	return b
}

// TestBlockersByUrgency: within a gate, what must be acted on first comes first: a missing
// ship, a certificate lapsing during the operation, a rejection, a review, a missing
// document, then the notice, the checklist and the sign-off.
func TestBlockersByUrgency(t *testing.T) {
	in := GateInput{Now: skawNow, WindowEnd: skawWindowEnd, Vessels: []VesselRole{VesselDischarging},
		Docs: []DocumentState{
			{ID: "missing", TypeCode: "A_MISSING", TypeName: "Class", Criticality: CriticalityHigh, Required: true, Status: DocMissing},
			{ID: "review", TypeCode: "B_REVIEW", TypeName: "Q88", Criticality: CriticalityHigh, Required: true, Status: DocUnderReview},
			{ID: "rejected", TypeCode: "C_REJECTED", TypeName: "SIRE", Criticality: CriticalityHigh, Required: true, Status: DocRejected},
			{ID: "lapses", TypeCode: "D_LAPSES", TypeName: "P&I", Criticality: CriticalityHigh, Required: true, Status: DocApproved,
				Validity: Validity{Kind: ExpiryDate, ExpiresOn: mustDate(t, "2026-02-20")}},
		},
		SignOffs: []SignOffState{{PartyID: "p1", Email: "ops@aegean.test", Role: "owner"}}}
	var got []string
	for _, b := range Gate(in).Of(GateClearance) {
		got = append(got, b.Kind+":"+b.DocumentID)
	}
	want := []string{"vessel:", "document:lapses", "document:rejected", "document:review", "document:missing", "sign_off:"}
	if !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}

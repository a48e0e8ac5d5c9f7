package clearance

import (
	"strings"
	"testing"
	"time"
)

func TestGate(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	windowEnd := time.Date(2026, 3, 16, 8, 0, 0, 0, time.UTC)
	approvedDoc := DocumentState{ID: "d1", TypeCode: "Q88", TypeName: "Q88", Criticality: CriticalityHigh, Required: true,
		Status: DocApproved, Validity: Validity{Kind: ExpiryNone}}
	missingDoc := DocumentState{ID: "d2", TypeCode: "SIRE", TypeName: "SIRE", Criticality: CriticalityHigh, Required: true, Status: DocMissing}
	signed := []SignOffState{
		{PartyID: "p1", Email: "vetting@mediterra.test", Role: "charterer", Status: SignOffApproved},
		{PartyID: "p2", Email: "ops@aegean.test", Role: "owner", Status: SignOffApproved},
	}
	cases := []struct {
		name     string
		docs     []DocumentState
		signOffs []SignOffState
		cleared  bool
		reasons  []string
	}{
		{"all approved and signed", []DocumentState{approvedDoc}, signed, true, nil},
		{"a missing document", []DocumentState{approvedDoc, missingDoc}, signed, false, []string{"SIRE: missing"}},
		{"a sign-off awaited", []DocumentState{approvedDoc},
			[]SignOffState{signed[0], {PartyID: "p2", Email: "ops@aegean.test", Role: "owner"}}, false, []string{"ops@aegean.test (owner): awaited"}},
		{"a sign-off rejected", []DocumentState{approvedDoc},
			[]SignOffState{signed[0], {PartyID: "p2", Email: "ops@aegean.test", Role: "owner", Status: SignOffRejected}}, false, []string{"rejected"}},
		{"nobody to sign off", []DocumentState{approvedDoc}, nil, false, []string{"no party that signs off"}},
		{"waived documents do not block", []DocumentState{approvedDoc, {Required: false, Status: DocMissing}}, signed, true, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Gate(c.docs, c.signOffs, now, windowEnd)
			if got.Cleared != c.cleared || len(got.Blockers) != len(c.reasons) {
				t.Fatalf("Gate = %+v", got)
			}
			for i, r := range c.reasons {
				if !strings.Contains(got.Blockers[i].Reason, r) {
					t.Errorf("blocker %d = %q, want it to mention %q", i, got.Blockers[i].Reason, r)
				}
			}
		})
	}
}

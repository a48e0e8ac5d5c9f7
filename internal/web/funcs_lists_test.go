package web

import (
	"testing"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/report"
)

// TestChipsCoverTheDomainLists fails when a status is added to its list without its chip
// (shape and words), or a chip is left for a status that no longer exists. Extras are the
// chips for states that are not values of the list (a waived document, a pending sign-off).
func TestChipsCoverTheDomainLists(t *testing.T) {
	check := func(kind string, table map[string]chip, list []string, extras ...string) {
		t.Helper()
		want := map[string]bool{}
		for _, v := range append(list, extras...) {
			want[v] = true
			if c, ok := table[v]; !ok || c.Icon == "" || c.Label == "" {
				t.Errorf("%s chip for %q missing", kind, v)
			}
		}
		for v := range table {
			if !want[v] {
				t.Errorf("%s chip for %q, which is not in the list", kind, v)
			}
		}
	}
	check("doc", docChips, strs(clearance.DocStatuses()), "waived")
	check("room", roomChips, strs(clearance.RoomStatuses()))
	check("outcome", outcomeChips, strs(clearance.Outcomes()))
	check("snapshot", snapshotChips, strs(report.SnapshotStatuses()))
	check("signoff", signOffChips, strs(clearance.SignOffStatuses()), "pending", "stale")
	check("crit", critChips, strs(clearance.Criticalities()))
}

// TestHumanWords: roles in their words from authz, other values with spaces.
func TestHumanWords(t *testing.T) {
	for _, r := range authz.Roles() {
		if got := human(r); got != r.Label() {
			t.Errorf("human(%s) = %q, want %q", r, got, r.Label())
		}
	}
	for in, want := range map[string]string{"sts_provider": "STS provider", "in_operation": "in operation", "on_hold": "on hold"} {
		if got := human(in); got != want {
			t.Errorf("human(%s) = %q, want %q", in, got, want)
		}
	}
	if got := capital("broker"); got != "Broker" {
		t.Errorf("capital(broker) = %q", got)
	}
}

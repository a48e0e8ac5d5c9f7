package report

import (
	"testing"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
)

// TestEveryValueHasItsWords fails when a value is added to a domain list without the
// words and colour this package prints for it.
func TestEveryValueHasItsWords(t *testing.T) {
	for _, f := range Formats() {
		if f.Label() == string(f) {
			t.Errorf("format %s has no label", f)
		}
		if _, ct, err := Render(f, State{}, Meta{}); ct == "" {
			t.Errorf("format %s has no content type (%v)", f, err)
		}
	}
	for _, r := range authz.Roles() {
		if got := roleLabel(string(r)); got == "" || got == emptyValue {
			t.Errorf("role %s has no label", r)
		}
	}
	if got := roleLabel("sts_provider"); got != "STS provider" {
		t.Errorf("roleLabel(sts_provider) = %q", got)
	}
	for _, c := range clearance.Criticalities() {
		if _, col := critWord(string(c)); col == colText {
			t.Errorf("criticality %s has no word of its own", c)
		}
	}
	for _, s := range clearance.DocStatuses() {
		if _, col := docStatus(Document{Required: true, Status: string(s)}); col == colText {
			t.Errorf("document status %s has no word of its own", s)
		}
	}
	for _, s := range clearance.SignOffStatuses() {
		if decisionColor(string(s)) == colWarn {
			t.Errorf("sign-off %s has no colour of its own", s)
		}
	}
}

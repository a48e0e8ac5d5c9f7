package service

import (
	"reflect"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// versionsByDocument keeps each document's versions in their order, grouped by document or
// not, and a later append to one document's versions never changes another's.
func TestVersionsByDocument(t *testing.T) {
	v := func(doc string, n int) clearance.DocumentVersion {
		return clearance.DocumentVersion{DocumentID: doc, Number: n}
	}
	for name, in := range map[string][]clearance.DocumentVersion{
		"grouped":     {v("a", 3), v("a", 2), v("a", 1), v("b", 1), v("c", 2), v("c", 1)},
		"interleaved": {v("a", 3), v("b", 1), v("a", 2), v("c", 2), v("a", 1), v("c", 1)},
	} {
		got := versionsByDocument(in)
		want := map[string][]clearance.DocumentVersion{"a": {v("a", 3), v("a", 2), v("a", 1)}, "b": {v("b", 1)}, "c": {v("c", 2), v("c", 1)}}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: %v, want %v", name, got, want)
		}
		_ = append(got["a"], v("a", 0))
		if !reflect.DeepEqual(got["b"], want["b"]) || !reflect.DeepEqual(got["c"], want["c"]) {
			t.Fatalf("%s: appending to a's versions changed another document's: %v", name, got)
		}
	}
}

// TestValidityOf: a document's validity ends when its type says: a P&I entry at 12:00 GMT
// on its expiry date, an ISSC at the end of it, evidence after its age limit.
func TestValidityOf(t *testing.T) {
	types := map[string]clearance.DocumentType{}
	for _, d := range clearance.DefaultCatalogue() {
		types[d.Code] = d
	}
	day := time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
	performed := time.Date(2026, 2, 10, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		code string
		want time.Time
	}{
		{"PI_COE", time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC)},
		{"BUNKER", time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC)},
		{"ISSC", time.Date(2026, 2, 21, 0, 0, 0, 0, time.UTC)},
		{"SANCTIONS", performed.AddDate(0, 0, 7)},
	}
	for _, tt := range tests {
		v := validityOf(types[tt.code], &day, &performed)
		if got := v.ValidUntil(); got == nil || !got.Equal(tt.want) {
			t.Errorf("%s valid until %v, want %v", tt.code, got, tt.want)
		}
	}
}

// TestTypeFieldsSeeEveryChange: a change to any field an update stores is a change the
// trail records (an update that records none stores nothing), and a list read back from
// the store (empty, not nil) is no change.
func TestTypeFieldsSeeEveryChange(t *testing.T) {
	base := clearance.DefaultCatalogue()[0]
	base.AlsoSuppliedBy, base.CargoClasses = nil, nil
	stored := base
	stored.AlsoSuppliedBy, stored.CargoClasses = []authz.Role{}, []clearance.CargoClass{}
	if c := audit.Changes(typeFields(base), typeFields(stored)); len(c) != 0 {
		t.Errorf("empty lists read back count as changes: %v", c)
	}
	for name, edit := range map[string]func(*clearance.DocumentType){
		"also_supplied_by": func(d *clearance.DocumentType) { d.AlsoSuppliedBy = []authz.Role{authz.Charterer} },
		"on_behalf":        func(d *clearance.DocumentType) { d.OnBehalf = !d.OnBehalf },
		"visible_to":       func(d *clearance.DocumentType) { d.VisibleTo = []authz.Role{authz.Broker} },
		"expiry_time":      func(d *clearance.DocumentType) { d.ExpiryTime = "12:00" },
		"expiry_zone":      func(d *clearance.DocumentType) { d.ExpiryZone = "GMT" },
		"cargo_classes":    func(d *clearance.DocumentType) { d.CargoClasses = []clearance.CargoClass{clearance.CargoGas} },
	} {
		after := base
		edit(&after)
		if c := audit.Changes(typeFields(base), typeFields(after)); len(c) != 1 || c[name] == nil {
			t.Errorf("changing %s: changes %v", name, c)
		}
	}
}

// TestReportDocumentExpiryTime: a snapshot gives the time of day a P&I entry ends at next
// to its expiry date, and none for a certificate valid through its day.
func TestReportDocumentExpiryTime(t *testing.T) {
	types := map[string]clearance.DocumentType{}
	for _, d := range clearance.DefaultCatalogue() {
		types[d.Code] = d
	}
	day := time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC)
	for code, want := range map[string]string{"PI_COE": "12:00 GMT", "ISSC": ""} {
		v := DocumentView{Type: types[code]}
		v.ExpiresOn = &day
		if got := reportDocument(v, store.Room{}, day); got.ExpiryTime != want || got.ExpiresOn != "2026-02-20" {
			t.Errorf("%s: expires %q at %q, want 2026-02-20 at %q", code, got.ExpiresOn, got.ExpiryTime, want)
		}
	}
}

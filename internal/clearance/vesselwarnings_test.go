package clearance

import (
	"slices"
	"strings"
	"testing"
)

func TestVesselWarnings(t *testing.T) {
	const liberian = "MMSI 636019284 has the MID 636 of Liberia, but the flag is Malta"
	tests := []struct {
		mmsi, flag string
		want       []string
	}{
		{"248731000", "Malta", nil},
		{"248731000", "MALTA", nil},
		{"248731000", " malta ", nil},
		{"256000001", "Republic of Malta", nil},
		{"248731000", "MT", nil},
		{"538001234", "Marshall Islands", nil},
		{"538001234", "Marshall Is.", nil},
		{"538001234", "Marshall Isl", nil},
		{"538001234", "Republic of the Marshall Islands", nil},
		{"538001234", "MHL", nil},
		{"477000001", "Hong Kong, China", nil},
		{"477000001", "Hong Kong SAR", nil},
		{"235000001", "UK", nil},
		{"311000001", "The Bahamas", nil},
		{"533000001", "Malaysia", nil},
		{"525000001", "Indonesia", nil},
		{"636019284", "Malta", []string{liberian}},
		{"636019284", "Maltese", []string{"MMSI 636019284 has the MID 636 of Liberia, but the flag is Maltese"}},
		{"538001234", "Marshall", []string{"MMSI 538001234 has the MID 538 of Marshall Islands, but the flag is Marshall"}},
		{"533000001", "Indonesia", []string{"MMSI 533000001 has the MID 533 of Malaysia, but the flag is Indonesia"}},
		{"636019284", "", nil},       // no flag to compare
		{"636019284", " . ", nil},    // nothing but punctuation
		{"211000001", "Malta", nil},  // a MID the table does not know (Germany)
		{"", "Malta", nil},           // no MMSI
		{"100000000", "Malta", nil},  // not a ship MMSI: Normalize refuses it
		{"24873100", "Liberia", nil}, // not nine digits
	}
	for _, tt := range tests {
		got := VesselWarnings(VesselParticulars{Name: "MT X", IMO: "9074729", Role: VesselReceiving, MMSI: tt.mmsi, Flag: tt.flag})
		if !slices.Equal(got, tt.want) {
			t.Errorf("VesselWarnings(mmsi %q, flag %q) = %q, want %q", tt.mmsi, tt.flag, got, tt.want)
		}
	}
}

// TestMIDFlagsAreCanonical keeps the two tables in step: every flag midFlags names is, in
// lower case, its own canonical form, and every alias leads to one of them.
func TestMIDFlagsAreCanonical(t *testing.T) {
	for mid, flag := range midFlags {
		if got := canonicalFlag(flag); got != strings.ToLower(flag) {
			t.Errorf("midFlags[%d] = %q: canonical form %q", mid, flag, got)
		}
	}
	names := map[string]bool{}
	for _, flag := range midFlags {
		names[canonicalFlag(flag)] = true
	}
	for alias, name := range flagAliases {
		if !names[name] {
			t.Errorf("flagAliases[%q] = %q names no state of midFlags", alias, name)
		}
	}
}

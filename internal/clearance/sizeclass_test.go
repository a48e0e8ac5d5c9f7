package clearance

import "testing"

func TestTankerSizeClassBands(t *testing.T) {
	tests := []struct {
		dwt  int
		want string
	}{
		{-1, ""},
		{0, ""},
		{24_999, ""},
		{25_000, "MR"},
		{47_000, "MR"},
		{54_999, "MR"},
		{55_000, "LR1"},
		{79_999, "LR1"},
		{80_000, "Aframax"},
		{105_300, "Aframax"}, // MT LEVANT PIONEER
		{115_800, "Aframax"}, // MT AEGEAN SERENITY
		{119_999, "Aframax"},
		{120_000, "Suezmax"},
		{199_999, "Suezmax"},
		{200_000, "VLCC"},
		{319_999, "VLCC"},
		{320_000, "ULCC"},
		{441_585, "ULCC"},
	}
	for _, tt := range tests {
		for _, typ := range []string{"", "Crude oil tanker"} {
			if got := TankerSizeClass(tt.dwt, typ); got != tt.want {
				t.Errorf("TankerSizeClass(%d, %q) = %q, want %q", tt.dwt, typ, got, tt.want)
			}
		}
	}
}

func TestTankerSizeClassTypes(t *testing.T) {
	tests := []struct {
		vesselType string
		want       string // at 115,800 DWT
	}{
		// Oil tankers, and types that name no cargo, get the class.
		{"", "Aframax"},
		{"   ", "Aframax"},
		{"Crude oil tanker", "Aframax"},
		{"crude_oil_tanker", "Aframax"},
		{"CRUDE CARRIER", "Aframax"},
		{"Oil tanker", "Aframax"},
		{"Product tanker", "Aframax"},
		{"Oil products tanker", "Aframax"},
		{"Oil/chemical tanker", "Aframax"}, // an oil tanker too
		{"Shuttle tanker", "Aframax"},
		{"Tanker", "Aframax"},
		// Gas carriers, chemical tankers and other ships do not.
		{"LNG carrier", ""},
		{"lng_carrier", ""},
		{"LPG tanker", ""},
		{"Gas carrier", ""},
		{"VLGC", ""},
		{"Oil/LPG carrier", ""}, // gas wins
		{"Chemical tanker", ""},
		{"chemical_tanker", ""},
		{"Bulk carrier", ""},
		{"Container ship", ""},
		{"General cargo", ""},
		{"Oiler", ""}, // a word, not a substring
	}
	for _, tt := range tests {
		if got := TankerSizeClass(115_800, tt.vesselType); got != tt.want {
			t.Errorf("TankerSizeClass(115800, %q) = %q, want %q", tt.vesselType, got, tt.want)
		}
	}
}

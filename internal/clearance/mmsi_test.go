package clearance

import "testing"

func TestNormalizeMMSI(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		{in: "248731000", want: "248731000"},
		{in: "636019284", want: "636019284"},
		{in: " 538001234 ", want: "538001234"},
		{in: "201000000", want: "201000000"}, // lowest ship MID
		{in: "775999999", want: "775999999"}, // highest ship MID
		{in: "", wantErr: "must be 9 digits"},
		{in: "12345678", wantErr: "must be 9 digits"},
		{in: "1234567890", wantErr: "must be 9 digits"},
		{in: "24873100O", wantErr: "must be 9 digits"},
		{in: "248 731 000", wantErr: "must be 9 digits"},
		{in: "-24873100", wantErr: "must be 9 digits"},
		{in: "100000000", wantErr: "must start with a ship station MID between 201 and 775"},
		{in: "999999999", wantErr: "must start with a ship station MID between 201 and 775"},
		{in: "200999999", wantErr: "must start with a ship station MID between 201 and 775"},
		{in: "776000000", wantErr: "must start with a ship station MID between 201 and 775"},
		{in: "002480001", wantErr: "must start with a ship station MID between 201 and 775"}, // coast station
		{in: "111248001", wantErr: "must start with a ship station MID between 201 and 775"}, // SAR aircraft
		{in: "970123456", wantErr: "must start with a ship station MID between 201 and 775"}, // AIS-SART
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeMMSI(tt.in)
			checkNormalized(t, got, err, tt.want, tt.wantErr)
		})
	}
}

func TestMIDOf(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"248731000", 248},
		{"636019284", 636},
		{" 477000001 ", 477},
		{"100000000", 100}, // a MID outside the ship range is still reported
		{"012345678", 12},
		{"", 0},
		{"248", 0},
		{"24873100", 0},
		{"2487310000", 0},
		{"24a731000", 0},
	}
	for _, tt := range tests {
		if got := MIDOf(tt.in); got != tt.want {
			t.Errorf("MIDOf(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestFlagOfMMSI(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"248731000", "Malta", true},
		{"249000001", "Malta", true},
		{"256000001", "Malta", true},
		{"636019284", "Liberia", true},
		{"538001234", "Marshall Islands", true},
		{"257000001", "Norway", true},
		{"259000001", "Norway", true},
		{"477000001", "Hong Kong", true},
		{"525000001", "Indonesia", true},
		{"533000001", "Malaysia", true},
		{"563000001", "Singapore", true},
		{"566000001", "Singapore", true},
		{"351000001", "Panama", true},
		{"373000001", "Panama", true},
		{"240000001", "Greece", true},
		{"241000001", "Greece", true},
		{"209000001", "Cyprus", true},
		{"212000001", "Cyprus", true},
		{"235000001", "United Kingdom", true},
		{"311000001", "Bahamas", true},
		{" 248731000 ", "Malta", true},
		{"211000001", "", false}, // valid MID (Germany) that the map does not know
		{"100000000", "", false}, // not a ship MID
		{"999999999", "", false},
		{"12345678", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := FlagOfMMSI(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("FlagOfMMSI(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

// TestMIDFlagsInShipRange keeps the table honest: every MID it names is a ship MID.
func TestMIDFlagsInShipRange(t *testing.T) {
	for mid, flag := range midFlags {
		if mid < minShipMID || mid > maxShipMID || flag == "" {
			t.Errorf("midFlags[%d] = %q is out of range or unnamed", mid, flag)
		}
	}
}

package clearance

import "testing"

func TestNormalizeShipIMO(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		// Valid ship numbers from docs/domain.md.
		{in: "9074729", want: "9074729"},
		{in: "7625811", want: "7625811"},
		{in: "9380362", want: "9380362"},
		{in: "9297345", want: "9297345"},
		{in: "9372145", want: "9372145"},
		{in: "9455832", want: "9455832"},
		// Accepted spellings.
		{in: "IMO 9372145", want: "9372145"},
		{in: "imo9372145", want: "9372145"},
		{in: "Imo: 9372145", want: "9372145"},
		{in: "IMO-9372145", want: "9372145"},
		{in: "  IMO  9455832 \t", want: "9455832"},
		{in: " 9455832\n", want: "9455832"},
		// Wrong check digit.
		{in: "9074728", wantErr: "check digit does not match (expected 9)"},
		{in: "IMO 9074728", wantErr: "check digit does not match (expected 9)"},
		// A company number under the ship rule: 2·7+0·6+4·5+1·4+9·3+9·2 = 83 → 3, not 9.
		{in: "2041999", wantErr: "check digit does not match (expected 3)"},
		// 6·7+0·6+2·5+8·4+9·3+5·2 = 121 → 1, not 0.
		{in: "6028950", wantErr: "check digit does not match (expected 1)"},
		// Wrong shape.
		{in: "123456", wantErr: "must be 7 digits"},
		{in: "12345678", wantErr: "must be 7 digits"},
		{in: "", wantErr: "must be 7 digits"},
		{in: "   ", wantErr: "must be 7 digits"},
		{in: "IMO", wantErr: "must be 7 digits"},
		{in: "IMO ", wantErr: "must be 7 digits"},
		{in: "abcdefg", wantErr: "must be 7 digits"},
		{in: "937214X", wantErr: "must be 7 digits"},
		{in: "937 2145", wantErr: "must be 7 digits"},
		{in: "IMO#9372145", wantErr: "must be 7 digits"},
		{in: "IM 9372145", wantErr: "must be 7 digits"},
		{in: "9372145 IMO", wantErr: "must be 7 digits"},
		{in: "+937214", wantErr: "must be 7 digits"},
		{in: "٩٣٧٢١٤٥", wantErr: "must be 7 digits"}, // Arabic-Indic digits are not ASCII digits
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeShipIMO(tt.in)
			checkNormalized(t, got, err, tt.want, tt.wantErr)
		})
	}
}

func TestNormalizeCompanyIMO(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr string
	}{
		// Valid company numbers from docs/domain.md.
		{in: "2041999", want: "2041999"},
		{in: "6028950", want: "6028950"},
		{in: "IMO 2041999", want: "2041999"},
		{in: "imo:6028950", want: "6028950"},
		// Wrong check digit.
		{in: "2041998", wantErr: "check digit does not match (expected 9)"},
		// Ship numbers under the company rule: 9·8+3·6+7·4+2·2+1·9+4·7 = 159;
		// 159 mod 11 = 5; (11−5) mod 10 = 6, not 5.
		{in: "9372145", wantErr: "check digit does not match (expected 6)"},
		// 9·8+0·6+7·4+4·2+7·9+2·7 = 185; 185 mod 11 = 9; (11−9) mod 10 = 2, not 9.
		{in: "9074729", wantErr: "check digit does not match (expected 2)"},
		// Wrong shape.
		{in: "", wantErr: "must be 7 digits"},
		{in: "IMO", wantErr: "must be 7 digits"},
		{in: "204199", wantErr: "must be 7 digits"},
		{in: "20419990", wantErr: "must be 7 digits"},
		{in: "2O41999", wantErr: "must be 7 digits"}, // letter O
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeCompanyIMO(tt.in)
			checkNormalized(t, got, err, tt.want, tt.wantErr)
		})
	}
}

// TestIMORulesDiffer makes sure no example from docs/domain.md is valid under the other kind's rule.
func TestIMORulesDiffer(t *testing.T) {
	for _, n := range []string{"9074729", "7625811", "9380362", "9297345", "9372145", "9455832"} {
		if _, err := NormalizeCompanyIMO(n); err == nil {
			t.Errorf("ship number %s passes the company rule", n)
		}
	}
	for _, n := range []string{"2041999", "6028950"} {
		if _, err := NormalizeShipIMO(n); err == nil {
			t.Errorf("company number %s passes the ship rule", n)
		}
	}
}

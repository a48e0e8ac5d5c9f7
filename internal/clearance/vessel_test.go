package clearance

import (
	"math"
	"testing"
	"time"
)

var testNow = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

func TestParseVesselRole(t *testing.T) {
	tests := []struct {
		in      string
		want    VesselRole
		wantErr bool
	}{
		{in: "discharging", want: VesselDischarging},
		{in: "receiving", want: VesselReceiving},
		{in: " receiving ", want: VesselReceiving},
		{in: "", wantErr: true},
		{in: "Discharging", wantErr: true},
		{in: "mother", wantErr: true},
		{in: "lightering", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseVesselRole(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseVesselRole(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && err.Error() != "must be discharging or receiving" {
			t.Errorf("ParseVesselRole(%q) error = %q", tt.in, err)
		}
	}
}

// aegeanSerenity is the discharging ship of the Malta demo operation (docs/domain.md).
func aegeanSerenity() VesselParticulars {
	return VesselParticulars{
		Name:               "MT AEGEAN SERENITY",
		IMO:                "IMO 9372145",
		Role:               VesselDischarging,
		Flag:               "Malta",
		MMSI:               "248731000",
		CallSign:           "9HA1234",
		VesselType:         "Crude oil tanker",
		DWT:                intp(115_800),
		LOA:                floatp(249.9),
		Beam:               floatp(44),
		BuiltYear:          intp(2008),
		ClassSociety:       "LR",
		PIClub:             "Gard",
		RegisteredOwner:    "Aegean Serenity Shipping Ltd",
		RegisteredOwnerIMO: "5354210",
		DOCCompany:         "Aegean Tanker Management SA",
		DOCCompanyIMO:      "IMO 2041999",
	}
}

func TestVesselParticularsNormalize(t *testing.T) {
	long := repeat("x", 201)
	tests := []struct {
		name   string
		edit   func(p *VesselParticulars)
		fields []string
	}{
		{name: "demo discharging ship", edit: func(p *VesselParticulars) {}},
		{name: "demo receiving ship", edit: func(p *VesselParticulars) {
			*p = VesselParticulars{Name: "MT LEVANT PIONEER", IMO: "9455832", Role: VesselReceiving,
				Flag: "Liberia", MMSI: "636019284", DWT: intp(105_300), ClassSociety: "DNV", PIClub: "Skuld"}
		}},
		{name: "only the required fields", edit: func(p *VesselParticulars) {
			*p = VesselParticulars{Name: "MT X", IMO: "9074729", Role: VesselReceiving}
		}},
		{name: "limits inclusive", edit: func(p *VesselParticulars) {
			p.Name = repeat("é", 200) // characters, not bytes
			p.CallSign = repeat("A", 16)
			p.DWT, p.LOA, p.Beam, p.BuiltYear = intp(700_000), floatp(500), floatp(80), intp(2029)
			p.Flag, p.VesselType, p.ClassSociety = repeat("x", 200), repeat("x", 200), repeat("x", 200)
			p.PIClub, p.RegisteredOwner, p.DOCCompany = repeat("x", 200), repeat("x", 200), repeat("x", 200)
		}},
		{name: "lower limits inclusive", edit: func(p *VesselParticulars) {
			p.DWT, p.LOA, p.Beam, p.BuiltYear = intp(1), floatp(1), floatp(1), intp(1900)
		}},
		{name: "everything missing", edit: func(p *VesselParticulars) { *p = VesselParticulars{} },
			fields: []string{"name", "imo", "role"}},
		{name: "blank strings are missing", edit: func(p *VesselParticulars) {
			p.Name, p.IMO, p.Role = "  ", "\t", " "
		}, fields: []string{"name", "imo", "role"}},
		{name: "bad check digit", edit: func(p *VesselParticulars) { p.IMO = "9074728" }, fields: []string{"imo"}},
		{name: "company number as ship IMO", edit: func(p *VesselParticulars) { p.IMO = "2041999" }, fields: []string{"imo"}},
		{name: "short IMO", edit: func(p *VesselParticulars) { p.IMO = "123456" }, fields: []string{"imo"}},
		{name: "unknown role", edit: func(p *VesselParticulars) { p.Role = "mother" }, fields: []string{"role"}},
		{name: "bad mmsi", edit: func(p *VesselParticulars) { p.MMSI = "100000000" }, fields: []string{"mmsi"}},
		{name: "short mmsi", edit: func(p *VesselParticulars) { p.MMSI = "12345678" }, fields: []string{"mmsi"}},
		{name: "blank mmsi is absent", edit: func(p *VesselParticulars) { p.MMSI = "   " }},
		{name: "company numbers", edit: func(p *VesselParticulars) {
			p.RegisteredOwnerIMO, p.DOCCompanyIMO = "imo:6028950", " 2041999 "
		}},
		{name: "blank company numbers are absent", edit: func(p *VesselParticulars) {
			p.RegisteredOwnerIMO, p.DOCCompanyIMO = " ", ""
		}},
		{name: "ship numbers as company numbers", edit: func(p *VesselParticulars) {
			p.RegisteredOwnerIMO, p.DOCCompanyIMO = "9372145", "9455832" // valid ship IMO numbers
		}, fields: []string{"registered_owner_imo", "doc_company_imo"}},
		{name: "company check digit off by one", edit: func(p *VesselParticulars) {
			p.RegisteredOwnerIMO, p.DOCCompanyIMO = "2041998", "6028951"
		}, fields: []string{"registered_owner_imo", "doc_company_imo"}},
		{name: "company numbers of the wrong length", edit: func(p *VesselParticulars) {
			p.RegisteredOwnerIMO, p.DOCCompanyIMO = "204199", "20419990"
		}, fields: []string{"registered_owner_imo", "doc_company_imo"}},
		{name: "every field too long or out of range", edit: func(p *VesselParticulars) {
			p.Name, p.Flag, p.CallSign, p.VesselType = long, long, repeat("A", 17), long
			p.DWT, p.LOA, p.Beam, p.BuiltYear = intp(700_001), floatp(500.1), floatp(80.5), intp(2030)
			p.ClassSociety, p.PIClub, p.RegisteredOwner, p.DOCCompany = long, long, long, long
			p.IMO, p.Role, p.MMSI = "IMO", "daughter", "999999999"
			p.RegisteredOwnerIMO, p.DOCCompanyIMO = "IMO", "x"
		}, fields: []string{"name", "imo", "role", "flag", "mmsi", "call_sign", "vessel_type",
			"dwt", "loa", "beam", "built_year", "class_society", "pi_club", "registered_owner",
			"registered_owner_imo", "doc_company", "doc_company_imo"}},
		{name: "zero and negative numbers", edit: func(p *VesselParticulars) {
			p.DWT, p.LOA, p.Beam, p.BuiltYear = intp(0), floatp(0), floatp(-1), intp(1899)
		}, fields: []string{"dwt", "loa", "beam", "built_year"}},
		{name: "not a number", edit: func(p *VesselParticulars) {
			p.LOA, p.Beam = floatp(math.NaN()), floatp(math.Inf(1))
		}, fields: []string{"loa", "beam"}},
		{name: "length over spaces is trimmed first", edit: func(p *VesselParticulars) {
			p.CallSign = "   " + repeat("A", 16) + "   "
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := aegeanSerenity()
			tt.edit(&p)
			assertFields(t, p.Normalize(testNow), tt.fields)
		})
	}
}

func TestVesselParticularsNormalizeRewrites(t *testing.T) {
	p := VesselParticulars{
		Name:       "  MT Aegean Serenity ",
		IMO:        " imo:9372145 ",
		Role:       " discharging ",
		Flag:       " Malta\t",
		MMSI:       " 248731000 ",
		CallSign:   " 9HA1234 ",
		VesselType: " Crude oil tanker ",
		PIClub:     " Gard ",

		RegisteredOwnerIMO: " IMO 2041999 ",
		DOCCompanyIMO:      "imo-6028950",
	}
	if err := p.Normalize(testNow); err != nil {
		t.Fatal(err)
	}
	want := VesselParticulars{Name: "MT Aegean Serenity", IMO: "9372145", Role: VesselDischarging,
		Flag: "Malta", MMSI: "248731000", CallSign: "9HA1234", VesselType: "Crude oil tanker", PIClub: "Gard",
		RegisteredOwnerIMO: "2041999", DOCCompanyIMO: "6028950"}
	if p != want {
		t.Fatalf("normalized = %+v, want %+v", p, want)
	}
}

func TestVesselParticularsNormalizeMessages(t *testing.T) {
	p := aegeanSerenity()
	p.Name = ""
	p.IMO = "9074728"
	p.Role = "mother"
	p.MMSI = "999999999"
	p.CallSign = repeat("A", 17)
	p.DWT = intp(0)
	p.LOA = floatp(600)
	p.BuiltYear = intp(2030)
	p.RegisteredOwnerIMO = "9372145"
	p.DOCCompanyIMO = "12345"
	err := p.Normalize(testNow)
	want := map[string]string{
		"name":       "is required",
		"imo":        "check digit does not match (expected 9)",
		"role":       "must be discharging or receiving",
		"mmsi":       "must start with a ship station MID between 201 and 775",
		"call_sign":  "must be at most 16 characters",
		"dwt":        "must be between 1 and 700000 tonnes",
		"loa":        "must be between 1 and 500 metres",
		"built_year": "must be between 1900 and 2029",

		"registered_owner_imo": "check digit does not match (expected 6)",
		"doc_company_imo":      "must be 7 digits",
	}
	for field, msg := range want {
		if got := messageOf(err, field); got != msg {
			t.Errorf("message for %s = %q, want %q", field, got, msg)
		}
	}
	if p.IMO != "9074728" || p.MMSI != "999999999" || p.RegisteredOwnerIMO != "9372145" {
		t.Errorf("invalid IMO/MMSI rewritten: %q, %q, %q", p.IMO, p.MMSI, p.RegisteredOwnerIMO)
	}
}

func TestVesselBuiltYearFollowsNow(t *testing.T) {
	p := aegeanSerenity()
	p.BuiltYear = intp(2033)
	if err := p.Normalize(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatalf("2033 with now in 2030: %v", err)
	}
	assertFields(t, p.Normalize(testNow), []string{"built_year"})
}

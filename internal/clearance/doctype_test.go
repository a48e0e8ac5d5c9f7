package clearance

import (
	"reflect"
	"testing"

	"github.com/stshub/stshub/internal/authz"
)

// sireType is a valid catalogue entry to edit in table tests.
func sireType() DocumentType {
	return DocumentType{Code: "SIRE", Name: "SIRE 2.0 inspection report", Description: "OCIMF SIRE 2.0 report.",
		Category: "vetting", SuppliedBy: "owner", Scope: ScopeVessel, Criticality: CriticalityHigh,
		Expiry: ExpiryPointInTime, MaxAgeDays: 180, RequiredByDefault: true, Active: true}
}

func TestCriticalityRank(t *testing.T) {
	tests := []struct {
		in   Criticality
		want int
	}{
		{CriticalityHigh, 0},
		{CriticalityMedium, 1},
		{CriticalityLow, 2},
		{"", 2},
		{"urgent", 2},
	}
	for _, tt := range tests {
		if got := tt.in.Rank(); got != tt.want {
			t.Errorf("Criticality(%q).Rank() = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestDocumentTypeNormalize(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(d *DocumentType)
		fields []string
	}{
		{name: "valid point-in-time entry", edit: func(d *DocumentType) {}},
		{name: "valid dated certificate", edit: func(d *DocumentType) {
			d.Code, d.Expiry, d.MaxAgeDays = "PI_COE", ExpiryDate, 0
		}},
		{name: "valid per-operation room document", edit: func(d *DocumentType) {
			d.Code, d.SuppliedBy, d.Scope, d.Criticality, d.Expiry, d.MaxAgeDays = "JPO", "sts_provider", ScopeRoom, CriticalityLow, ExpiryNone, 0
		}},
		{name: "optional fields empty", edit: func(d *DocumentType) { d.Description, d.Category = "", "" }},
		{name: "point in time without an age limit", edit: func(d *DocumentType) { d.MaxAgeDays = 0 }},
		{name: "age limit inclusive", edit: func(d *DocumentType) { d.MaxAgeDays = 3650 }},
		{name: "length limits inclusive, in characters", edit: func(d *DocumentType) {
			d.Code = "A" + repeat("9", 31)
			d.Name, d.Description, d.Category = repeat("é", 200), repeat("é", 2000), repeat("é", 100)
		}},
		{name: "shortest code", edit: func(d *DocumentType) { d.Code = "A1" }},
		{name: "broker supplies", edit: func(d *DocumentType) { d.SuppliedBy = "broker" }},
		{name: "charterer supplies", edit: func(d *DocumentType) { d.SuppliedBy = "charterer" }},
		{name: "seller supplies", edit: func(d *DocumentType) { d.SuppliedBy = "seller" }},
		{name: "buyer supplies", edit: func(d *DocumentType) { d.SuppliedBy = "buyer" }},
		{name: "provider supplies", edit: func(d *DocumentType) { d.SuppliedBy = "sts_provider" }},
		{name: "lower-case code with spaces", edit: func(d *DocumentType) { d.Code = "  pi_coe \t" }},

		{name: "code missing", edit: func(d *DocumentType) { d.Code = "  " }, fields: []string{"code"}},
		{name: "code one character", edit: func(d *DocumentType) { d.Code = "A" }, fields: []string{"code"}},
		{name: "code too long", edit: func(d *DocumentType) { d.Code = "A" + repeat("B", 32) }, fields: []string{"code"}},
		{name: "code starts with a digit", edit: func(d *DocumentType) { d.Code = "1SIRE" }, fields: []string{"code"}},
		{name: "code starts with _", edit: func(d *DocumentType) { d.Code = "_SIRE" }, fields: []string{"code"}},
		{name: "code with a hyphen", edit: func(d *DocumentType) { d.Code = "PI-COE" }, fields: []string{"code"}},
		{name: "code with an inner space", edit: func(d *DocumentType) { d.Code = "PI COE" }, fields: []string{"code"}},
		{name: "name missing", edit: func(d *DocumentType) { d.Name = " \n" }, fields: []string{"name"}},
		{name: "name too long", edit: func(d *DocumentType) { d.Name = repeat("x", 201) }, fields: []string{"name"}},
		{name: "description too long", edit: func(d *DocumentType) { d.Description = repeat("x", 2001) }, fields: []string{"description"}},
		{name: "category too long", edit: func(d *DocumentType) { d.Category = repeat("x", 101) }, fields: []string{"category"}},
		{name: "supplied_by missing", edit: func(d *DocumentType) { d.SuppliedBy = "" }, fields: []string{"supplied_by"}},
		{name: "viewer supplies nothing", edit: func(d *DocumentType) { d.SuppliedBy = "viewer" }, fields: []string{"supplied_by"}},
		{name: "supplied_by is case-sensitive", edit: func(d *DocumentType) { d.SuppliedBy = "Owner" }, fields: []string{"supplied_by"}},
		{name: "scope missing", edit: func(d *DocumentType) { d.Scope = "" }, fields: []string{"scope"}},
		{name: "scope unknown", edit: func(d *DocumentType) { d.Scope = "fleet" }, fields: []string{"scope"}},
		{name: "criticality missing", edit: func(d *DocumentType) { d.Criticality = "" }, fields: []string{"criticality"}},
		{name: "criticality as a letter", edit: func(d *DocumentType) { d.Criticality = "H" }, fields: []string{"criticality"}},
		{name: "expiry missing", edit: func(d *DocumentType) { d.Expiry = "" }, fields: []string{"expiry"}},
		{name: "expiry unknown", edit: func(d *DocumentType) { d.Expiry = "annual" }, fields: []string{"expiry"}},
		{name: "max age on a dated certificate", edit: func(d *DocumentType) { d.Expiry = ExpiryDate }, fields: []string{"max_age_days"}},
		{name: "max age on a per-operation document", edit: func(d *DocumentType) { d.Expiry, d.MaxAgeDays = ExpiryNone, 1 }, fields: []string{"max_age_days"}},
		{name: "negative max age", edit: func(d *DocumentType) { d.MaxAgeDays = -1 }, fields: []string{"max_age_days"}},
		{name: "max age over ten years", edit: func(d *DocumentType) { d.MaxAgeDays = 3651 }, fields: []string{"max_age_days"}},
		{name: "expiry time in GMT", edit: func(d *DocumentType) {
			d.Expiry, d.MaxAgeDays, d.ExpiryTime, d.ExpiryZone = ExpiryDate, 0, "12:00", "GMT"
		}},
		{name: "expiry time without a zone (UTC)", edit: func(d *DocumentType) { d.Expiry, d.MaxAgeDays, d.ExpiryTime = ExpiryDate, 0, "00:00" }},
		{name: "expiry time, last minute, named zone", edit: func(d *DocumentType) {
			d.Expiry, d.MaxAgeDays, d.ExpiryTime, d.ExpiryZone = ExpiryDate, 0, " 23:59 ", " Europe/London "
		}},
		{name: "cargo classes, every one", edit: func(d *DocumentType) { d.CargoClasses = CargoClasses() }},
		{name: "cargo classes repeated", edit: func(d *DocumentType) { d.CargoClasses = []CargoClass{CargoGas, CargoGas} }},
		{name: "cargo classes empty", edit: func(d *DocumentType) { d.CargoClasses = []CargoClass{} }},

		{name: "expiry time on evidence", edit: func(d *DocumentType) { d.ExpiryTime = "12:00" }, fields: []string{"expiry_time"}},
		{name: "expiry time and zone on a per-operation document", edit: func(d *DocumentType) {
			d.Expiry, d.MaxAgeDays, d.ExpiryTime, d.ExpiryZone = ExpiryNone, 0, "12:00", "GMT"
		}, fields: []string{"expiry_time", "expiry_zone"}},
		{name: "expiry zone without a time", edit: func(d *DocumentType) { d.Expiry, d.MaxAgeDays, d.ExpiryZone = ExpiryDate, 0, "GMT" }, fields: []string{"expiry_zone"}},
		{name: "expiry time 24:00", edit: func(d *DocumentType) { d.Expiry, d.MaxAgeDays, d.ExpiryTime = ExpiryDate, 0, "24:00" }, fields: []string{"expiry_time"}},
		{name: "expiry time 12:60", edit: func(d *DocumentType) { d.Expiry, d.MaxAgeDays, d.ExpiryTime = ExpiryDate, 0, "12:60" }, fields: []string{"expiry_time"}},
		{name: "expiry time without a leading zero", edit: func(d *DocumentType) { d.Expiry, d.MaxAgeDays, d.ExpiryTime = ExpiryDate, 0, "9:30" }, fields: []string{"expiry_time"}},
		{name: "expiry time with seconds", edit: func(d *DocumentType) { d.Expiry, d.MaxAgeDays, d.ExpiryTime = ExpiryDate, 0, "12:00:00" }, fields: []string{"expiry_time"}},
		{name: "expiry zone unknown", edit: func(d *DocumentType) {
			d.Expiry, d.MaxAgeDays, d.ExpiryTime, d.ExpiryZone = ExpiryDate, 0, "12:00", "Atlantis/Lost"
		}, fields: []string{"expiry_zone"}},
		{name: "expiry zone Local", edit: func(d *DocumentType) {
			d.Expiry, d.MaxAgeDays, d.ExpiryTime, d.ExpiryZone = ExpiryDate, 0, "12:00", "Local"
		}, fields: []string{"expiry_zone"}},
		{name: "expiry zone as a path", edit: func(d *DocumentType) {
			d.Expiry, d.MaxAgeDays, d.ExpiryTime, d.ExpiryZone = ExpiryDate, 0, "12:00", "../../etc/passwd"
		}, fields: []string{"expiry_zone"}},
		{name: "expiry zone too long", edit: func(d *DocumentType) {
			d.Expiry, d.MaxAgeDays, d.ExpiryTime, d.ExpiryZone = ExpiryDate, 0, "12:00", "Europe/"+repeat("x", 60)
		}, fields: []string{"expiry_zone"}},
		{name: "cargo class unknown", edit: func(d *DocumentType) { d.CargoClasses = []CargoClass{CargoOil, "lng"} }, fields: []string{"cargo_classes"}},
		{name: "cargo class empty string", edit: func(d *DocumentType) { d.CargoClasses = []CargoClass{""} }, fields: []string{"cargo_classes"}},
		{name: "everything missing", edit: func(d *DocumentType) { *d = DocumentType{} },
			fields: []string{"code", "name", "supplied_by", "scope", "criticality", "expiry"}},
		{name: "every field invalid", edit: func(d *DocumentType) {
			d.Code, d.Name, d.Description, d.Category = "x", repeat("x", 201), repeat("x", 2001), repeat("x", 101)
			d.SuppliedBy, d.Scope, d.Criticality, d.Expiry, d.MaxAgeDays = "admin", "ship", "critical", ExpiryNone, 30
		}, fields: []string{"code", "name", "description", "category", "supplied_by", "scope", "criticality", "max_age_days"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sireType()
			tt.edit(&d)
			assertFields(t, d.Normalize(), tt.fields)
		})
	}
}

func TestDocumentTypeNormalizeRewrites(t *testing.T) {
	d := DocumentType{Code: " pi_coe ", Name: "  P&I certificate of entry\t", Description: " P&I year. ",
		Category: " insurance ", SuppliedBy: " owner ", Scope: ScopeVessel, Criticality: CriticalityHigh,
		Expiry: ExpiryDate, RequiredByDefault: true, Active: true}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	want := DocumentType{Code: "PI_COE", Name: "P&I certificate of entry", Description: "P&I year.",
		Category: "insurance", SuppliedBy: "owner", Scope: ScopeVessel, Criticality: CriticalityHigh,
		Expiry: ExpiryDate, RequiredByDefault: true, Active: true, VisibleTo: authz.Roles(), AlsoSuppliedBy: []authz.Role{},
		CargoClasses: []CargoClass{}}
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("normalized = %+v, want %+v", d, want)
	}
}

func TestDocumentTypeNormalizeDefaults(t *testing.T) {
	d := sireType()
	d.Expiry, d.MaxAgeDays, d.ExpiryTime = ExpiryDate, 0, " 12:00"
	d.CargoClasses = []CargoClass{CargoGas, CargoOil, CargoGas}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	if d.ExpiryTime != "12:00" || d.ExpiryZone != "UTC" {
		t.Errorf("expiry time %q zone %q, want 12:00 UTC", d.ExpiryTime, d.ExpiryZone)
	}
	if !reflect.DeepEqual(d.CargoClasses, []CargoClass{CargoGas, CargoOil}) {
		t.Errorf("cargo classes %v, want [gas oil]", d.CargoClasses)
	}
}

func TestDocumentTypeNormalizeMessages(t *testing.T) {
	d := DocumentType{Code: "pi-coe", Expiry: ExpiryDate, MaxAgeDays: 5}
	err := d.Normalize()
	for _, f := range []string{"code", "name", "supplied_by", "scope", "criticality", "max_age_days"} {
		if messageOf(err, f) == "" {
			t.Errorf("no message for %q in %v", f, err)
		}
	}
	if got, want := messageOf(err, "max_age_days"), "applies only to point_in_time documents"; got != want {
		t.Errorf("max_age_days message = %q, want %q", got, want)
	}
}

// stsCatalogue is the catalogue table of docs/domain.md: code, supplied by, criticality.
var stsCatalogue = []struct {
	code, by string
	crit     string // H or M: high or medium in the table
}{
	{"Q88", "owner", "H"},
	{"SIRE", "owner", "H"},
	{"VETTING", "charterer", "H"},
	{"CLASS", "owner", "H"},
	{"IOPP", "owner", "H"},
	{"ISM_DOC", "owner", "H"},
	{"ISM_SMC", "owner", "H"},
	{"ISSC", "owner", "M"},
	{"PI_COE", "owner", "H"},
	{"CLC", "owner", "H"},
	{"BUNKER", "owner", "M"},
	{"HM", "owner", "M"},
	{"STS_PLAN", "owner", "H"},
	{"MOORING", "owner", "H"},
	{"FENDER", "sts_provider", "H"},
	{"HOSE", "sts_provider", "H"},
	{"POAC", "sts_provider", "M"},
	{"JPO", "sts_provider", "H"},
	{"RISK", "sts_provider", "H"},
	{"COASTAL", "owner", "M"}, // H in the domain table: the product puts the coastal conditions in the commencement gate
	{"MSDS", "seller", "M"},
	{"CREW", "owner", "M"},
	{"SANCTIONS", "charterer", "H"},
	{"AIS", "charterer", "H"},
	{"PRICE_CAP", "seller", "M"},
	{"COF_IGC", "owner", "H"},
	{"GAS_COMPAT", "sts_provider", "H"},
	{"COF_IBC", "owner", "H"},
}

var roomScoped = map[string]bool{"FENDER": true, "HOSE": true, "POAC": true, "JPO": true, "RISK": true, "MSDS": true, "PRICE_CAP": true,
	"GAS_COMPAT": true}

// optionalSeed are the seed types not required by default: the price cap, where applicable.
// (The gas and chemical types are required: rooms take only their cargo class's.)
var optionalSeed = map[string]bool{"PRICE_CAP": true}

func TestDefaultCatalogue(t *testing.T) {
	cat := DefaultCatalogue()
	if len(cat) != 28 {
		t.Fatalf("DefaultCatalogue has %d entries, want 28", len(cat))
	}
	byCode := make(map[string]DocumentType, len(cat))
	for _, d := range cat {
		if _, dup := byCode[d.Code]; dup {
			t.Errorf("code %q appears twice", d.Code)
		}
		byCode[d.Code] = d
		n := d
		if err := n.Normalize(); err != nil {
			t.Errorf("%s does not pass Normalize: %v", d.Code, err)
		} else if !reflect.DeepEqual(n, d) {
			t.Errorf("%s changes when normalized: %+v → %+v", d.Code, d, n)
		}
		if !d.Active {
			t.Errorf("%s is not active", d.Code)
		}
		if d.Description == "" || d.Category == "" {
			t.Errorf("%s has no description or category", d.Code)
		}
		wantScope := ScopeVessel
		if roomScoped[d.Code] {
			wantScope = ScopeRoom
		}
		if d.Scope != wantScope {
			t.Errorf("%s scope = %q, want %q", d.Code, d.Scope, wantScope)
		}
		wantRequired := !optionalSeed[d.Code]
		if d.RequiredByDefault != wantRequired {
			t.Errorf("%s RequiredByDefault = %v, want %v", d.Code, d.RequiredByDefault, wantRequired)
		}
	}
	if len(byCode) != len(stsCatalogue) {
		t.Errorf("catalogue has %d distinct codes, docs/domain.md lists %d", len(byCode), len(stsCatalogue))
	}
	crit := map[string]Criticality{"H": CriticalityHigh, "M": CriticalityMedium}
	for _, row := range stsCatalogue {
		d, ok := byCode[row.code]
		if !ok {
			t.Errorf("docs/domain.md code %s is not in the catalogue", row.code)
			continue
		}
		if d.Criticality != crit[row.crit] {
			t.Errorf("%s criticality = %q, want %q (docs/domain.md: %s)", row.code, d.Criticality, crit[row.crit], row.crit)
		}
		if d.SuppliedBy != row.by {
			t.Errorf("%s supplied_by = %q, want %q", row.code, d.SuppliedBy, row.by)
		}
	}
}

// TestDefaultCatalogueValidity pins how each kind of evidence stops being valid: screenings
// are point-in-time with a finite age ("a screening never does not expire"), SIRE defaults to
// six months, and the insurance and statutory certificates carry an expiry date.
func TestDefaultCatalogueValidity(t *testing.T) {
	want := map[string]struct {
		exp    ExpiryKind
		maxAge int
	}{
		"SIRE": {ExpiryPointInTime, 180}, "VETTING": {ExpiryPointInTime, 0},
		"SANCTIONS": {ExpiryPointInTime, 7}, "AIS": {ExpiryPointInTime, 7},
		"CLASS": {ExpiryDate, 0}, "IOPP": {ExpiryDate, 0}, "ISM_DOC": {ExpiryDate, 0}, "ISM_SMC": {ExpiryDate, 0},
		"ISSC": {ExpiryDate, 0}, "PI_COE": {ExpiryDate, 0}, "CLC": {ExpiryDate, 0}, "BUNKER": {ExpiryDate, 0},
		"HM": {ExpiryDate, 0}, "MOORING": {ExpiryDate, 0}, "FENDER": {ExpiryDate, 0}, "HOSE": {ExpiryDate, 0},
		"Q88": {ExpiryNone, 0}, "STS_PLAN": {ExpiryNone, 0}, "POAC": {ExpiryNone, 0}, "JPO": {ExpiryNone, 0},
		"RISK": {ExpiryNone, 0}, "COASTAL": {ExpiryNone, 0}, "MSDS": {ExpiryNone, 0}, "CREW": {ExpiryNone, 0},
		"PRICE_CAP": {ExpiryNone, 0}, "COF_IGC": {ExpiryDate, 0}, "GAS_COMPAT": {ExpiryNone, 0}, "COF_IBC": {ExpiryDate, 0},
	}
	cat := DefaultCatalogue()
	if len(cat) != len(want) {
		t.Fatalf("catalogue has %d entries, this test knows %d", len(cat), len(want))
	}
	for _, d := range cat {
		w, ok := want[d.Code]
		if !ok {
			t.Errorf("unexpected code %s", d.Code)
			continue
		}
		if d.Expiry != w.exp || d.MaxAgeDays != w.maxAge {
			t.Errorf("%s validity = %s/%d days, want %s/%d days", d.Code, d.Expiry, d.MaxAgeDays, w.exp, w.maxAge)
		}
	}
}

// TestDefaultCatalogueTimesAndClasses: the P&I year's types end at 12:00 GMT, every other
// type at the end of its day; the MARPOL Annex I types are for oil, the certificates of
// fitness and the gas compatibility study for their class, everything else for every class.
func TestDefaultCatalogueTimesAndClasses(t *testing.T) {
	noon := map[string]bool{"PI_COE": true, "CLC": true, "BUNKER": true}
	classes := map[string][]CargoClass{"IOPP": {CargoOil}, "CLC": {CargoOil}, "COF_IBC": {CargoChemical},
		"COF_IGC": {CargoGas}, "GAS_COMPAT": {CargoGas}}
	for _, d := range DefaultCatalogue() {
		wantTime, wantZone := "", ""
		if noon[d.Code] {
			wantTime, wantZone = "12:00", "GMT"
		}
		if d.ExpiryTime != wantTime || d.ExpiryZone != wantZone {
			t.Errorf("%s ends at %q %q, want %q %q", d.Code, d.ExpiryTime, d.ExpiryZone, wantTime, wantZone)
		}
		if want := append([]CargoClass{}, classes[d.Code]...); !reflect.DeepEqual(d.CargoClasses, want) {
			t.Errorf("%s cargo classes %v, want %v", d.Code, d.CargoClasses, want)
		}
	}
	if pi := seedType(t, "PI_COE"); pi.AppliesTo(CargoGas) != true {
		t.Error("the P&I entry does not apply to a gas operation")
	}
	if iopp := seedType(t, "IOPP"); iopp.AppliesTo(CargoGas) || !iopp.AppliesTo(CargoOil) {
		t.Error("IOPP applies to gas, or not to oil")
	}
}

func TestDefaultCatalogueIsAFreshCopy(t *testing.T) {
	a := DefaultCatalogue()
	a[0].Code = "CHANGED"
	if b := DefaultCatalogue(); b[0].Code == "CHANGED" {
		t.Fatal("DefaultCatalogue returns shared state")
	}
}

package clearance

import (
	"errors"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/authz"
)

func catalogueType(t *testing.T, code string) DocumentType {
	t.Helper()
	for _, d := range DefaultCatalogue() {
		if d.Code == code {
			return d
		}
	}
	t.Fatalf("no %s in the default catalogue", code)
	return DocumentType{}
}

// TestMaySupply is who may upload each kind of seed type: its supplier in its own name, a
// coordinator on the supplier's behalf only where the type allows it, nobody else.
func TestMaySupply(t *testing.T) {
	for _, tc := range []struct {
		code     string
		role     authz.Role
		onBehalf authz.Role // "" for the supplier itself
		refused  string     // part of the refusal, "" when allowed
	}{
		{"Q88", authz.Owner, "", ""},
		{"Q88", authz.Broker, "", "Q88 is supplied by the owner, not by a broker; the catalogue does not let a coordinator"},
		{"Q88", authz.Seller, "", "not by a seller"},
		{"FENDER", authz.STSProvider, "", ""},
		{"FENDER", authz.Buyer, "", "supplied by the STS provider, not by a buyer"},
		{"FENDER", authz.Charterer, "", "does not let a coordinator"},
		{"JPO", authz.Broker, authz.STSProvider, ""},
		{"MSDS", authz.Charterer, authz.Seller, ""},
		{"MSDS", authz.Buyer, "", "not by a buyer"},
		{"SANCTIONS", authz.Charterer, "", ""},
		{"SANCTIONS", authz.Broker, "", "does not let a coordinator"},
		{"SIRE", authz.Viewer, "", "not by a viewer"},
	} {
		got, err := MaySupply(catalogueType(t, tc.code), tc.role)
		switch {
		case tc.refused == "" && err != nil:
			t.Errorf("%s by %s refused: %v", tc.code, tc.role, err)
		case tc.refused != "" && (err == nil || !strings.Contains(err.Error(), tc.refused)):
			t.Errorf("%s by %s: %v, want a refusal saying %q", tc.code, tc.role, err, tc.refused)
		case got != tc.onBehalf:
			t.Errorf("%s by %s on behalf of %q, want %q", tc.code, tc.role, got, tc.onBehalf)
		}
	}
	also := catalogueType(t, "COASTAL")
	also.AlsoSuppliedBy = []authz.Role{authz.STSProvider}
	if got, err := MaySupply(also, authz.STSProvider); err != nil || got != "" {
		t.Errorf("a further supplier: %q, %v", got, err)
	}
}

// TestMaySee is the visibility of a confidential and an open type for every role, bound
// to the document's vessel or not.
func TestMaySee(t *testing.T) {
	sire, q88, fender := catalogueType(t, "SIRE"), catalogueType(t, "Q88"), catalogueType(t, "FENDER")
	for _, tc := range []struct {
		t     DocumentType
		role  authz.Role
		bound bool
		want  bool
	}{
		{sire, authz.Broker, false, true},
		{sire, authz.Charterer, false, true},
		{sire, authz.Owner, true, true},   // its own vessel's report
		{sire, authz.Owner, false, false}, // the other ship's
		{sire, authz.Seller, false, false},
		{sire, authz.Buyer, false, false},
		{sire, authz.STSProvider, false, false},
		{sire, authz.Viewer, false, false},
		{q88, authz.Owner, false, true}, // compatibility: each ship reads the other's Q88
		{q88, authz.Viewer, false, true},
		{fender, authz.Buyer, false, true},
	} {
		if got := MaySee(tc.t, tc.role, tc.bound); got != tc.want {
			t.Errorf("MaySee(%s, %s, bound=%v) = %v, want %v", tc.t.Code, tc.role, tc.bound, got, tc.want)
		}
	}
	sanctions := catalogueType(t, "SANCTIONS") // supplied by the charterer, which acts room-wide
	if !MaySee(sanctions, authz.Charterer, false) || MaySee(sanctions, authz.Owner, true) {
		t.Error("SANCTIONS: the charterer must see it, no owner")
	}
}

func TestMayReview(t *testing.T) {
	if err := MayReview("u1", "u1"); !errors.Is(err, ErrOwnUpload) {
		t.Errorf("the uploader reviewing: %v", err)
	}
	if err := MayReview("u1", "u2"); err != nil {
		t.Errorf("another reviewer: %v", err)
	}
	if err := MayReview("", "u2"); err != nil {
		t.Errorf("a document without versions: %v", err)
	}
}

func TestNormalizeSupplyAndVisibility(t *testing.T) {
	d := sireType()
	d.AlsoSuppliedBy = []authz.Role{authz.STSProvider, authz.STSProvider}
	d.VisibleTo = []authz.Role{authz.Charterer, authz.Charterer}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	if len(d.AlsoSuppliedBy) != 1 || len(d.VisibleTo) != 1 {
		t.Errorf("repeats kept: %v %v", d.AlsoSuppliedBy, d.VisibleTo)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*DocumentType)
		field string
	}{
		{"also supplied by its supplier", func(d *DocumentType) { d.AlsoSuppliedBy = []authz.Role{authz.Owner} }, "also_supplied_by"},
		{"also supplied by a viewer", func(d *DocumentType) { d.AlsoSuppliedBy = []authz.Role{authz.Viewer} }, "also_supplied_by"},
		{"visible to nobody who reviews", func(d *DocumentType) { d.VisibleTo = []authz.Role{authz.Owner} }, "visible_to"},
		{"visible to an unknown role", func(d *DocumentType) { d.VisibleTo = []authz.Role{authz.Broker, "captain"} }, "visible_to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := sireType()
			tc.edit(&d)
			assertFields(t, d.Normalize(), []string{tc.field})
		})
	}
	for _, d := range DefaultCatalogue() {
		confidential := len(d.VisibleTo) < len(authz.Roles())
		switch d.Code {
		case "SIRE", "VETTING", "SANCTIONS", "AIS":
			if !confidential {
				t.Errorf("%s is visible to every role", d.Code)
			}
		default:
			if confidential {
				t.Errorf("%s is confidential", d.Code)
			}
		}
		if d.OnBehalf && d.Scope == ScopeVessel {
			t.Errorf("%s: a vessel document uploaded on behalf by default", d.Code)
		}
	}
}

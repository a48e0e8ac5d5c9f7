package authz

import (
	"strings"
	"testing"
)

func TestNeedsBinding(t *testing.T) {
	for _, tc := range []struct {
		role   Role
		action Action
		want   bool
	}{
		{Owner, UploadDocument, true},
		{Owner, ManageVessels, true},
		{Owner, RecordNotice, true},
		{Owner, CheckChecklistItem, true},
		{Owner, SignChecklist, true},
		{Owner, SignOff, false}, // a sign-off is for the room
		{Owner, CreateSnapshot, false},
		{STSProvider, UploadDocument, true},
		{STSProvider, SignChecklist, false}, // the POAC works both ships' checklists
		{Broker, ManageVessels, false},
		{Charterer, UploadDocument, false},
		{Seller, UploadDocument, false},
	} {
		if got := NeedsBinding(tc.role, tc.action); got != tc.want {
			t.Errorf("NeedsBinding(%s, %s) = %v, want %v", tc.role, tc.action, got, tc.want)
		}
	}
	if got := VesselBoundRoles(); len(got) != 2 || got[0] != Owner || got[1] != STSProvider {
		t.Errorf("VesselBoundRoles() = %v", got)
	}
}

func TestMayActForVessel(t *testing.T) {
	if err := MayActForVessel(Owner, UploadDocument, true); err != nil {
		t.Errorf("a bound owner is refused: %v", err)
	}
	err := MayActForVessel(Owner, UploadDocument, false)
	if err == nil || !strings.Contains(err.Error(), "an owner acts only for the vessels") || !strings.Contains(err.Error(), "broker or charterer") {
		t.Errorf("an unbound owner: %v", err)
	}
	if err := MayActForVessel(Broker, ManageVessels, false); err != nil {
		t.Errorf("a broker needs no binding: %v", err)
	}
}

// TestMayGrant is the grant ceiling as one table: may the row's role give the column's?
func TestMayGrant(t *testing.T) {
	const (
		y = true
		n = false
	)
	//                        broker charterer owner seller buyer sts_provider viewer
	want := map[Role][7]bool{
		Broker:      {y, y, y, y, y, y, y},
		Charterer:   {n, y, y, y, y, y, y},
		Owner:       {n, n, y, y, y, y, y},
		Seller:      {n, n, n, y, y, n, y}, // an STS provider may create snapshots
		Buyer:       {n, n, n, y, y, n, y},
		STSProvider: {n, n, n, y, y, y, y},
		Viewer:      {n, n, n, y, y, n, y},
	}
	for granter, row := range want {
		for i, target := range Roles() {
			if got := MayGrant(granter, target) == nil; got != row[i] {
				t.Errorf("MayGrant(%s, %s) allowed = %v, want %v", granter, target, got, row[i])
			}
		}
	}
	err := MayGrant(Charterer, Broker)
	if err == nil || !strings.Contains(err.Error(), "delete room") || !strings.Contains(err.Error(), "a charterer may not") {
		t.Errorf("MayGrant(charterer, broker) = %v, want the powers beyond it named", err)
	}
}

func TestPowersLeaveOutTestimony(t *testing.T) {
	for _, a := range Powers(Owner) {
		switch a {
		case UploadDocument, SignOff, SignChecklist, CheckChecklistItem, RecordNotice, AskQuestion:
			t.Errorf("Powers(owner) holds the testimony action %s", a)
		}
	}
	if len(Powers(Viewer)) != 2 {
		t.Errorf("Powers(viewer) = %v", Powers(Viewer))
	}
}

func TestWithArticle(t *testing.T) {
	for r, want := range map[Role]string{Owner: "an owner", STSProvider: "an STS provider", Broker: "a broker", Seller: "a seller"} {
		if got := r.WithArticle(); got != want {
			t.Errorf("%s.WithArticle() = %q, want %q", r, got, want)
		}
	}
}

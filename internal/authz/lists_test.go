package authz

import (
	"strings"
	"testing"
)

// TestEveryRoleHasLabel fails when a role is added to the list without its words.
func TestEveryRoleHasLabel(t *testing.T) {
	for _, r := range Roles() {
		if roleLabels[r] == "" {
			t.Errorf("role %s has no label in roleLabels", r)
		}
	}
	if len(roleLabels) != len(Roles()) {
		t.Errorf("roleLabels has %d entries for %d roles: a label without a role", len(roleLabels), len(Roles()))
	}
	if got := STSProvider.Label(); got != "STS provider" {
		t.Errorf("STSProvider.Label() = %q", got)
	}
}

// TestParseRoleMessageNamesEveryRole: the refusal lists the roles from the one list.
func TestParseRoleMessageNamesEveryRole(t *testing.T) {
	_, err := ParseRole("captain")
	if err == nil {
		t.Fatal("ParseRole accepted an unknown role")
	}
	const want = "must be one of broker, charterer, owner, seller, buyer, sts_provider, viewer"
	if err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	for _, r := range Roles() {
		if got, err := ParseRole(string(r)); err != nil || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, err)
		}
		if !strings.Contains(errRole.Error(), string(r)) {
			t.Errorf("message does not name %s", r)
		}
	}
	if _, err := ParsePlatformRole("root"); err == nil || err.Error() != "must be user or admin" {
		t.Errorf("ParsePlatformRole(root) error %v", err)
	}
}

// TestDerivedRoleLists: the supplier and creator roles follow the matrix.
func TestDerivedRoleLists(t *testing.T) {
	if got := CreatorRoles(); len(got) != 2 || got[0] != Broker || got[1] != Charterer {
		t.Errorf("CreatorRoles() = %v", got)
	}
	for _, r := range SupplierRoles() {
		if r == Viewer {
			t.Error("a viewer supplies documents")
		}
	}
	if len(SupplierRoles()) != len(Roles())-1 {
		t.Errorf("SupplierRoles() = %v", SupplierRoles())
	}
}

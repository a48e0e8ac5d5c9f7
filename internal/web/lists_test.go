package web_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/report"
)

func strs[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

// offered lists the values a page's form offers for field name: radio values, or the
// options of the select of that name, in page order.
func offered(body, name string) []string {
	var out []string
	radio := regexp.MustCompile(`<input type="radio" name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`)
	for _, m := range radio.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	sel := regexp.MustCompile(`(?s)<select id="[^"]*" name="` + regexp.QuoteMeta(name) + `"[^>]*>(.*?)</select>`)
	if m := sel.FindStringSubmatch(body); m != nil {
		for _, o := range regexp.MustCompile(`<option value="([^"]*)"`).FindAllStringSubmatch(m[1], -1) {
			out = append(out, o[1])
		}
	}
	return out
}

// TestFormsOfferTheDomainLists fails when a form's choices and the domain list disagree: a
// value added to the list and not offered, or a form that spells out a stale list.
func TestFormsOfferTheDomainLists(t *testing.T) {
	env := apptest.New(t, "sqlite")
	f := newFixture(t, env)
	broker := signedIn(t, env, brokerEmail)
	admin := signedIn(t, env, apptest.AdminEmail)
	parties, snapshots := broker.get(f.page("parties")), broker.get(f.page("snapshots"))
	catalogue := admin.get("/admin/catalogue")
	cases := []struct {
		what, body, field string
		want              []string
	}{
		{"new room: creator role", broker.get("/rooms/new").Body, "role", strs(authz.CreatorRoles())},
		{"room: party role", parties.Body, "role", strs(authz.Roles())},
		{"room: snapshot format", snapshots.Body, "snapshot_type", strs(report.Formats())},
		{"new vessel: role", broker.get(f.roomPath("/vessels/new")).Body, "role", strs(clearance.VesselRoles())},
		{"users: platform role", admin.get("/admin/users").Body, "role", authz.PlatformRoles()},
		{"catalogue: scope", catalogue.Body, "scope", strs(clearance.DocScopes())},
		{"catalogue: supplied by", catalogue.Body, "supplied_by", strs(authz.SupplierRoles())},
		{"catalogue: criticality", catalogue.Body, "criticality", strs(clearance.Criticalities())},
		{"catalogue: expiry", catalogue.Body, "expiry", strs(clearance.ExpiryKinds())},
	}
	for _, c := range cases {
		// A page may hold several forms offering the list (the users page: one per user):
		// each offers the whole list, in order.
		got := offered(c.body, c.field)
		ok := len(got) > 0 && len(got)%len(c.want) == 0
		for i := 0; ok && i < len(got); i += len(c.want) {
			ok = slices.Equal(got[i:i+len(c.want)], c.want)
		}
		if !ok {
			t.Errorf("%s offers %v, want %v", c.what, got, c.want)
		}
	}
}

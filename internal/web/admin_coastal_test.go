package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestAdminCoastalPage: admins read and change the coastal-state table; unverified
// entries are marked; anyone else gets what the other platform pages give them.
func TestAdminCoastalPage(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser(brokerEmail)
		user := signedIn(t, env, brokerEmail)
		for _, path := range []string{"/admin/coastal", "/admin/coastal/MT-HURDS"} {
			res := user.get(path)
			expectStatus(t, "non-admin "+path, res, http.StatusForbidden)
			expectContains(t, "non-admin "+path, res, "Not allowed")
		}
		expectStatus(t, "non-admin edits an entry", user.post("/admin/coastal/MT-HURDS", url.Values{"name": {"Mine"},
			"regime": {"none"}, "lead_hours": {"0"}, "renotice_hours": {"0"}, "source": {"me"}}), http.StatusForbidden)
		expectStatus(t, "non-admin adds an entry", user.post("/admin/coastal", url.Values{"code": {"XX"}, "name": {"X"},
			"regime": {"none"}, "lead_hours": {"0"}, "renotice_hours": {"0"}, "source": {"me"}}), http.StatusForbidden)

		admin := signedIn(t, env, apptest.AdminEmail)
		expectContains(t, "admin tabs", admin.get("/admin/users"), `href="/admin/coastal"`)
		list := admin.get("/admin/coastal")
		expectStatus(t, "coastal table", list, http.StatusOK)
		expectContains(t, "coastal table", list, `data-code="MT-HURDS"`, "Malta — Hurd&#39;s Bank", `data-code="MY-LINGGI"`,
			"Malaysia — Tanjung Linggi", `data-testid="area-regime">permission<`, `data-testid="area-verified"><span class="tag tag-warn">⚠&#xFE0E; unverified</span>`,
			"✓ verified", "Marine Department Malaysia", `data-testid="area-form"`, `aria-current="page">Coastal states`)

		// Edit: the form shows the entry; a bad value is named; saving changes it.
		edit := admin.get("/admin/coastal/MT-HURDS")
		expectContains(t, "edit entry", edit, `value="Malta — Hurd&#39;s Bank"`, `name="lead_hours" type="number" min="0" max="720" inputmode="numeric" value="48"`,
			`name="cargo_classes" value="oil" checked`, `<option value="notice" selected>`)
		expectMissing(t, "edit entry", edit, `name="verified" checked`, `name="code"`)
		bad := admin.post("/admin/coastal/MT-HURDS", url.Values{"name": {""}, "regime": {"notice"}, "lead_hours": {"lots"},
			"renotice_hours": {""}, "source": {"MARPOL"}})
		expectStatus(t, "bad entry", bad, http.StatusUnprocessableEntity)
		expectContains(t, "bad entry", bad, `id="area-lead-error"`, "must be a whole number", `id="area-renotice-error"`, "is required",
			`value="lots"`)
		bad = admin.post("/admin/coastal/MT-HURDS", url.Values{"name": {""}, "regime": {"notice"}, "lead_hours": {"48"},
			"renotice_hours": {"6"}, "source": {"MARPOL"}})
		expectStatus(t, "nameless entry", bad, http.StatusUnprocessableEntity)
		expectContains(t, "nameless entry", bad, `id="area-name-error"`, `aria-describedby="area-name-error"`)
		expectRedirect(t, "verify an entry", admin.post("/admin/coastal/MT-HURDS", url.Values{"name": {"Malta — Hurd's Bank"},
			"country": {"Malta"}, "regime": {"notice"}, "lead_hours": {"72"}, "renotice_hours": {"6"}, "cargo_classes": {"oil", "chemical"},
			"source": {"Transport Malta, checked by the admin"}, "verified": {"on"}, "active": {"on"}}), "/admin/coastal")
		after := admin.get("/admin/coastal/MT-HURDS")
		expectContains(t, "verified entry", after, `name="verified" checked`, `value="72"`, `name="cargo_classes" value="chemical" checked`,
			"Transport Malta, checked by the admin")
		expectStatus(t, "unknown entry", admin.get("/admin/coastal/NOPE"), http.StatusNotFound)

		// Add one; a taken code is refused with the reason.
		expectRedirect(t, "add an entry", admin.post("/admin/coastal", url.Values{"code": {"GR-KALAMATA"}, "name": {"Greece — Kalamata"},
			"regime": {"notice"}, "lead_hours": {"48"}, "renotice_hours": {"6"}, "source": {"Hellenic Coast Guard"}, "active": {"on"}}), "/admin/coastal")
		expectContains(t, "table after add", admin.get("/admin/coastal"), `data-code="GR-KALAMATA"`, "Greece — Kalamata")
		taken := admin.post("/admin/coastal", url.Values{"code": {"GR-KALAMATA"}, "name": {"Again"}, "regime": {"notice"},
			"lead_hours": {"48"}, "renotice_hours": {"6"}, "source": {"x"}})
		expectStatus(t, "taken code", taken, http.StatusConflict)
		expectContains(t, "taken code", taken, "GR-KALAMATA exists", `value="Again"`)
		// A room may name the new entry.
		expectContains(t, "new room form", user.get("/rooms/new"), `value="GR-KALAMATA"`)
	})
}

package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
)

// TestAdminCatalogueTimesAndClasses: the catalogue page shows when a dated type's validity
// ends and which cargo classes a type is for; the form sets both and names a bad one.
func TestAdminCatalogueTimesAndClasses(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		admin := signedIn(t, env, apptest.AdminEmail)
		cat := admin.get("/admin/catalogue")
		expectContains(t, "catalogue", cat, "expiry date, ends 12:00 GMT", `<td data-testid="type-cargo">oil</td>`,
			`<td data-testid="type-cargo">gas</td>`, `<td data-testid="type-cargo">every class</td>`, "COF_IGC", "GAS_COMPAT", "COF_IBC",
			`name="expiry_time"`, `name="expiry_zone"`, `name="cargo_classes" value="chemical"`)
		edit := admin.get("/admin/catalogue/PI_COE")
		expectContains(t, "edit PI_COE", edit, `name="expiry_time" maxlength="5" placeholder="e.g. 12:00" value="12:00"`,
			`placeholder="UTC" value="GMT"`)
		iopp := admin.get("/admin/catalogue/IOPP")
		expectContains(t, "edit IOPP", iopp, `name="cargo_classes" value="oil" checked`)
		expectMissing(t, "edit IOPP", iopp, `name="cargo_classes" value="gas" checked`)

		form := func(edit url.Values) url.Values {
			v := url.Values{"code": {"LNG_MOOR"}, "name": {"LNG mooring certificate"}, "scope": {"vessel"}, "supplied_by": {"owner"},
				"criticality": {"high"}, "expiry": {"expires"}, "max_age_days": {"0"}, "active": {"on"},
				"visible_to": {"broker", "charterer", "owner", "seller", "buyer", "sts_provider", "viewer"}}
			for k, x := range edit {
				v[k] = x
			}
			return v
		}
		bad := admin.post("/admin/catalogue", form(url.Values{"expiry_time": {"noon"}, "expiry_zone": {"Mars/Olympus"}, "cargo_classes": {"lng"}}))
		expectStatus(t, "bad time, zone and class", bad, http.StatusUnprocessableEntity)
		expectContains(t, "bad time, zone and class", bad, `id="type-time-error"`, `id="type-zone-error"`, `id="type-cargo-error"`, `value="noon"`)
		expectRedirect(t, "create a gas type ending 06:00 Europe/London", admin.post("/admin/catalogue",
			form(url.Values{"expiry_time": {"06:00"}, "expiry_zone": {"Europe/London"}, "cargo_classes": {"gas"}})), "/admin/catalogue")
		expectContains(t, "catalogue after create", admin.get("/admin/catalogue"), "expiry date, ends 06:00 Europe/London")
		expectContains(t, "edit the new type", admin.get("/admin/catalogue/LNG_MOOR"), `name="cargo_classes" value="gas" checked`)

		// A P&I certificate shows the time its validity ends; an ISSC is valid to the end of its day.
		f := newFixture(t, env)
		owner := signedIn(t, env, ownerEmail)
		day := env.Now().AddDate(0, 0, 60)
		for _, code := range []string{"PI_COE", "ISSC"} {
			id := f.docID(t, code, true)
			expectRedirect(t, "upload "+code, owner.upload(f.roomPath("/documents/"+id+"/upload"), []string{"expires_on", day.Format(time.DateOnly)},
				code+".pdf", apptest.PDF(code)), f.roomPath("/documents/"+id))
		}
		expectContains(t, "P&I upload form", owner.get(f.roomPath("/documents/"+f.docID(t, "PI_COE", true))),
			"the date its validity ends, at 12:00 GMT")
		date := day.UTC().Format("2 Jan 2006")
		expectContains(t, "P&I page", owner.get(f.roomPath("/documents/"+f.docID(t, "PI_COE", true))),
			`<span data-testid="doc-valid-until">`+date+` 12:00 GMT</span>`, "expires "+date+" 12:00 GMT")
		expectContains(t, "ISSC page", owner.get(f.roomPath("/documents/"+f.docID(t, "ISSC", true))),
			`<span data-testid="doc-valid-until">`+date+` (end of day)</span>`)
		expectContains(t, "room page", owner.get(f.page("documents")), `<td data-label="Valid until">`+date+` 12:00 GMT</td>`)
	})
}

package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

func TestAdminPages(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser(brokerEmail)
		user := signedIn(t, env, brokerEmail)
		for _, path := range []string{"/admin/users", "/admin/catalogue", "/admin/catalogue/Q88", "/admin/checklists"} {
			res := user.get(path)
			expectStatus(t, "non-admin "+path, res, http.StatusForbidden)
			expectContains(t, "non-admin "+path, res, "Not allowed")
		}
		expectStatus(t, "non-admin creates a user", user.post("/admin/users",
			url.Values{"email": {"x@y.test"}, "password": {"long enough password"}}), http.StatusForbidden)
		// A malformed admin form from a non-admin is refused as its page is: never validated
		// and rendered back.
		for _, path := range []string{"/admin/users", "/admin/catalogue", "/admin/catalogue/Q88", "/admin/coastal",
			"/admin/coastal/MT-HURDS", "/admin/checklists", "/admin/checklists/x"} {
			expectStatus(t, "non-admin posts a malformed "+path, user.post(path, url.Values{"code": {"!"}, "lead_hours": {"x"}}), http.StatusForbidden)
		}
		expectMissing(t, "non-admin's navigation", user.get("/"), `href="/admin/users"`)

		admin := signedIn(t, env, apptest.AdminEmail)
		expectContains(t, "admin navigation", admin.get("/"), `href="/admin/users"`)
		users := admin.get("/admin/users")
		expectStatus(t, "users", users, http.StatusOK)
		expectContains(t, "users", users, brokerEmail, `data-testid="user-form"`)

		short := admin.post("/admin/users", url.Values{"email": {"new@user.test"}, "password": {"short"}, "name": {"New"}})
		expectStatus(t, "short password", short, http.StatusUnprocessableEntity)
		expectContains(t, "short password", short, `id="user-password-error"`, `value="new@user.test"`)
		expectMissing(t, "short password", short, `value="short"`)
		expectRedirect(t, "create user", admin.post("/admin/users", url.Values{"email": {"new@user.test"},
			"password": {apptest.Password}, "name": {"New User"}, "role": {"user"}}), "/admin/users")
		expectContains(t, "users after create", admin.get("/admin/users"), "new@user.test", "New User")
		// The new account signs in.
		signedIn(t, env, "new@user.test")

		cat := admin.get("/admin/catalogue")
		expectContains(t, "catalogue", cat, "Q88 tanker questionnaire", "SANCTIONS", `data-testid="type-form"`)
		bad := admin.post("/admin/catalogue", url.Values{"code": {"x"}, "name": {""}, "scope": {"vessel"}, "supplied_by": {"owner"},
			"criticality": {"high"}, "expiry": {"none"}})
		expectStatus(t, "bad type", bad, http.StatusUnprocessableEntity)
		expectContains(t, "bad type", bad, `id="type-code-error"`, `id="type-name-error"`)
		// Who else supplies it, on whose behalf, and who sees it: the form's checkboxes.
		expectContains(t, "catalogue", cat, "Confidential: broker, charterer", `name="also_supplied_by"`, `name="on_behalf"`,
			`name="visible_to" value="viewer" checked`)
		expectRedirect(t, "create type", admin.post("/admin/catalogue", url.Values{"code": {"BUNKER_QC"}, "name": {"Bunker quality certificate"},
			"scope": {"vessel"}, "supplied_by": {"owner"}, "criticality": {"medium"}, "expiry": {"none"}, "max_age_days": {"0"},
			"active": {"on"}, "also_supplied_by": {"sts_provider"}, "on_behalf": {"on"}, "visible_to": {"broker", "charterer"}}), "/admin/catalogue")
		expectContains(t, "catalogue after create", admin.get("/admin/catalogue"), "owner, STS provider",
			"or the broker or charterer on its behalf")
		edit := admin.get("/admin/catalogue/BUNKER_QC")
		expectContains(t, "edit type", edit, `value="Bunker quality certificate"`, `name="also_supplied_by" value="sts_provider" checked`,
			`name="on_behalf" checked`, `name="visible_to" value="charterer" checked`)
		expectMissing(t, "edit type", edit, `name="visible_to" value="viewer" checked`)
		nobody := admin.post("/admin/catalogue/BUNKER_QC", url.Values{"name": {"Bunker quality cert."},
			"supplied_by": {"owner"}, "criticality": {"low"}, "expiry": {"none"}, "max_age_days": {"0"}})
		expectStatus(t, "a type nobody reviews", nobody, http.StatusUnprocessableEntity)
		expectContains(t, "a type nobody reviews", nobody, `id="type-visible-error"`)
		expectRedirect(t, "update type", admin.post("/admin/catalogue/BUNKER_QC", url.Values{"name": {"Bunker quality cert."},
			"supplied_by": {"owner"}, "criticality": {"low"}, "expiry": {"none"}, "max_age_days": {"0"},
			"visible_to": {"broker", "charterer", "owner", "seller", "buyer", "sts_provider", "viewer"}}), "/admin/catalogue")
		after := admin.get("/admin/catalogue")
		expectContains(t, "catalogue after update", after, "Bunker quality cert.", "inactive")
		expectMissing(t, "catalogue after update", after, "owner, STS provider") // also_supplied_by cleared
		expectStatus(t, "unknown type", admin.get("/admin/catalogue/NOPE"), http.StatusNotFound)

		tpl := admin.get("/admin/checklists")
		expectContains(t, "templates", tpl, "Pre-fixture information", `data-testid="template-form"`)
		expectRedirect(t, "add template item", admin.post("/admin/checklists", url.Values{"phase": {"2"}, "text": {"Weather forecast exchanged"}}),
			"/admin/checklists#phase-2")
		expectContains(t, "templates after add", admin.get("/admin/checklists"), "Weather forecast exchanged")
		expectStatus(t, "empty template item", admin.post("/admin/checklists", url.Values{"phase": {"2"}, "text": {""}}), http.StatusUnprocessableEntity)
	})
}

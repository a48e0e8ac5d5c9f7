package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestCatalogueExpiryTimeAndCargoClasses: the catalogue publishes when a dated type's
// validity ends and which cargo classes a type is for; admins set both, bad values are a
// 422 naming the field; a P&I certificate's validity ends at 12:00 GMT on its expiry date.
func TestCatalogueExpiryTimeAndCargoClasses(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		root := env.Login(apptest.AdminEmail)
		var cat struct {
			Items []map[string]any `json:"items"`
		}
		env.Do("GET", "/api/v1/document-types", root, nil).JSON(&cat)
		byCode := map[string]map[string]any{}
		for _, ty := range cat.Items {
			byCode[ty["code"].(string)] = ty
		}
		for code, want := range map[string]string{"PI_COE": "12:00 GMT", "CLC": "12:00 GMT", "BUNKER": "12:00 GMT", "ISSC": " ", "IOPP": " "} {
			if got := fmt.Sprint(byCode[code]["expiry_time"], " ", byCode[code]["expiry_zone"]); got != want {
				t.Errorf("%s ends at %q, want %q", code, got, want)
			}
		}
		for code, want := range map[string]string{"IOPP": "[oil]", "CLC": "[oil]", "PI_COE": "[]", "COF_IGC": "[gas]", "GAS_COMPAT": "[gas]", "COF_IBC": "[chemical]"} {
			if got := fmt.Sprint(byCode[code]["cargo_classes"]); got != want {
				t.Errorf("%s cargo classes %s, want %s", code, got, want)
			}
		}

		base := func(edit map[string]any) map[string]any {
			ty := map[string]any{"code": "LNG_TEST", "name": "LNG test certificate", "supplied_by": "owner", "scope": "vessel",
				"criticality": "high", "expiry": "expires"}
			for k, v := range edit {
				ty[k] = v
			}
			return ty
		}
		for _, tt := range []struct {
			what  string
			edit  map[string]any
			field string
		}{
			{"a time on an undated type", map[string]any{"expiry": "none", "expiry_time": "12:00"}, "expiry_time"},
			{"a time out of range", map[string]any{"expiry_time": "25:00"}, "expiry_time"},
			{"an unknown zone", map[string]any{"expiry_time": "12:00", "expiry_zone": "Mars/Olympus"}, "expiry_zone"},
			{"a zone without a time", map[string]any{"expiry_zone": "GMT"}, "expiry_zone"},
		} {
			assertProblem(t, tt.what, env.Do("POST", "/api/v1/document-types", root, base(tt.edit)), 422, tt.field)
		}
		res := env.Do("POST", "/api/v1/document-types", root, base(map[string]any{"cargo_classes": []string{"oil", "lng"}}))
		if res.Status != 422 || !strings.Contains(string(res.Body), "cargo_classes") {
			t.Errorf("an unknown cargo class: %d %s", res.Status, res.Body)
		}

		created := must(t, env.Do("POST", "/api/v1/document-types", root, base(map[string]any{"expiry_time": "18:00",
			"expiry_zone": "Europe/London", "cargo_classes": []string{"gas", "gas"}})), 201)
		if created["expiry_time"] != "18:00" || created["expiry_zone"] != "Europe/London" || fmt.Sprint(created["cargo_classes"]) != "[gas]" {
			t.Errorf("created: %v", created)
		}
		noZone := must(t, env.Do("POST", "/api/v1/document-types", root, base(map[string]any{"code": "LNG_UTC", "expiry_time": "06:00"})), 201)
		if noZone["expiry_zone"] != "UTC" {
			t.Errorf("a time without a zone: zone %v, want UTC", noZone["expiry_zone"])
		}

		patch := func(body map[string]any) *apptest.Response {
			return env.Do("PATCH", "/api/v1/document-types/LNG_TEST", root, body)
		}
		assertProblem(t, "clear the time, keep the zone", patch(map[string]any{"expiry_time": ""}), 422, "expiry_zone")
		assertProblem(t, "undated with a time", patch(map[string]any{"expiry": "none"}), 422, "expiry_time")
		changed := must(t, patch(map[string]any{"expiry_time": "", "expiry_zone": "", "cargo_classes": []string{}}), 200)
		if changed["expiry_time"] != "" || changed["expiry_zone"] != "" || fmt.Sprint(changed["cargo_classes"]) != "[]" {
			t.Errorf("after clearing: %v", changed)
		}
		changed = must(t, patch(map[string]any{"cargo_classes": []string{"chemical", "gas"}}), 200)
		if fmt.Sprint(changed["cargo_classes"]) != "[chemical gas]" {
			t.Errorf("cargo classes after the change: %v", changed["cargo_classes"])
		}

		// A P&I certificate ends at noon GMT on its expiry date.
		f := newDocFixture(t, env)
		expires := isoDate(env.Now().AddDate(0, 0, 30))
		must(t, env.Upload(f.room, f.owner, []string{"type", "PI_COE", "vessel_id", f.vessel, "expires_on", expires}, "pi.pdf", apptest.PDF("P&I")), 201)
		d := docSlot(t, env, f.broker, f.room, "PI_COE", f.vessel)
		if d["expires_on"] != expires || d["valid_until"] != expires+"T12:00:00Z" {
			t.Errorf("P&I expires_on %v valid_until %v, want %s and %sT12:00:00Z", d["expires_on"], d["valid_until"], expires, expires)
		}
		must(t, env.Upload(f.room, f.owner, []string{"type", "ISSC", "vessel_id", f.vessel, "expires_on", expires}, "issc.pdf", apptest.PDF("ISSC")), 201)
		d = docSlot(t, env, f.broker, f.room, "ISSC", f.vessel)
		if want := isoDate(env.Now().AddDate(0, 0, 31)) + "T00:00:00Z"; d["valid_until"] != want {
			t.Errorf("ISSC valid_until %v, want %s", d["valid_until"], want)
		}
	})
}

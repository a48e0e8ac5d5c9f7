package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestRoomFormOperation: the room form sets the cargo class, the coastal state and the
// operation's length, the room page shows them, and a length the rules refuse comes back
// with the field named.
func TestRoomFormOperation(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser(brokerEmail)
		b := signedIn(t, env, brokerEmail)
		form := b.get("/rooms/new")
		expectContains(t, "new room form", form, `name="cargo_class"`, `<option value="oil" selected>`, `value="gas"`,
			`name="coastal_area"`, `<option value="">— not named yet —</option>`, `value="MY-LINGGI"`, "(unverified rule)",
			`name="duration_hours"`, `value="48"`, `name="sts_end"`, "decides which documents and rules apply")

		bad := b.post("/rooms", url.Values{"title": {"LNG Linggi"}, "location": {"Linggi"}, "sts_eta": {"2030-03-14T08:00"},
			"duration_hours": {"0"}, "cargo_class": {"gas"}, "coastal_area": {"MY-LINGGI"}})
		expectStatus(t, "zero duration", bad, http.StatusUnprocessableEntity)
		expectContains(t, "zero duration", bad, `id="room-duration-error"`, `aria-describedby="room-duration-error"`, "must be between 1 and 1440 hours",
			`<option value="gas" selected>`, `<option value="MY-LINGGI" selected>`)
		junk := b.post("/rooms", url.Values{"title": {""}, "location": {"Linggi"}, "sts_eta": {"2030-03-14T08:00"}, "duration_hours": {"four days"},
			"sts_end": {"2030-03-13T08:00"}, "cargo_class": {"lava"}, "coastal_area": {"ATLANTIS"}})
		expectStatus(t, "bad fields", junk, http.StatusUnprocessableEntity)
		expectContains(t, "bad fields", junk, `id="room-duration-error"`, "must be a number", `id="room-end-error"`,
			`id="room-class-error"`, `id="room-title-input-error"`, `value="four days"`)
		unknown := b.post("/rooms", url.Values{"title": {"Nowhere"}, "location": {"Nowhere"}, "sts_eta": {"2030-03-14T08:00"},
			"coastal_area": {"ATLANTIS"}})
		expectStatus(t, "unknown area", unknown, http.StatusUnprocessableEntity)
		expectContains(t, "unknown area", unknown, `id="room-area-error"`, "is not a coastal state or area of the table")

		res := b.post("/rooms", url.Values{"title": {"LNG Linggi"}, "location": {"Tanjung Linggi"}, "sts_eta": {"2030-03-14T08:00"},
			"duration_hours": {"96"}, "cargo_class": {"gas"}, "coastal_area": {"MY-LINGGI"}, "role": {"broker"}})
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/rooms/") {
			t.Fatalf("create room: %d %s", res.Status, res.Body)
		}
		roomPath := res.Header.Get("Location")
		room := b.get(roomPath)
		expectContains(t, "gas room", room, "Liquefied gas (LNG, LPG)", "14 Mar 2030 08:00 UTC → 18 Mar 2030 08:00 UTC", "(96 h)",
			"Malaysia — Tanjung Linggi", "written permission before the operation")
		expectMissing(t, "gas room", room, "No coastal state named")

		// Editing keeps the length when the ETA moves; an expected end, when given, decides.
		edit := b.get(roomPath + "/edit")
		expectContains(t, "edit form", edit, `name="duration_hours" type="number" min="1" max="1440" step="any" inputmode="decimal" value="96"`,
			`<option value="gas" selected>`, `<option value="MY-LINGGI" selected>`, "It now ends 18 Mar 2030 08:00 UTC.")
		expectRedirect(t, "move the ETA", b.post(roomPath+"/edit", url.Values{"title": {"LNG Linggi"}, "location": {"Tanjung Linggi"},
			"sts_eta": {"2030-03-15T08:00"}, "duration_hours": {"96"}, "cargo_class": {"gas"}, "coastal_area": {"MY-LINGGI"}}), roomPath)
		expectContains(t, "moved room", b.get(roomPath), "15 Mar 2030 08:00 UTC → 19 Mar 2030 08:00 UTC", "(96 h)")
		expectRedirect(t, "give the end", b.post(roomPath+"/edit", url.Values{"title": {"LNG Linggi"}, "location": {"Tanjung Linggi"},
			"sts_eta": {"2030-03-15T08:00"}, "duration_hours": {"96"}, "sts_end": {"2030-03-17T20:00"}, "cargo_class": {"oil"},
			"coastal_area": {""}}), roomPath)
		after := b.get(roomPath)
		expectContains(t, "room by its end", after, "15 Mar 2030 08:00 UTC → 17 Mar 2030 20:00 UTC", "(60 h)", "Oil (crude, products)",
			"No coastal state named")
	})
}

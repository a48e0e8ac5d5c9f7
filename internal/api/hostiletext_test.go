package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
)

// TestHostileText: a NUL character or invalid UTF-8 anywhere a caller sends text — a JSON
// field, a form field, the query string, a multipart field, the sign-in form without
// credentials — is a 422 naming the field on both engines (PostgreSQL refuses such text;
// it once gave 500), and nothing is written.
func TestHostileText(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@hostile.test")
		broker := env.Login("broker@hostile.test")
		room := must(t, env.Do("POST", "/api/v1/rooms", broker, map[string]any{"title": "Hostile", "location": "Skaw",
			"sts_eta": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)}), 201)["id"].(string)
		trail := func() int {
			return len(must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities?limit=100", broker, nil), 200)["items"].([]any))
		}
		before := trail()
		cases := []struct {
			name, method, path, token, ctype, body, field string
		}{
			{"a room title", "POST", "/api/v1/rooms", broker, "application/json", `{"title":"a\u0000","location":"x","sts_eta":"2026-12-20T08:00:00Z"}`, "title"},
			{"a room patch", "PATCH", "/api/v1/rooms/" + room, broker, "application/json", `{"description":"\u0000\u0000"}`, "description"},
			{"a party e-mail", "POST", "/api/v1/rooms/" + room + "/parties", broker, "application/json", `{"email":"x\u0000@y.test","role":"buyer"}`, "email"},
			{"a sign-in e-mail", "POST", "/api/v1/auth/login", "", "application/json", `{"email":"\u0000@x.test","password":"whatever-it-is"}`, "email"},
			{"the web sign-in form", "POST", "/login", "", "application/x-www-form-urlencoded", "email=%FF%FE&password=x", "email"},
			{"a query parameter", "GET", "/api/v1/rooms/" + room + "/activities?cursor=%00", broker, "", "", "cursor"},
		}
		for _, c := range cases {
			res := env.DoWith(c.method, c.path, c.token, c.body, c.ctype)
			if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"`+c.field+`"`) {
				t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
			}
		}
		res := env.Upload(room, broker, []string{"type", "JPO", "notes", "bad\x00notes"}, "jpo.pdf", apptest.PDF("JPO"))
		if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"notes"`) {
			t.Errorf("a multipart field: %d %s", res.Status, res.Body)
		}
		if after := trail(); after != before {
			t.Errorf("the trail grew from %d to %d entries", before, after)
		}
		if res := env.Do("GET", "/api/v1/rooms/%00", broker, nil); res.Status != 404 {
			t.Errorf("a NUL in the path: %d %s", res.Status, res.Body)
		}
	})
}

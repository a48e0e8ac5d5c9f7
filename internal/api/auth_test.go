package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/config"
)

func TestLoginLogoutMe(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("ship@example.com")
		token := env.Login("SHIP@example.com ")
		me := env.Do(http.MethodGet, "/api/v1/auth/me", token, nil)
		if me.Status != http.StatusOK || me.Map()["email"] != "ship@example.com" || me.Map()["created_at"] == "0001-01-01T00:00:00Z" {
			t.Fatalf("me: %d %s", me.Status, me.Body)
		}
		if strings.Contains(string(me.Body), "password") {
			t.Fatalf("me leaks the password hash: %s", me.Body)
		}
		if res := env.Do(http.MethodPost, "/api/v1/auth/logout", token, nil); res.Status != http.StatusNoContent {
			t.Fatalf("logout: %d %s", res.Status, res.Body)
		}
		for _, path := range []string{"/api/v1/auth/me", "/api/v1/rooms"} {
			res := env.Do(http.MethodGet, path, token, nil)
			if res.Status != http.StatusUnauthorized || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%s after logout: %d %s", path, res.Status, res.Body)
			}
			if res.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("401 without WWW-Authenticate")
			}
		}
		if res := env.Do(http.MethodPost, "/api/v1/auth/logout", token, nil); res.Status != http.StatusUnauthorized {
			t.Fatalf("second logout: %d", res.Status)
		}
		for _, bad := range []string{"", "Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", token} {
			req, _ := http.NewRequest(http.MethodGet, env.Server.URL+"/api/v1/auth/me", nil)
			if bad != "" {
				req.Header.Set("Authorization", bad)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("Authorization %q: %d, want 401", bad, res.StatusCode)
			}
		}
	})
}

func TestLoginFailuresLookAlikeAndAreRateLimited(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("vetting@example.com")
		unknown := env.Do(http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": "nobody@example.com", "password": "whatever-long"})
		wrong := env.Do(http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": "vetting@example.com", "password": "whatever-long"})
		if unknown.Status != http.StatusUnauthorized || wrong.Status != http.StatusUnauthorized {
			t.Fatalf("statuses %d %d", unknown.Status, wrong.Status)
		}
		if unknown.Map()["detail"] != wrong.Map()["detail"] {
			t.Fatalf("unknown e-mail and wrong password answer differently: %s vs %s", unknown.Body, wrong.Body)
		}
		// Four more failures empty the account's bucket of five.
		for range 4 {
			env.Do(http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": "vetting@example.com", "password": "still-wrong-pw"})
		}
		res := env.Do(http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": "vetting@example.com", "password": apptest.Password})
		if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
			t.Fatalf("sixth attempt: %d Retry-After=%q %s", res.Status, res.Header.Get("Retry-After"), res.Body)
		}
		// Another account from the same address still gets in until the address bucket is empty.
		env.CreateUser("owner@example.com")
		env.Login("owner@example.com")
		for i := range 20 {
			env.Do(http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": fmt.Sprintf("guess%d@example.com", i), "password": "wrong-password"})
		}
		res = env.Do(http.MethodPost, "/api/v1/auth/login", "", map[string]string{"email": "owner@example.com", "password": apptest.Password})
		if res.Status != http.StatusTooManyRequests {
			t.Fatalf("after 20+ failures from one address: %d", res.Status)
		}
	})
}

func TestUsersAreAdminOnly(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		admin := env.Login(apptest.AdminEmail)
		env.CreateUser("plain@example.com")
		plain := env.Login("plain@example.com")
		body := map[string]string{"email": "new@example.com", "name": "New", "password": "twelve chars!!", "role": "user"}
		if res := env.Do(http.MethodPost, "/api/v1/users", "", body); res.Status != http.StatusUnauthorized {
			t.Errorf("anonymous create: %d", res.Status)
		}
		if res := env.Do(http.MethodPost, "/api/v1/users", plain, body); res.Status != http.StatusForbidden {
			t.Errorf("user create: %d", res.Status)
		}
		if res := env.Do(http.MethodGet, "/api/v1/users", plain, nil); res.Status != http.StatusForbidden {
			t.Errorf("user list: %d", res.Status)
		}
		res := env.Do(http.MethodPost, "/api/v1/users", admin, body)
		if res.Status != http.StatusCreated || res.Map()["email"] != "new@example.com" || res.Map()["role"] != "user" {
			t.Fatalf("admin create: %d %s", res.Status, res.Body)
		}
		if res := env.Do(http.MethodPost, "/api/v1/users", admin, body); res.Status != http.StatusConflict {
			t.Errorf("duplicate: %d %s", res.Status, res.Body)
		}
		short := map[string]string{"email": "short@example.com", "name": "S", "password": "elevenchars"}
		res = env.Do(http.MethodPost, "/api/v1/users", admin, short)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"field":"password"`) {
			t.Errorf("short password: %d %s", res.Status, res.Body)
		}
		badEmail := map[string]string{"email": "not-an-address", "name": "S", "password": "twelve chars!!"}
		res = env.Do(http.MethodPost, "/api/v1/users", admin, badEmail)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"field":"email"`) {
			t.Errorf("bad e-mail: %d %s", res.Status, res.Body)
		}
		var page struct {
			Items []struct {
				Email string `json:"email"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		env.Do(http.MethodGet, "/api/v1/users?limit=2", admin, nil).JSON(&page)
		if len(page.Items) != 2 || page.NextCursor == "" {
			t.Fatalf("first page: %+v", page)
		}
		seen := len(page.Items)
		for page.NextCursor != "" {
			cursor := page.NextCursor
			page.NextCursor = ""
			env.Do(http.MethodGet, "/api/v1/users?limit=2&cursor="+cursor, admin, nil).JSON(&page)
			seen += len(page.Items)
		}
		if seen != 3 {
			t.Fatalf("paged through %d users, want 3", seen)
		}
		if res := env.Do(http.MethodGet, "/api/v1/users?cursor=!!", admin, nil); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("bad cursor: %d", res.Status)
		}
	})
}

// TestBadInput: every malformed or invalid request gets its 4xx as problem+json, never a 500.
func TestBadInput(t *testing.T) {
	env := apptest.New(t, "sqlite", func(c *config.Config) { c.MaxBodyBytes = 4096 })
	token := env.Login(apptest.AdminEmail)
	cases := []struct {
		name, method, path, contentType, body string
		status                                int
		field                                 string
	}{
		{"malformed JSON", "POST", "/api/v1/auth/login", "application/json", `{"email":`, 400, ""},
		{"not an object", "POST", "/api/v1/auth/login", "application/json", `[1,2]`, 422, ""},
		{"wrong content type", "POST", "/api/v1/auth/login", "text/plain", `{"email":"a@b.c","password":"x"}`, 415, ""},
		{"unknown field", "POST", "/api/v1/auth/login", "application/json", `{"email":"a@b.c","password":"x","admin":true}`, 422, "admin"},
		{"missing field", "POST", "/api/v1/auth/login", "application/json", `{"email":"a@b.c"}`, 422, "password"},
		{"wrong type", "POST", "/api/v1/auth/login", "application/json", `{"email":1,"password":"x"}`, 422, "email"},
		{"oversized body", "POST", "/api/v1/auth/login", "application/json", `{"email":"` + strings.Repeat("a", 5000) + `","password":"x"}`, 413, ""},
		{"empty body", "POST", "/api/v1/rooms", "application/json", ``, 400, ""},
		{"bad time", "POST", "/api/v1/rooms", "application/json", `{"title":"t","location":"l","sts_eta":"tomorrow"}`, 422, "sts_eta"},
		{"empty title", "POST", "/api/v1/rooms", "application/json", `{"title":" ","location":"l","sts_eta":"2026-03-14T08:00:00Z"}`, 422, "title"},
		{"bad role", "POST", "/api/v1/rooms", "application/json", `{"title":"t","location":"l","sts_eta":"2026-03-14T08:00:00Z","role":"pirate"}`, 422, "role"},
		{"bad limit", "GET", "/api/v1/rooms?limit=100000", "", ``, 422, "limit"},
		{"unknown endpoint", "GET", "/api/v1/nowhere", "", ``, 404, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body any
			if c.body != "" {
				body = c.body
			}
			res := env.DoWith(c.method, c.path, token, body, c.contentType)
			if res.Status != c.status {
				t.Fatalf("status %d, want %d: %s", res.Status, c.status, res.Body)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("content type %q", ct)
			}
			p := res.Map()
			if p["status"] != float64(c.status) || p["title"] == "" || p["type"] == nil || p["detail"] == "" {
				t.Fatalf("not a problem document: %s", res.Body)
			}
			if c.field != "" && !strings.Contains(string(res.Body), `"field":"`+c.field+`"`) {
				t.Fatalf("errors do not name %q: %s", c.field, res.Body)
			}
			if strings.Contains(string(res.Body), "aaaaaaaaaa") {
				t.Fatalf("the problem echoes the request body: %.200s", res.Body)
			}
		})
	}
}

func TestOperationsEndpoints(t *testing.T) {
	env := apptest.New(t, "sqlite")
	env.Do(http.MethodGet, "/healthz", "", nil)
	for path, want := range map[string]string{
		"/healthz":             `"ok"`,
		"/readyz":              `"ready"`,
		"/api/v1/openapi.json": `"/rooms/{room_id}/activities"`,
		"/metrics":             "stshub_http_requests_total",
	} {
		res := env.Do(http.MethodGet, path, "", nil)
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), want) {
			t.Errorf("%s: %d, want body with %s", path, res.Status, want)
		}
	}
	res := env.Do(http.MethodGet, "/metrics", "", nil)
	// /metrics takes no turn of its own: it must answer when the reads are queued.
	for _, want := range []string{`route="GET /healthz"`, "go_sql_open_connections", "stshub_http_reads_waiting 0", "stshub_http_reads_working 0", "stshub_db_writes_waiting 0"} {
		if !strings.Contains(string(res.Body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("X-Request-Id") == "" {
		t.Errorf("missing security or request-ID headers: %v", res.Header)
	}
}

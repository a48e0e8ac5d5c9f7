package api_test

import (
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestWrongMethod: a known API path asked with a method it does not serve is 405 with the
// methods it does in Allow; an unknown path stays 404.
func TestWrongMethod(t *testing.T) {
	env := apptest.New(t, "")
	token := env.Login(apptest.AdminEmail)
	cases := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"DELETE", "/api/v1/document-types", 405, "GET, HEAD, POST"},
		{"PUT", "/api/v1/rooms/x", 405, "GET, HEAD, PATCH, DELETE"},
		{"POST", "/api/v1/auth/me", 405, "GET, HEAD, PATCH"},
		{"GET", "/api/v1/no-such-thing", 404, ""},
	}
	for _, c := range cases {
		res := env.Do(c.method, c.path, token, nil)
		if res.Status != c.status || res.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d Allow %q, want %d %q", c.method, c.path, res.Status, res.Header.Get("Allow"), c.status, c.allow)
		}
	}
}

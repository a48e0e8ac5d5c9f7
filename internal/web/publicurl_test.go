package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/config"
)

// TestPublicURLMakesCookiesSecure: behind a proxy that terminates TLS the server sees plain
// HTTP; told its public URL is https, it marks the session cookie Secure and sends HSTS.
// Without a public URL (or with an http one) neither.
func TestPublicURLMakesCookiesSecure(t *testing.T) {
	for _, c := range []struct {
		publicURL string
		secure    bool
	}{{"", false}, {"http://sts.example.test", false}, {"https://sts.example.test", true}} {
		t.Run(c.publicURL, func(t *testing.T) {
			env := apptest.New(t, "", func(cfg *config.Config) { cfg.PublicURL = c.publicURL })
			env.CreateUser("ops@aegean.test")
			b := newBrowser(t, env)
			res := b.post("/login", url.Values{"email": {"ops@aegean.test"}, "password": {apptest.Password}})
			if res.Status != http.StatusSeeOther {
				t.Fatalf("sign in: %d %s", res.Status, res.Body)
			}
			cookie := strings.Join(res.Header.Values("Set-Cookie"), "\n")
			if strings.Contains(cookie, "; Secure") != c.secure {
				t.Errorf("Set-Cookie %q: want Secure %v", cookie, c.secure)
			}
			if hsts := res.Header.Get("Strict-Transport-Security"); (hsts != "") != c.secure {
				t.Errorf("Strict-Transport-Security %q: want it %v", hsts, c.secure)
			}
			api := env.Do("GET", "/api/v1/auth/me", "", nil)
			if hsts := api.Header.Get("Strict-Transport-Security"); (hsts != "") != c.secure {
				t.Errorf("API Strict-Transport-Security %q: want it %v", hsts, c.secure)
			}
		})
	}
}

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/web"
)

const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func TestSignInAndOut(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser(brokerEmail)
		b := newBrowser(t, env)

		// Anonymous: pages send the browser to sign in, and bring it back afterwards.
		expectRedirect(t, "cockpit", b.get("/"), "/login")
		expectRedirect(t, "a room", b.get("/rooms/abc?x=1"), "/login?next="+url.QueryEscape("/rooms/abc?x=1"))
		login := b.get("/login")
		expectStatus(t, "sign-in page", login, http.StatusOK)
		expectContains(t, "sign-in page", login, `id="login-email"`, `id="login-password"`, `<label for="login-email">`, `data-testid="login-submit"`)
		if got := login.Header.Get("Content-Security-Policy"); got != csp {
			t.Errorf("CSP %q, want %q", got, csp)
		}
		if got := login.Header.Get("Referrer-Policy"); got != "same-origin" {
			t.Errorf("Referrer-Policy %q", got)
		}

		// A wrong password: the form again, with one message, and no session.
		bad := b.post("/login", url.Values{"email": {brokerEmail}, "password": {"wrong password!"}, "next": {"/rooms/abc"}})
		expectStatus(t, "wrong password", bad, http.StatusUnauthorized)
		expectContains(t, "wrong password", bad, "The e-mail address or password is not correct.", `value="broker@valletta.test"`,
			`name="next" value="/rooms/abc"`)
		expectMissing(t, "wrong password", bad, "wrong password!")
		if b.sessionToken() != "" {
			t.Fatal("a failed sign-in set a session cookie")
		}

		// Success: the session cookie, then back to where the user was going.
		ok := b.post("/login", url.Values{"email": {brokerEmail}, "password": {apptest.Password}, "next": {"/rooms/abc"}})
		expectRedirect(t, "sign in", ok, "/rooms/abc")
		cookie := ok.Header.Get("Set-Cookie")
		for _, attr := range []string{web.SessionCookie + "=", "Path=/", "HttpOnly", "SameSite=Lax", "Expires=", "Max-Age="} {
			if !strings.Contains(cookie, attr) {
				t.Errorf("session cookie %q lacks %s", cookie, attr)
			}
		}
		if strings.Contains(cookie, "Secure") {
			t.Errorf("session cookie over plain HTTP is marked Secure: %q", cookie)
		}
		token := b.sessionToken()
		if token == "" {
			t.Fatal("no session cookie kept")
		}
		// The cookie's session is the API's session.
		if res := env.Do(http.MethodGet, "/api/v1/auth/me", token, nil); res.Status != http.StatusOK {
			t.Fatalf("the session does not work on the API: %d", res.Status)
		}
		home := b.get("/")
		expectStatus(t, "cockpit", home, http.StatusOK)
		expectContains(t, "cockpit", home, "My rooms", "broker", `action="/logout"`)
		if home.Header.Get("Content-Security-Policy") != csp || home.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("cockpit headers: %v", home.Header)
		}
		expectRedirect(t, "sign-in page when signed in", b.get("/login?next=/rooms/new"), "/rooms/new")

		// Sign out ends the session everywhere.
		out := b.post("/logout", nil)
		expectRedirect(t, "sign out", out, "/login")
		if b.sessionToken() != "" {
			t.Error("the session cookie survived sign-out")
		}
		expectContains(t, "after sign out", b.get("/login"), "You are signed out.")
		expectRedirect(t, "cockpit after sign out", b.get("/"), "/login")
		if res := env.Do(http.MethodGet, "/api/v1/auth/me", token, nil); res.Status != http.StatusUnauthorized {
			t.Fatalf("the session still works on the API after sign-out: %d", res.Status)
		}
	})
}

// TestSignInRefusesForeignRedirects: next only ever leads to a path of this site.
func TestSignInRefusesForeignRedirects(t *testing.T) {
	env := apptest.New(t, "sqlite")
	env.CreateUser(brokerEmail)
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "evil"} {
		b := newBrowser(t, env)
		res := b.post("/login", url.Values{"email": {brokerEmail}, "password": {apptest.Password}, "next": {next}})
		expectRedirect(t, "next="+next, res, "/")
	}
	b := newBrowser(t, env)
	expectMissing(t, "sign-in page", b.get("/login?next="+url.QueryEscape("//evil.example")), "evil.example")
}

// TestExpiredCookie: a cookie whose session is gone is cleared and the user signs in again.
func TestExpiredCookie(t *testing.T) {
	env := apptest.New(t, "sqlite")
	env.CreateUser(brokerEmail)
	b := signedIn(t, env, brokerEmail)
	env.Advance(13 * time.Hour) // past the 12 h session
	res := b.get("/rooms/new")
	expectRedirect(t, "expired session", res, "/login?next="+url.QueryEscape("/rooms/new"))
	if b.sessionToken() != "" {
		t.Error("the dead session cookie was not cleared")
	}
}

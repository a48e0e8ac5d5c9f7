package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/service"
)

// TestCrossSiteFormsAreRefused: a form another site makes the browser submit is refused
// with 403 and changes nothing.
func TestCrossSiteFormsAreRefused(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		b := signedIn(t, env, brokerEmail)
		count := func() int {
			rooms, _, err := env.App.Service().ListRooms(context.Background(), f.broker, service.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			return len(rooms)
		}
		before := count()
		form := url.Values{"title": {"Forged"}, "location": {"Nowhere"}, "sts_eta": {"2030-01-01T00:00"}}
		for name, headers := range map[string][]string{
			"Sec-Fetch-Site cross-site": {"Sec-Fetch-Site", "cross-site", "Origin", ""},
			"foreign Origin":            {"Sec-Fetch-Site", "", "Origin", "https://evil.example"},
		} {
			res := b.post("/rooms", form, headers...)
			expectStatus(t, name, res, http.StatusForbidden)
			expectContains(t, name, res, "Request refused", "nothing was changed")
			if res.Header.Get("Content-Security-Policy") != csp {
				t.Errorf("%s: the refusal lacks the CSP", name)
			}
		}
		res := b.post(f.roomPath("/documents/"+f.q88+"/approve"), nil, "Sec-Fetch-Site", "cross-site")
		expectStatus(t, "cross-site approval", res, http.StatusForbidden)
		if count() != before || f.docStatus(t, f.q88) != "under_review" {
			t.Fatal("a cross-site form changed something")
		}
		// The same forms from our own pages work.
		expectStatus(t, "same-origin form", b.post("/rooms", form), http.StatusSeeOther)
	})
}

func TestNotFoundPagesAndAPI(t *testing.T) {
	env := apptest.New(t, "sqlite")
	env.CreateUser(brokerEmail)
	b := signedIn(t, env, brokerEmail)
	for _, path := range []string{"/nowhere", "/rooms/x/y/z/w", "/static/nothing.js"} {
		res := b.get(path)
		if res.Status != http.StatusNotFound {
			t.Errorf("%s: %d", path, res.Status)
		}
	}
	html := b.get("/nowhere")
	if !strings.HasPrefix(html.Header.Get("Content-Type"), "text/html") || !strings.Contains(html.Body, "There is no page at this address") {
		t.Errorf("unknown page: %s %.200s", html.Header.Get("Content-Type"), html.Body)
	}
	api := b.get("/api/v1/nowhere")
	if api.Status != http.StatusNotFound || api.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("unknown API path: %d %s", api.Status, api.Header.Get("Content-Type"))
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if res := b.get(path); res.Status != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "json") {
			t.Errorf("%s: %d %s", path, res.Status, res.Header.Get("Content-Type"))
		}
	}
}

func TestStaticFiles(t *testing.T) {
	env := apptest.New(t, "sqlite")
	b := newBrowser(t, env)
	login := b.get("/login")
	for _, name := range []string{"app.css", "app.js", "htmx.min.js"} {
		m := regexp.MustCompile(`/static/` + regexp.QuoteMeta(name) + `\?v=[0-9a-f]+`).FindString(login.Body)
		if m == "" {
			t.Fatalf("the page does not link %s with its version", name)
		}
		res := b.get(m)
		expectStatus(t, name, res, http.StatusOK)
		if !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: Cache-Control %q", name, res.Header.Get("Cache-Control"))
		}
		if name != "app.css" && !strings.Contains(res.Header.Get("Content-Type"), "javascript") {
			t.Errorf("%s: Content-Type %q", name, res.Header.Get("Content-Type"))
		}
	}
	htmx := b.get("/static/htmx.min.js")
	if !strings.HasPrefix(htmx.Body, "/*! htmx 2.0.11") || htmx.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("htmx: %.60s %q", htmx.Body, htmx.Header.Get("Cache-Control"))
	}
}

// TestNoInlineScriptsOrStyles: the CSP allows neither, so the templates must hold none.
func TestNoInlineScriptsOrStyles(t *testing.T) {
	files, err := filepath.Glob("templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("templates: %v", err)
	}
	bad := []*regexp.Regexp{
		regexp.MustCompile(`<script(?:\s[^>]*)?>`),
		regexp.MustCompile(`<style`),
		regexp.MustCompile(`\sstyle=`),
		regexp.MustCompile(`\son[a-z]+=`),
		regexp.MustCompile(`javascript:`),
		regexp.MustCompile(`hx-on`),
	}
	srcScript := regexp.MustCompile(`<script src="\{\{static "[a-z.]+"\}\}" defer></script>`)
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := srcScript.ReplaceAllString(string(b), "")
		for _, re := range bad {
			if loc := re.FindStringIndex(text); loc != nil {
				t.Errorf("%s: %q is not allowed under the CSP", file, text[loc[0]:min(loc[1]+20, len(text))])
			}
		}
	}
	// And nothing in the web package marks user data as safe HTML.
	goFiles, _ := filepath.Glob("*.go")
	for _, file := range goFiles {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(file)
		if strings.Contains(string(b), "template.HTML(") {
			t.Errorf("%s converts a string to template.HTML", file)
		}
	}
}

package httpx

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// directives parses a Content-Security-Policy into its directives and their values.
func directives(policy string) map[string]string {
	out := map[string]string{}
	for d := range strings.SplitSeq(policy, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		if name != "" {
			out[name] = strings.TrimSpace(value)
		}
	}
	return out
}

// TestServeInlineHeadersPerType: a PDF is shown without a sandbox (the browsers' PDF viewers
// do not run in a sandboxed document) but still loads nothing from elsewhere; an image,
// and any type nobody listed, is sandboxed. Every type is inline, nosniff, under its own
// type, and framed by the site's own pages only.
func TestServeInlineHeadersPerType(t *testing.T) {
	for _, c := range []struct {
		contentType string
		sandboxed   bool
	}{
		{"application/pdf", false},
		{"Application/PDF", false}, // media types are case-insensitive
		{"image/png", true},
		{"image/jpeg", true},
		{"image/gif", true},
		{"image/webp", true},
		{"application/pdf-not", true},
		{"text/html", true}, // never previewed (clearance.Previewable); sandboxed had it been
		{"", true},
	} {
		t.Run(c.contentType, func(t *testing.T) {
			w := httptest.NewRecorder()
			ServeInline(w, httptest.NewRequest(http.MethodGet, "/preview", nil), c.contentType, "abc123", time.Now(), strings.NewReader("%PDF-1.4 …"))
			h := w.Result().Header
			for name, want := range map[string]string{
				"Content-Disposition":    "inline",
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "SAMEORIGIN",
				"ETag":                   `"abc123"`,
			} {
				if got := h.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if c.contentType != "" && h.Get("Content-Type") != c.contentType {
				t.Errorf("Content-Type = %q, want the sniffed %q", h.Get("Content-Type"), c.contentType)
			}
			csp := directives(h.Get("Content-Security-Policy"))
			if _, ok := csp["sandbox"]; ok != c.sandboxed {
				t.Errorf("sandbox in %q: %v, want %v", h.Get("Content-Security-Policy"), ok, c.sandboxed)
			}
			for name, want := range map[string]string{"default-src": "'none'", "frame-ancestors": "'self'", "img-src": "'self' data:"} {
				if csp[name] != want {
					t.Errorf("%s = %q, want %q (policy %q)", name, csp[name], want, h.Get("Content-Security-Policy"))
				}
			}
			for name, value := range csp {
				for _, loose := range []string{"*", "http:", "https:", "'unsafe-eval'"} {
					if strings.Contains(value, loose) {
						t.Errorf("%s allows %s (policy %q)", name, loose, h.Get("Content-Security-Policy"))
					}
				}
				if name == "script-src" || name == "frame-src" || name == "connect-src" {
					t.Errorf("%s set to %q: a preview runs and loads nothing", name, value)
				}
			}
		})
	}
}

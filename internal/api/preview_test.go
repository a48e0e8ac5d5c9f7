package api_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestPreview: a PDF is served inline, under a policy that loads nothing, and not sniffed,
// to a party that may see it (the same 404 as the download to anyone else), and recorded
// as a view; a plain
// text version is not previewable and says so (409), while its download still works.
func TestPreview(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		m := newMatrixEnv(t, env)
		f := m.newRoom(t)
		path := "/api/v1/rooms/" + f.room + "/documents/" + f.document
		res := m.Do("GET", path+"/preview", m.tokens["viewer"], nil)
		if res.Status != 200 || !bytes.HasPrefix(res.Body, []byte("%PDF-")) {
			t.Fatalf("preview: %d %.80s", res.Status, res.Body)
		}
		for header, want := range map[string]string{"Content-Type": "application/pdf", "Content-Disposition": "inline",
			"X-Content-Type-Options": "nosniff", "X-Frame-Options": "SAMEORIGIN"} {
			if got := res.Header.Get(header); got != want {
				t.Errorf("%s = %q, want %q", header, got, want)
			}
		}
		// A PDF is not sandboxed (the browsers' PDF viewers refuse a sandbox) but loads nothing.
		if csp := res.Header.Get("Content-Security-Policy"); strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") ||
			!strings.Contains(csp, "frame-ancestors 'self'") {
			t.Errorf("Content-Security-Policy = %q, want no sandbox, nothing loaded, framed by the site only", csp)
		}
		assertAudited(t, env, f.room, res.Header.Get("X-Request-Id"), "document_previewed", emailOf("viewer"))
		if res := m.Do("GET", path+"/preview", m.tokens[outsider], nil); res.Status != 404 {
			t.Errorf("preview as a non-party: %d, want 404", res.Status)
		}
		if res := m.Do("GET", path+"/download", m.tokens["viewer"], nil); !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("the download is no longer an attachment: %q", res.Header.Get("Content-Disposition"))
		}

		up := m.Upload(f.room, m.tokens["owner"], []string{"type", "Q88", "vessel_id", f.vessel}, "q88.txt", []byte("Q88 particulars, plain text\n"))
		if up.Status != 201 {
			t.Fatalf("upload text: %d %s", up.Status, up.Body)
		}
		res = m.Do("GET", path+"/preview", m.tokens["viewer"], nil)
		if res.Status != 409 || res.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(res.Body), "download") {
			t.Errorf("preview of a text file: %d %s", res.Status, res.Body)
		}
		if res := m.Do("GET", path+"/download", m.tokens["viewer"], nil); res.Status != 200 {
			t.Errorf("download of the text file: %d", res.Status)
		}
	})
}

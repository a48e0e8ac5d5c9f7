package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/store"
)

// TestSignInTakesNoFilesAndKeepsNoLongEmail: the sign-in form refuses a multipart body
// unread (no file part reaches the temp folder), and an e-mail no account can have is
// neither looked up nor written to the platform trail.
func TestSignInTakesNoFilesAndKeepsNoLongEmail(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where mime/multipart would spool file parts
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		b := newBrowser(t, env)
		res := b.upload("/login", []string{"email", brokerEmail, "password", "wrong"}, "fill.bin", bytes.Repeat([]byte{'x'}, 5<<20))
		expectStatus(t, "multipart sign-in", res, http.StatusUnsupportedMediaType)
		if spooled, _ := filepath.Glob(filepath.Join(tmp, "multipart-*")); len(spooled) != 0 {
			t.Errorf("a multipart sign-in spooled %v to the temp folder", spooled)
		}
		res = b.upload("/api/v1/auth/login", []string{"email", brokerEmail}, "fill.bin", []byte("x"))
		if res.Status != http.StatusUnsupportedMediaType {
			t.Errorf("multipart API sign-in: %d, want 415", res.Status)
		}

		trail := func() int {
			entries, err := env.App.DB().Read().ListAudit(t.Context(), audit.PlatformScope, store.AuditFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			return len(entries)
		}
		before := trail()
		b.post("/login", url.Values{"email": {strings.Repeat("a", 300) + "@valletta.test"}, "password": {"wrong"}})
		b.post("/login", url.Values{"email": {"nul\x00@valletta.test"}, "password": {"wrong"}})
		if got := trail(); got != before {
			t.Errorf("malformed e-mails wrote %d platform entries, want none", got-before)
		}
		b.post("/login", url.Values{"email": {"nobody@valletta.test"}, "password": {"wrong"}})
		if got := trail(); got != before+1 {
			t.Errorf("a well-formed failed sign-in wrote %d entries, want 1", got-before)
		}
	})
}

package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestTrailVerifyAndExportInTheUI: the activity section shows each entry's hash, verifies
// the chain on request and offers the CSV export to the roles that may export it.
func TestTrailVerifyAndExportInTheUI(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		broker, owner := signedIn(t, env, brokerEmail), signedIn(t, env, ownerEmail)
		section := broker.get(f.roomPath("/activity"), hx...)
		expectContains(t, "broker's activity", section, `data-testid="verify-trail"`, `data-testid="export-trail"`, `title="SHA-256 `)
		expectMissing(t, "owner's activity", owner.get(f.roomPath("/activity"), hx...), `data-testid="export-trail"`)

		verified := owner.post(f.roomPath("/activity/verify"), nil, hx...)
		expectStatus(t, "verify", verified, http.StatusNoContent)
		if trig := verified.Header.Get("HX-Trigger"); !strings.Contains(trig, "The trail is intact") {
			t.Fatalf("verify: HX-Trigger %q", trig)
		}
		export := broker.get(f.roomPath("/activity/export"))
		expectStatus(t, "export", export, http.StatusOK)
		if !strings.HasPrefix(export.Header.Get("Content-Disposition"), "attachment") ||
			!strings.HasPrefix(export.Body, "seq,time,actor_email,action,") || !strings.Contains(export.Body, ",room_created,") ||
			!strings.Contains(export.Body, ",activity_exported,") {
			t.Fatalf("export: %v\n%.300s", export.Header, export.Body)
		}
		expectStatus(t, "owner's export", owner.get(f.roomPath("/activity/export")), http.StatusForbidden)

		env.RawExec(`UPDATE audit_entries SET actor_email = 'mallory@example.com' WHERE scope = ? AND seq = 1`, f.room)
		broken := owner.post(f.roomPath("/activity/verify"), nil, hx...)
		if trig := broken.Header.Get("HX-Trigger"); !strings.Contains(trig, "The trail is broken at entry #1") || !strings.Contains(trig, `"error"`) {
			t.Fatalf("verify after tampering: HX-Trigger %q", trig)
		}
	})
}

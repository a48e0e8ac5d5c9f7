package service_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/store"
)

// TestNotificationPreferencesInTheTrail (review A1): changing what one is e-mailed writes a
// notification_preferences_updated entry in the platform trail, with each change from and
// to; choosing again what is in effect, or a refused choice, writes none.
func TestNotificationPreferencesInTheTrail(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		svc := env.App.Service()
		u := newBroker(t, env)
		entries := func() []audit.Entry {
			t.Helper()
			es, err := env.App.DB().Read().ListAudit(ctx, audit.PlatformScope,
				store.AuditFilter{Action: audit.ActionNotificationPreferencesUpdated, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return es
		}
		if _, err := svc.SetNotificationPreferences(ctx, u, map[string]string{"review_requested": "digest", "room_cleared": "immediate"}); err != nil {
			t.Fatal(err)
		}
		es := entries()
		if len(es) != 1 || es[0].ActorID != u.UserID || es[0].TargetType != "user" || es[0].TargetID != u.UserID {
			t.Fatalf("the trail after a change: %+v", es)
		}
		var meta struct {
			Changes map[string]struct{ From, To string } `json:"changes"`
		}
		if err := json.Unmarshal(es[0].Meta, &meta); err != nil {
			t.Fatal(err)
		}
		// room_cleared was e-mailed at once already (its default): no change of it is recorded.
		if c := meta.Changes; len(c) != 1 || c["review_requested"].From != "immediate" || c["review_requested"].To != "digest" {
			t.Errorf("the changes recorded: %s", es[0].Meta)
		}
		if got := (audit.Names{}).Sentence(es[0]); got != u.Email+" changed their e-mail notification settings (review requested: digest)" {
			t.Errorf("in words: %q", got)
		}
		if _, err := svc.SetNotificationPreferences(ctx, u, map[string]string{"review_requested": "digest"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetNotificationPreferences(ctx, u, map[string]string{"room_cleared": "off", "documents_lapsing": "immediate"}); err == nil {
			t.Error("a refused choice was saved")
		}
		if n := len(entries()); n != 1 {
			t.Errorf("%d entries after a choice that changed nothing and a refused one, want still 1", n)
		}
	})
}

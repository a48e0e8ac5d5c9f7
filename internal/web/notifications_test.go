package web_test

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
)

// openStream opens path as b's event stream and returns its "event:" lines as they come.
func openStream(t *testing.T, env *apptest.Env, b *browser, path string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, env.Server.URL+path, nil)
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("stream %s: %d", path, resp.StatusCode)
	}
	events := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if kind, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				events <- kind
			}
		}
		close(events)
	}()
	return events
}

// nextEvent waits up to d for an event of kind, skipping others; false when none came.
func nextEvent(events <-chan string, kind string, d time.Duration) bool {
	timeout := time.After(d)
	for {
		select {
		case k, ok := <-events:
			if !ok {
				return false
			}
			if k == kind {
				return true
			}
		case <-timeout:
			return false
		}
	}
}

// TestNotificationsInTheUI: the bell counts the unread notifications on every page; a new
// one bumps it live, over the user's own stream on a page outside rooms and over the room's
// stream on a room page, and never on another user's; the list shows the rejection with its
// reason and marks read; the settings page saves a choice and explains a refused one.
func TestNotificationsInTheUI(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		owner, viewer := signedIn(t, env, ownerEmail), signedIn(t, env, viewerEmail)
		expectContains(t, "owner's bell", owner.get("/"), `data-testid="bell-count">1<`, `aria-label="Notifications: 1 unread"`)
		expectStatus(t, "anonymous list", newBrowser(t, env).get("/notifications"), http.StatusSeeOther)
		expectStatus(t, "anonymous stream", newBrowser(t, env).get("/notifications/events"), http.StatusUnauthorized)

		ownerOutside := openStream(t, env, owner, "/notifications/events")
		ownerInRoom := openStream(t, env, owner, f.roomPath("/events"))
		viewerOutside := openStream(t, env, viewer, "/notifications/events")
		waitFor(t, func() bool { return env.App.Events().Subscribers("") == 2 && env.App.Events().Subscribers(f.room) == 1 })

		const reason = "The manifold height is the 2019 figure"
		if _, err := env.App.Service().RejectDocument(context.Background(), f.charterer, f.room, f.q88, reason); err != nil {
			t.Fatal(err)
		}
		if !nextEvent(ownerOutside, "notification", 3*time.Second) || !nextEvent(ownerInRoom, "notification", 3*time.Second) {
			t.Fatal("the owner's pages heard nothing of the rejection")
		}
		if nextEvent(viewerOutside, "notification", 300*time.Millisecond) {
			t.Error("the viewer's page heard of a notification that is the owner's")
		}
		expectContains(t, "bell re-fetched", owner.get("/notifications/bell"), `data-testid="bell-count">2<`)

		list := owner.get("/notifications")
		expectContains(t, "list", list, "was rejected in Malta crude STS", reason, "/rooms/"+f.room+"/documents/"+f.q88, `data-testid="mark-read"`)
		if strings.Contains(viewer.get("/notifications").Body, reason) {
			t.Error("the viewer's list names the owner's rejection")
		}
		expectStatus(t, "mark all read", owner.post("/notifications/read", nil), http.StatusSeeOther)
		if res := owner.get("/notifications"); strings.Contains(res.Body, `data-testid="bell-count"`) || strings.Contains(res.Body, `data-testid="mark-read"`) {
			t.Error("still unread after marking all read")
		}

		res := owner.post("/notifications/preferences", url.Values{"documents_lapsing": {"immediate"}, "document_rejected": {"off"}})
		expectStatus(t, "refused choice", res, http.StatusUnprocessableEntity)
		expectContains(t, "refused choice", res, "come in the daily digest")
		expectStatus(t, "save", owner.post("/notifications/preferences", url.Values{"document_rejected": {"digest"}}), http.StatusSeeOther)
		body := owner.get("/notifications/preferences").Body
		_, sel, _ := strings.Cut(body, `name="document_rejected"`)
		sel, _, _ = strings.Cut(sel, "</select>")
		if !strings.Contains(sel, `<option value="digest" selected>`) {
			t.Errorf("the saved choice is not shown: %s", sel)
		}
	})
}

package web_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/app"
	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/httpx"
	"github.com/stshub/stshub/internal/live"
	"github.com/stshub/stshub/internal/web"
)

// otherNode starts a second server on env's database, as another node would run: with
// its own broker, joined to env's through the PostgreSQL bridge.
func otherNode(t *testing.T, env *apptest.Env) (*app.App, *httptest.Server) {
	t.Helper()
	a, err := app.New(context.Background(), env.Config, slog.New(slog.DiscardHandler), app.WithPasswordParams(apptest.FastPasswords))
	if err != nil {
		t.Fatal(err)
	}
	stop, err := a.StartBackground(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		srv.Close()
		stop()
		a.Close()
	})
	return a, srv
}

// stream opens the room's event stream at base with the session token and returns the
// response and its lines (the channel closes at the end of the body).
func stream(t *testing.T, ctx context.Context, base, path, token string) (*http.Response, <-chan string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: token})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return resp, lines
}

// untilEvent reads lines until "event: kind" (true) or the end of the stream (false),
// failing after d.
func untilEvent(t *testing.T, lines <-chan string, kind string, d time.Duration) bool {
	t.Helper()
	timeout := time.After(d)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				return false
			}
			if line == "event: "+kind {
				return true
			}
		case <-timeout:
			t.Fatalf("no %s event within %v", kind, d)
		}
	}
}

// TestStreamEndsAtLogout: a sign-out ends that session's open stream at once, on the node
// serving it: on PostgreSQL the stream is open on another node (a second server on the same
// database, joined by the bridge) and must end within a second of the sign-out.
func TestStreamEndsAtLogout(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		nodeA, nodeB, baseB := env.App, env.App, env.Server.URL
		if env.Engine == "postgres" {
			var srv *httptest.Server
			nodeB, srv = otherNode(t, env)
			baseB = srv.URL
		}
		viewer := signedIn(t, env, viewerEmail)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		resp, lines := stream(t, ctx, baseB, f.roomPath("/events"), viewer.sessionToken())
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("stream on node B: %d", resp.StatusCode)
		}
		waitFor(t, func() bool { return nodeB.Events().Subscribers(f.room) == 1 })
		// Until both bridges listen, node A's notifications do not reach node B: announce
		// until one arrives.
		arrived := make(chan struct{})
		go func() {
			for {
				nodeA.Events().Publish(live.Event{RoomID: f.room, Kind: "room_updated"})
				select {
				case <-arrived:
					return
				case <-time.After(200 * time.Millisecond):
				}
			}
		}()
		ok := untilEvent(t, lines, "room_updated", 15*time.Second)
		close(arrived)
		if !ok {
			t.Fatal("the stream ended before the bridge carried an event")
		}

		start := time.Now()
		expectStatus(t, "sign out on node A", viewer.post("/logout", nil), http.StatusSeeOther)
		if !untilEvent(t, lines, live.KindSessionEnded, 3*time.Second) {
			t.Fatal("the stream ended without session_ended")
		}
		for range lines { // the stream ends after it
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("the stream ended %v after the sign-out, want within a second", d)
		}
		waitFor(t, func() bool { return nodeB.Events().Subscribers(f.room) == 0 })
		// Reopened with the ended session: refused.
		if resp, _ := stream(t, ctx, baseB, f.roomPath("/events"), viewer.sessionToken()); resp.StatusCode == http.StatusOK {
			t.Fatal("a stream opened with an ended session")
		}
	})
}

// TestStreamsPerUserCap: a user's live.MaxStreamsPerUser+1st open stream is 429
// problem+json with Retry-After; another user is unaffected, and a closed stream frees
// its place.
func TestStreamsPerUserCap(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		token := signedIn(t, env, viewerEmail).sessionToken()
		var cancels []context.CancelFunc
		for i := range live.MaxStreamsPerUser {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cancels = append(cancels, cancel)
			if resp, _ := stream(t, ctx, env.Server.URL, f.roomPath("/events"), token); resp.StatusCode != http.StatusOK {
				t.Fatalf("stream %d: %d", i+1, resp.StatusCode)
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		resp, _ := stream(t, ctx, env.Server.URL, f.roomPath("/events"), token)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Content-Type") != httpx.ProblemContentType ||
			resp.Header.Get("Retry-After") == "" || !strings.Contains(string(body), strconv.Itoa(live.MaxStreamsPerUser)) {
			t.Fatalf("stream %d: %d %s Retry-After %q: %s", live.MaxStreamsPerUser+1, resp.StatusCode,
				resp.Header.Get("Content-Type"), resp.Header.Get("Retry-After"), body)
		}
		other := signedIn(t, env, chartererEmail).sessionToken()
		if resp, _ := stream(t, ctx, env.Server.URL, f.roomPath("/events"), other); resp.StatusCode != http.StatusOK {
			t.Fatalf("another user's stream: %d", resp.StatusCode)
		}
		cancels[0]()
		waitFor(t, func() bool { return env.App.Events().Subscribers(f.room) == live.MaxStreamsPerUser })
		if resp, _ := stream(t, ctx, env.Server.URL, f.roomPath("/events"), token); resp.StatusCode != http.StatusOK {
			t.Fatalf("after one closed: %d", resp.StatusCode)
		}
	})
}

package web_test

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/service"
)

// TestLiveEvents: the event stream refuses a non-party like any room page, and streams a
// party the room's changes as they commit.
func TestLiveEvents(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)

		res := signedIn(t, env, outsiderEmail).get(f.roomPath("/events"))
		expectStatus(t, "outsider's stream", res, http.StatusNotFound)
		expectStatus(t, "anonymous stream", newBrowser(t, env).get(f.roomPath("/events")), http.StatusUnauthorized)

		viewer := signedIn(t, env, viewerEmail)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, env.Server.URL+f.roomPath("/events"), nil)
		resp, err := viewer.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
			t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		// The subscription is in place once the headers are out.
		waitFor(t, func() bool { return env.App.Events().Subscribers(f.room) == 1 })

		lines := make(chan string, 16)
		go func() {
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		if _, err := env.App.Service().Upload(context.Background(), f.owner, f.room, service.UploadInput{TypeCode: "Q88",
			VesselID: f.vessel, Filename: "q88-v2.pdf", File: bytes.NewReader(apptest.PDF("v2"))}); err != nil {
			t.Fatal(err)
		}
		timeout := time.After(3 * time.Second)
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					t.Fatal("the stream ended before the event")
				}
				if strings.HasPrefix(line, "event: ") {
					if line != "event: document_uploaded" {
						t.Fatalf("first event %q, want document_uploaded", line)
					}
					data := <-lines
					if !strings.Contains(data, f.q88) || !strings.Contains(data, f.room) {
						t.Fatalf("event data %q", data)
					}
					return
				}
			case <-timeout:
				t.Fatal("no event within 3 s of the upload")
			}
		}
	})
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 3 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

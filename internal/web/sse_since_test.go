package web_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/service"
)

// TestLiveStreamFirstConnection: a page names the room's change position it was rendered
// at; its stream, opened right after, sends nothing (not one byte past the headers) until
// the room changes, then that change. A stream opened with a position the room has moved
// past starts with one catch_up, so the page re-fetches what it missed.
func TestLiveStreamFirstConnection(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		viewer := signedIn(t, env, viewerEmail)
		for _, path := range []string{f.roomPath(""), f.roomPath("/documents/" + f.q88)} {
			m := regexp.MustCompile(`data-room-events="([^"]+)"`).FindStringSubmatch(viewer.get(path).Body)
			if m == nil || !strings.Contains(m[1], "?since=") {
				t.Fatalf("%s names no change position for its stream: %v", path, m)
			}
		}
		stream := html.UnescapeString(regexp.MustCompile(`data-room-events="([^"]+)"`).FindStringSubmatch(viewer.get(f.roomPath("")).Body)[1])

		open := func(path string) (<-chan []byte, func()) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, env.Server.URL+path, nil)
			resp, err := viewer.client.Do(req)
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("stream %s: %v %v", path, resp, err)
			}
			chunks := make(chan []byte, 16)
			go func() {
				defer close(chunks)
				for {
					buf := make([]byte, 4096)
					n, err := resp.Body.Read(buf)
					if n > 0 {
						chunks <- buf[:n]
					}
					if err != nil {
						return
					}
				}
			}()
			return chunks, func() { cancel(); resp.Body.Close(); io.Copy(io.Discard, resp.Body) }
		}
		next := func(chunks <-chan []byte, within time.Duration) string {
			select {
			case c := <-chunks:
				return string(c)
			case <-time.After(within):
				return ""
			}
		}

		chunks, stop := open(stream)
		defer stop()
		waitFor(t, func() bool { return env.App.Events().Subscribers(f.room) == 1 })
		if got := next(chunks, 700*time.Millisecond); got != "" {
			t.Fatalf("the stream sent %d bytes before any change: %q", len(got), got)
		}
		if _, err := env.App.Service().Upload(context.Background(), f.owner, f.room, service.UploadInput{TypeCode: "Q88",
			VesselID: f.vessel, Filename: "q88-v2.pdf", File: bytes.NewReader(apptest.PDF("v2"))}); err != nil {
			t.Fatal(err)
		}
		if got := next(chunks, 3*time.Second); !strings.HasPrefix(got, "event: document_uploaded\n") {
			t.Fatalf("after the upload the stream sent %q, want the document_uploaded event", got)
		}

		// The same position, now behind the room: one catch_up first.
		stale, stopStale := open(stream)
		defer stopStale()
		if got := next(stale, 3*time.Second); !strings.HasPrefix(got, "event: catch_up\n") {
			t.Fatalf("a stream opened behind the room sent %q, want catch_up", got)
		}
	})
}

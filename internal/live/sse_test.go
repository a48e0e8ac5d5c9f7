package live

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sseServer serves the broker's room "room" to user "u1" (or the user in ?user=) and
// reports on done each time a handler returns.
func sseServer(t *testing.T, b *Broker, heartbeat time.Duration) (srv *httptest.Server, done <-chan struct{}) {
	t.Helper()
	d := make(chan struct{}, 10)
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user := r.URL.Query().Get("user")
		if user == "" {
			user = "u1"
		}
		events, cancel, err := b.Subscribe("room", Session{UserID: user})
		if err != nil {
			http.Error(w, err.Error(), http.StatusTooManyRequests)
			d <- struct{}{}
			return
		}
		ServeSSE(w, r, events, heartbeat, nil, nil)
		cancel()
		d <- struct{}{}
	}))
	t.Cleanup(srv.Close)
	return srv, d
}

// openStream starts a GET on url and returns the response and its lines, delivered on a
// channel closed at end of body.
func openStream(t *testing.T, ctx context.Context, client *http.Client, url string) (*http.Response, <-chan string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return resp, lines
}

func nextLine(t *testing.T, lines <-chan string) string {
	t.Helper()
	select {
	case l, ok := <-lines:
		if !ok {
			t.Fatal("stream ended")
		}
		return l
	case <-time.After(2 * time.Second):
		t.Fatal("no line within 2s")
		return ""
	}
}

// nextEvent skips heartbeats and returns the next event's three lines, checking the
// blank line after them.
func nextEvent(t *testing.T, lines <-chan string) (event, data, id string) {
	t.Helper()
	l := nextLine(t, lines)
	for l == ": ping" || l == "" {
		l = nextLine(t, lines)
	}
	event, data, id = l, nextLine(t, lines), nextLine(t, lines)
	if blank := nextLine(t, lines); blank != "" {
		t.Fatalf("want a blank line after the event, got %q", blank)
	}
	return event, data, id
}

func TestServeSSEStream(t *testing.T) {
	checkGoroutines(t)
	b := NewBroker(testLogger(t))
	srv, done := sseServer(t, b, 30*time.Millisecond)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr}

	ctx, disconnect := context.WithCancel(context.Background())
	defer disconnect()
	resp, lines := openStream(t, ctx, client, srv.URL)
	for k, want := range map[string]string{
		"Content-Type":      "text/event-stream",
		"Cache-Control":     "no-store",
		"X-Accel-Buffering": "no",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	waitFor(t, 2*time.Second, "the subscription", func() bool { return b.Subscribers("room") == 1 })

	// A heartbeat comment comes while nothing happens.
	if l := nextLine(t, lines); l != ": ping" {
		t.Fatalf("first line %q, want a heartbeat", l)
	}

	at := time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)
	b.Publish(Event{RoomID: "room", Kind: "document_approved", Target: "doc-7", At: at})
	event, data, id := nextEvent(t, lines)
	if event != "event: document_approved" {
		t.Errorf("event line %q", event)
	}
	if id != "id: "+strconv.FormatInt(at.UnixNano(), 10) {
		t.Errorf("id line %q, want the event time in Unix nanoseconds", id)
	}
	payload, ok := strings.CutPrefix(data, "data: ")
	if !ok {
		t.Fatalf("data line %q", data)
	}
	var ev Event
	if err := json.Unmarshal([]byte(payload), &ev); err != nil {
		t.Fatalf("data is not an Event: %v", err)
	}
	want := Event{RoomID: "room", Kind: "document_approved", Target: "doc-7", At: at, Node: b.Node()}
	if ev != want {
		t.Errorf("data = %+v, want %+v", ev, want)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(payload), &raw)
	for _, k := range []string{"room_id", "kind", "target", "at", "node"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("data has no %q: %s", k, payload)
		}
	}
	if len(raw) != 5 {
		t.Errorf("data has unexpected fields: %s", payload)
	}

	// Other rooms' events do not appear; a following event of this room does.
	b.Publish(Event{RoomID: "elsewhere", Kind: "snapshot_completed"})
	b.Publish(Event{RoomID: "room", Kind: "snapshot_completed", Target: "snap-1"})
	if event, _, _ := nextEvent(t, lines); event != "event: snapshot_completed" {
		t.Errorf("event line %q", event)
	}

	// The client goes away: the handler returns and the subscription ends.
	disconnect()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("ServeSSE did not return after the client disconnected")
	}
	if got := b.Subscribers("room"); got != 0 {
		t.Fatalf("Subscribers = %d after disconnect", got)
	}
}

func TestServeSSERevoked(t *testing.T) {
	checkGoroutines(t)
	b := NewBroker(testLogger(t))
	srv, done := sseServer(t, b, time.Hour)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr}

	_, lines1 := openStream(t, context.Background(), client, srv.URL+"?user=u1")
	_, lines2 := openStream(t, context.Background(), client, srv.URL+"?user=u2")
	waitFor(t, 2*time.Second, "two subscriptions", func() bool { return b.Subscribers("room") == 2 })

	b.Revoke("room", "u1")
	event, data, _ := nextEvent(t, lines1)
	if event != "event: access_revoked" || !strings.Contains(data, `"kind":"access_revoked"`) {
		t.Fatalf("got %q %q, want access_revoked", event, data)
	}
	select {
	case l, ok := <-lines1:
		if ok {
			t.Fatalf("stream continued after access_revoked: %q", l)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("stream did not end after access_revoked")
	}
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("ServeSSE did not return after access_revoked")
	}

	// u2's stream is still open; ending the broker ends it too.
	if got := b.Subscribers("room"); got != 1 {
		t.Fatalf("Subscribers = %d, want u2 still subscribed", got)
	}
	b.Publish(Event{RoomID: "room", Kind: "party_removed"})
	if event, _, _ := nextEvent(t, lines2); event != "event: party_removed" {
		t.Fatalf("u2 got %q", event)
	}
	b.Close()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("ServeSSE did not return when its channel closed")
	}
	for range lines2 {
	}
}

// TestServeSSEFormat checks the exact bytes, without a network in between.
func TestServeSSEFormat(t *testing.T) {
	ch := make(chan Event, 3)
	at := time.Unix(1700000000, 42).UTC()
	ch <- Event{RoomID: "r", Kind: "document_uploaded", Target: "d1", At: at, Node: "n"}
	ch <- Event{RoomID: "r", Kind: "evil\nevent: x\r", At: at, Node: "n"}
	close(ch)
	rec := httptest.NewRecorder()
	ServeSSE(rec, httptest.NewRequest(http.MethodGet, "/", nil), ch, time.Hour, nil, nil)

	want := "event: document_uploaded\n" +
		`data: {"room_id":"r","kind":"document_uploaded","target":"d1","at":"2023-11-14T22:13:20.000000042Z","node":"n"}` + "\n" +
		"id: 1700000000000000042\n\n" +
		"event: evilevent: x\n" +
		`data: {"room_id":"r","kind":"evil\nevent: x\r","target":"","at":"2023-11-14T22:13:20.000000042Z","node":"n"}` + "\n" +
		"id: 1700000000000000042\n\n"
	if got := rec.Body.String(); got != want {
		t.Errorf("body:\n%s\nwant:\n%s", got, want)
	}
	if !rec.Flushed {
		t.Error("not flushed")
	}
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/event-stream" {
		t.Errorf("status %d, content type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
}

func TestServeSSEContextEnds(t *testing.T) {
	checkGoroutines(t)
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequestWithContext(ctx, http.MethodGet, "/", nil)
	done := make(chan struct{})
	go func() {
		ServeSSE(httptest.NewRecorder(), r, make(chan Event), 0, nil, nil)
		close(done)
	}()
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("ServeSSE did not return when the request context ended")
	}
}

// TestServeSSEEndsWhenNoLongerAlive: a subscriber whose session was ended where no event
// could say so is told session_ended at the next heartbeat, and the stream ends.
func TestServeSSEEndsWhenNoLongerAlive(t *testing.T) {
	rec := httptest.NewRecorder()
	var beats int
	alive := func() bool { beats++; return beats < 2 }
	done := make(chan struct{})
	go func() {
		ServeSSE(rec, httptest.NewRequest(http.MethodGet, "/", nil), make(chan Event), 10*time.Millisecond, nil, alive)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("the stream did not end when its session was gone")
	}
	if body := rec.Body.String(); !strings.Contains(body, ": ping") || !strings.Contains(body, "event: "+KindSessionEnded) {
		t.Fatalf("stream: %q", body)
	}
}

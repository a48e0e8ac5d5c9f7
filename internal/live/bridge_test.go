package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stshub/stshub/internal/store/storetest"
)

// bridgeDB returns a database URL and a NOTIFY channel private to the test; it skips the
// test unless STSHUB_TEST_DATABASE_URL is set.
func bridgeDB(t *testing.T) (url, channel string) {
	t.Helper()
	url = storetest.FreshPostgresSchema(t) // skips when the variable is not set
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return url, "stshub_live_test_" + hex.EncodeToString(b)
}

// startNode returns a broker whose bridge runs on url and channel until the test ends,
// once its LISTEN connection is up.
func startNode(t *testing.T, url, channel string, pingEvery time.Duration) *Broker {
	t.Helper()
	b := NewBroker(testLogger(t))
	b.channel = channel
	if pingEvery > 0 {
		b.pingEvery = pingEvery
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.RunPostgresBridge(ctx, url) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("RunPostgresBridge: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("RunPostgresBridge did not return after ctx ended")
		}
	})
	waitFor(t, 10*time.Second, "the bridge to listen", b.bridgeConnected)
	return b
}

func TestPostgresBridge(t *testing.T) {
	checkGoroutines(t)
	url, channel := bridgeDB(t)
	// A pings its quiet LISTEN connection often; that must not disturb it.
	a := startNode(t, url, channel, 20*time.Millisecond)
	b := startNode(t, url, channel, 0)
	room := "room-" + channel
	time.Sleep(100 * time.Millisecond)

	onA, cancelA := subscribe(t, a, room, "u1")
	defer cancelA()
	onB, cancelB := subscribe(t, b, room, "u1")
	defer cancelB()
	onBOtherUser, cancelB2 := subscribe(t, b, room, "u2")
	defer cancelB2()
	onBOtherRoom, cancelB3 := subscribe(t, b, room+"-other", "u1")
	defer cancelB3()

	// A → B within 2 s, with A as its node.
	a.Publish(Event{RoomID: room, Kind: "document_approved", Target: "doc-1"})
	ev := mustRecv(t, onB, 2*time.Second)
	if ev.Kind != "document_approved" || ev.Target != "doc-1" || ev.RoomID != room || ev.Node != a.Node() {
		t.Fatalf("B got %+v", ev)
	}
	if ev := mustRecv(t, onBOtherUser, 2*time.Second); ev.Target != "doc-1" {
		t.Fatalf("B's second subscriber got %+v", ev)
	}
	// A's own subscriber got it once, locally.
	if ev := mustRecv(t, onA, time.Second); ev.Target != "doc-1" || ev.Node != a.Node() {
		t.Fatalf("A got %+v", ev)
	}

	// B → A. NOTIFY delivers in commit order to every listener, so A's echo of doc-1 (if
	// it were not suppressed) would reach A's subscriber before doc-2 does.
	b.Publish(Event{RoomID: room, Kind: "document_approved", Target: "doc-2"})
	if ev := mustRecv(t, onA, 2*time.Second); ev.Target != "doc-2" || ev.Node != b.Node() {
		t.Fatalf("A got %+v, want doc-2 from B (a doc-1 here would be an echo)", ev)
	}
	if ev := mustRecv(t, onB, time.Second); ev.Target != "doc-2" {
		t.Fatalf("B got %+v", ev)
	}
	mustRecv(t, onBOtherUser, time.Second)
	expectNothing(t, onA, 200*time.Millisecond)
	expectNothing(t, onB, 10*time.Millisecond)
	expectNothing(t, onBOtherRoom, 10*time.Millisecond)

	// Revoke on A closes u1's subscription of the room on B, and only that one.
	a.Revoke(room, "u1")
	if ev := mustRecv(t, onA, time.Second); ev.Kind != KindAccessRevoked {
		t.Fatalf("A got %+v, want access_revoked", ev)
	}
	expectClosed(t, onA, time.Second)
	ev = mustRecv(t, onB, 2*time.Second)
	if ev.Kind != KindAccessRevoked || ev.RoomID != room || ev.Node != a.Node() {
		t.Fatalf("B got %+v, want access_revoked from A", ev)
	}
	expectClosed(t, onB, time.Second)
	if got := b.Subscribers(room); got != 1 {
		t.Fatalf("B: Subscribers = %d, want u2 left", got)
	}
	a.Publish(Event{RoomID: room, Kind: "signoff_recorded"})
	if ev := mustRecv(t, onBOtherUser, 2*time.Second); ev.Kind != "signoff_recorded" {
		t.Fatalf("u2 on B got %+v", ev)
	}
	expectNothing(t, onBOtherRoom, 10*time.Millisecond)
}

// TestPostgresBridgeReconnect kills A's connections: A reconnects, closes its local
// subscriptions (they may have missed events), and events flow again.
func TestPostgresBridgeReconnect(t *testing.T) {
	checkGoroutines(t)
	url, channel := bridgeDB(t)
	a := startNode(t, url, channel, 0)
	b := startNode(t, url, channel, 0)
	room := "room-" + channel

	onA, cancelA := subscribe(t, a, room, "u1")
	defer cancelA()

	ctx := context.Background()
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var killed int
	err = admin.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = $1`, "stshub-live-"+a.Node()).Scan(&killed)
	if err != nil {
		t.Fatal(err)
	}
	if killed != 2 {
		t.Fatalf("terminated %d backends of node A, want 2 (listen and notify)", killed)
	}

	// After the reconnect (1 s back-off, with jitter), A's subscriber is closed so its
	// client re-subscribes and re-fetches.
	expectClosed(t, onA, 5*time.Second)
	if !a.bridgeConnected() {
		t.Fatal("A's bridge is not connected after it closed its subscriptions")
	}

	onA2, cancelA2 := subscribe(t, a, room, "u1")
	defer cancelA2()
	onB, cancelB := subscribe(t, b, room, "u1")
	defer cancelB()
	b.Publish(Event{RoomID: room, Kind: "document_uploaded", Target: "after"})
	if ev := mustRecv(t, onA2, 2*time.Second); ev.Target != "after" {
		t.Fatalf("A got %+v", ev)
	}
	a.Publish(Event{RoomID: room, Kind: "document_uploaded", Target: "from-a"})
	if ev := mustRecv(t, onB, 2*time.Second); ev.Target != "after" {
		t.Fatalf("B got %+v", ev)
	}
	if ev := mustRecv(t, onB, 2*time.Second); ev.Target != "from-a" {
		t.Fatalf("B got %+v, want A's event after A reconnected", ev)
	}
}

// TestBridgeEndsSessions: a logout and the end of all a user's sessions on one node end
// the subscriptions of that session, or user, on the other within a second.
func TestBridgeEndsSessions(t *testing.T) {
	checkGoroutines(t)
	url, channel := bridgeDB(t)
	a := startNode(t, url, channel, 0)
	b := startNode(t, url, channel, 0)
	open := func(s Session) <-chan Event {
		ch, cancel, err := b.Subscribe("room-"+channel, s)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(cancel)
		return ch
	}
	s1 := open(Session{UserID: "u1", ID: "s1"})
	s2 := open(Session{UserID: "u1", ID: "s2"})
	u2 := open(Session{UserID: "u2", ID: "s1"})

	start := time.Now()
	a.EndSession("u1", "s1")
	if ev := mustRecv(t, s1, time.Second); ev.Kind != KindSessionEnded || ev.Node != a.Node() {
		t.Fatalf("got %+v", ev)
	}
	expectClosed(t, s1, time.Second)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("the stream ended after %v", d)
	}
	expectNothing(t, s2, 100*time.Millisecond)

	a.EndUserSessions("u1")
	if ev := mustRecv(t, s2, time.Second); ev.Kind != KindSessionEnded {
		t.Fatalf("got %+v", ev)
	}
	expectClosed(t, s2, time.Second)
	expectNothing(t, u2, 100*time.Millisecond)
}

package live

import (
	"log/slog"
	"runtime"
	"testing"
	"time"
)

// checkGoroutines fails the test if, once its other cleanups have run, the number of
// goroutines does not come back to what it was when checkGoroutines was called. Call it
// first in a test so that its cleanup runs last. Tests that use it must not be parallel.
func checkGoroutines(t *testing.T) {
	t.Helper()
	base := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for {
			n := runtime.NumGoroutine()
			if n <= base {
				return
			}
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				buf = buf[:runtime.Stack(buf, true)]
				t.Errorf("goroutine leak: %d at start, %d after cleanup\n%s", base, n, buf)
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// testLogger logs to the test's output (shown with -v or when the test fails).
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// recv waits up to d for an event; ok is false if the channel was closed.
func recv(t *testing.T, ch <-chan Event, d time.Duration) (ev Event, ok bool) {
	t.Helper()
	select {
	case ev, ok = <-ch:
		return ev, ok
	case <-time.After(d):
		t.Fatalf("no event within %v", d)
		return Event{}, false
	}
}

// mustRecv waits up to d for an event and fails if the channel was closed.
func mustRecv(t *testing.T, ch <-chan Event, d time.Duration) Event {
	t.Helper()
	ev, ok := recv(t, ch, d)
	if !ok {
		t.Fatalf("channel closed, want an event")
	}
	return ev
}

// expectNothing fails if an event arrives (or the channel closes) within d.
func expectNothing(t *testing.T, ch <-chan Event, d time.Duration) {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if ok {
			t.Fatalf("unexpected event %+v", ev)
		}
		t.Fatalf("channel unexpectedly closed")
	case <-time.After(d):
	}
}

// expectClosed fails unless ch is closed (without further events) within d.
func expectClosed(t *testing.T, ch <-chan Event, d time.Duration) {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if ok {
			t.Fatalf("want closed channel, got event %+v", ev)
		}
	case <-time.After(d):
		t.Fatalf("channel not closed within %v", d)
	}
}

// waitFor polls cond until it holds, failing after d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// subscribe subscribes user to room on b, without a session that ends, failing the test
// when refused.
func subscribe(t testing.TB, b *Broker, room, user string) (<-chan Event, func()) {
	t.Helper()
	ch, cancel, err := b.Subscribe(room, Session{UserID: user})
	if err != nil {
		t.Fatalf("subscribe %s to %s: %v", user, room, err)
	}
	return ch, cancel
}

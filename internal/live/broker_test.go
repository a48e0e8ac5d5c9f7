package live

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

const short = 50 * time.Millisecond

func TestPublishFanOut(t *testing.T) {
	checkGoroutines(t)
	b := NewBroker(testLogger(t))

	var subs []<-chan Event
	var cancels []func()
	for i := range 3 {
		ch, cancel := subscribe(t, b, "room-a", fmt.Sprintf("user-%d", i))
		subs = append(subs, ch)
		cancels = append(cancels, cancel)
	}
	other, cancelOther := subscribe(t, b, "room-b", "user-0")
	defer cancelOther()
	if got := b.Subscribers("room-a"); got != 3 {
		t.Fatalf("Subscribers(room-a) = %d, want 3", got)
	}

	before := time.Now()
	b.Publish(Event{RoomID: "room-a", Kind: "document_approved", Target: "doc-1", Node: "forged"})
	for i, ch := range subs {
		ev := mustRecv(t, ch, time.Second)
		if ev.RoomID != "room-a" || ev.Kind != "document_approved" || ev.Target != "doc-1" {
			t.Errorf("subscriber %d got %+v", i, ev)
		}
		if ev.Node != b.Node() {
			t.Errorf("subscriber %d: Node = %q, want the broker's %q", i, ev.Node, b.Node())
		}
		if ev.At.Before(before.Add(-time.Second)) || ev.At.Location() != time.UTC {
			t.Errorf("subscriber %d: At = %v, want now in UTC", i, ev.At)
		}
		expectNothing(t, ch, 10*time.Millisecond)
	}
	expectNothing(t, other, short)

	// cancel stops delivery, closes the channel, and is idempotent.
	cancels[0]()
	cancels[0]()
	expectClosed(t, subs[0], time.Second)
	if got := b.Subscribers("room-a"); got != 2 {
		t.Fatalf("after cancel: Subscribers(room-a) = %d, want 2", got)
	}
	b.Publish(Event{RoomID: "room-a", Kind: "signoff_recorded"})
	for _, ch := range subs[1:] {
		if ev := mustRecv(t, ch, time.Second); ev.Kind != "signoff_recorded" {
			t.Fatalf("got %+v", ev)
		}
	}
	cancels[1]()
	cancels[2]()
	cancels[2]()
	if got := b.Subscribers("room-a"); got != 0 {
		t.Fatalf("after all cancels: Subscribers(room-a) = %d, want 0", got)
	}
	// Publishing to a room without subscribers is fine.
	b.Publish(Event{RoomID: "room-a", Kind: "signoff_recorded"})
	b.Publish(Event{RoomID: "nobody", Kind: "signoff_recorded"})
}

func TestPublishRefusesAccessRevoked(t *testing.T) {
	b := NewBroker(nil)
	ch, cancel := subscribe(t, b, "room", "u1")
	defer cancel()
	b.Publish(Event{RoomID: "room", Kind: KindAccessRevoked})
	expectNothing(t, ch, short)
}

func TestSlowSubscriberDropped(t *testing.T) {
	checkGoroutines(t)
	b := NewBroker(testLogger(t))
	slow, cancel := subscribe(t, b, "room", "slow")
	defer cancel()

	start := time.Now()
	for i := range 1000 {
		b.Publish(Event{RoomID: "room", Kind: "document_uploaded", Target: fmt.Sprint(i)})
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("1000 Publish calls took %v", d)
	}
	if got := b.Subscribers("room"); got != 0 {
		t.Fatalf("Subscribers = %d, want the slow one dropped", got)
	}
	// It got what fitted in its buffer (minus the slot kept for access_revoked), in
	// order, then the channel is closed.
	n := 0
	for ev := range slow {
		if ev.Target != fmt.Sprint(n) {
			t.Fatalf("event %d has target %q", n, ev.Target)
		}
		n++
	}
	if n != SubscriberBuffer-1 {
		t.Fatalf("slow subscriber got %d events before close, want %d", n, SubscriberBuffer-1)
	}
	cancel() // after the broker closed it: still safe

	// The room still works for new subscribers.
	ch, cancel2 := subscribe(t, b, "room", "fresh")
	defer cancel2()
	b.Publish(Event{RoomID: "room", Kind: "document_uploaded"})
	mustRecv(t, ch, time.Second)
}

func TestRevoke(t *testing.T) {
	checkGoroutines(t)
	b := NewBroker(testLogger(t))
	u1a, c1 := subscribe(t, b, "room", "u1")
	defer c1()
	u1b, c2 := subscribe(t, b, "room", "u1") // a second tab
	defer c2()
	u1other, c3 := subscribe(t, b, "other-room", "u1")
	defer c3()
	u2, c4 := subscribe(t, b, "room", "u2")
	defer c4()

	// u1's first tab is not reading: its buffer holds all it may before it is dropped,
	// and the access_revoked event still fits in the slot kept for it.
	for range SubscriberBuffer - 1 {
		b.Publish(Event{RoomID: "room", Kind: "document_uploaded"})
		mustRecv(t, u1b, time.Second)
		mustRecv(t, u2, time.Second)
	}
	if got := b.Subscribers("room"); got != 3 {
		t.Fatalf("Subscribers(room) = %d, want 3", got)
	}

	b.Revoke("room", "u1")

	for range SubscriberBuffer - 1 {
		if ev := mustRecv(t, u1a, time.Second); ev.Kind != "document_uploaded" {
			t.Fatalf("got %+v, want the buffered events first", ev)
		}
	}
	for name, ch := range map[string]<-chan Event{"u1 tab 1": u1a, "u1 tab 2": u1b} {
		ev := mustRecv(t, ch, time.Second)
		if ev.Kind != KindAccessRevoked || ev.RoomID != "room" || ev.Node != b.Node() || ev.At.IsZero() {
			t.Fatalf("%s: got %+v, want access_revoked", name, ev)
		}
		expectClosed(t, ch, time.Second)
	}
	if got := b.Subscribers("room"); got != 1 {
		t.Fatalf("after Revoke: Subscribers(room) = %d, want 1 (u2)", got)
	}

	// u2 in the room and u1 in another room are untouched.
	b.Publish(Event{RoomID: "room", Kind: "signoff_recorded"})
	b.Publish(Event{RoomID: "other-room", Kind: "signoff_recorded"})
	if ev := mustRecv(t, u2, time.Second); ev.Kind != "signoff_recorded" {
		t.Fatalf("u2 got %+v", ev)
	}
	if ev := mustRecv(t, u1other, time.Second); ev.Kind != "signoff_recorded" {
		t.Fatalf("u1 in other room got %+v", ev)
	}

	// Revoking a user without subscriptions is a no-op.
	b.Revoke("room", "nobody")
	b.Revoke("nowhere", "u1")
	expectNothing(t, u2, short)
}

func TestClose(t *testing.T) {
	checkGoroutines(t)
	b := NewBroker(nil)
	ch, cancel := subscribe(t, b, "room", "u1")
	b.Close()
	expectClosed(t, ch, time.Second)
	cancel()
	late, cancelLate := subscribe(t, b, "room", "u1")
	expectClosed(t, late, time.Second)
	cancelLate()
	cancelLate()
	b.Close()
	b.Publish(Event{RoomID: "room", Kind: "x"})
	b.Revoke("room", "u1")
	if got := b.Subscribers("room"); got != 0 {
		t.Fatalf("Subscribers = %d", got)
	}
}

// TestConcurrentUse exercises every method from many goroutines, for the race detector
// and for "send on closed channel" panics.
func TestConcurrentUse(t *testing.T) {
	checkGoroutines(t)
	b := NewBroker(nil)
	rooms := []string{"r1", "r2", "r3"}
	var wg sync.WaitGroup
	stop := make(chan struct{})

	for i := range 20 {
		wg.Go(func() {
			room := rooms[i%len(rooms)]
			user := fmt.Sprintf("u%d", i%4)
			for j := 0; ; j++ {
				select {
				case <-stop:
					return
				default:
				}
				ch, cancel, err := b.Subscribe(room, Session{UserID: user})
				if err != nil {
					t.Error(err)
					return
				}
				// Read a few, sometimes none (to get dropped), then cancel.
				for range j % 5 {
					select {
					case <-ch:
					case <-time.After(time.Millisecond):
					}
				}
				cancel()
				if j%3 == 0 {
					cancel()
				}
			}
		})
	}
	for i := range 4 {
		wg.Go(func() {
			for j := 0; ; j++ {
				select {
				case <-stop:
					return
				default:
				}
				b.Publish(Event{RoomID: rooms[j%len(rooms)], Kind: "document_uploaded"})
				if j%50 == 0 {
					b.Revoke(rooms[j%len(rooms)], fmt.Sprintf("u%d", i))
				}
				_ = b.Subscribers(rooms[j%len(rooms)])
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()
	for _, r := range rooms {
		if got := b.Subscribers(r); got != 0 {
			t.Errorf("Subscribers(%s) = %d after every subscription was cancelled", r, got)
		}
	}
}

func TestRunPostgresBridgeErrors(t *testing.T) {
	checkGoroutines(t)
	b := NewBroker(testLogger(t))
	if err := b.RunPostgresBridge(context.Background(), "postgres://%zz"); err == nil {
		t.Fatal("want an error for an unparsable DSN")
	}

	// An unreachable server: the bridge keeps retrying, Publish and Revoke do not block,
	// and it returns nil when ctx ends.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- b.RunPostgresBridge(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1")
	}()
	waitFor(t, 2*time.Second, "bridge to start", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.bridge != nil
	})
	if err := b.RunPostgresBridge(ctx, "postgres://nobody@127.0.0.1:1/none"); err == nil {
		t.Error("a second bridge on the same broker should be refused")
	}
	ch, c := subscribe(t, b, "room", "u1")
	defer c()
	start := time.Now()
	for range 3 * outboxEvents {
		b.Publish(Event{RoomID: "room", Kind: "document_uploaded"})
		<-ch
	}
	b.Revoke("room", "u1")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Publish with the bridge down took %v", d)
	}
	if b.bridgeConnected() {
		t.Error("bridge reports connected to an unreachable server")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("RunPostgresBridge returned %v after ctx ended, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("RunPostgresBridge did not return after ctx ended")
	}
}

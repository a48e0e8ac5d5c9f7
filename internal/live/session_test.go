package live

import (
	"errors"
	"testing"
	"time"
)

// TestEndSession: a logout ends the subscriptions of that session alone, in every room; the
// end of all a user's sessions ends every one of theirs; each gets session_ended, then the
// channel closes.
func TestEndSession(t *testing.T) {
	checkGoroutines(t)
	b := NewBroker(testLogger(t))
	open := func(room string, s Session) <-chan Event {
		ch, cancel, err := b.Subscribe(room, s)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(cancel)
		return ch
	}
	tab1 := open("room-a", Session{UserID: "u1", ID: "s1"})
	tab2 := open("room-b", Session{UserID: "u1", ID: "s1"})
	otherSession := open("room-a", Session{UserID: "u1", ID: "s2"})
	otherUser := open("room-a", Session{UserID: "u2", ID: "s1"}) // IDs are only compared within a user

	b.EndSession("u1", "s1")
	for name, ch := range map[string]<-chan Event{"tab 1": tab1, "tab 2": tab2} {
		ev := mustRecv(t, ch, time.Second)
		if ev.Kind != KindSessionEnded || ev.RoomID == "" || ev.Node != b.Node() {
			t.Fatalf("%s got %+v, want session_ended in its room", name, ev)
		}
		expectClosed(t, ch, time.Second)
	}
	expectNothing(t, otherSession, 50*time.Millisecond)
	expectNothing(t, otherUser, 10*time.Millisecond)

	b.EndUserSessions("u1")
	if ev := mustRecv(t, otherSession, time.Second); ev.Kind != KindSessionEnded {
		t.Fatalf("got %+v", ev)
	}
	expectClosed(t, otherSession, time.Second)
	expectNothing(t, otherUser, 50*time.Millisecond)

	b.Publish(Event{RoomID: "room-a", Kind: KindSessionEnded})
	expectNothing(t, otherUser, 50*time.Millisecond)
	b.EndSession("u2", "") // names no session
	expectNothing(t, otherUser, 50*time.Millisecond)
}

// TestSessionExpiry: a subscription ends by itself when its session lapses, with no call
// from anyone; one already lapsed ends at once.
func TestSessionExpiry(t *testing.T) {
	checkGoroutines(t)
	b := NewBroker(testLogger(t))
	start := time.Now()
	ch, cancel, err := b.Subscribe("room", Session{UserID: "u1", ID: "s1", ExpiresAt: start.Add(150 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	b.Publish(Event{RoomID: "room", Kind: "room_updated"})
	if ev := mustRecv(t, ch, time.Second); ev.Kind != "room_updated" {
		t.Fatalf("got %+v", ev)
	}
	ev := mustRecv(t, ch, 2*time.Second)
	if ev.Kind != KindSessionEnded || time.Since(start) < 150*time.Millisecond {
		t.Fatalf("got %+v after %v, want session_ended at the expiry", ev, time.Since(start))
	}
	expectClosed(t, ch, time.Second)

	lapsed, cancel2, err := b.Subscribe("room", Session{UserID: "u1", ID: "s0", ExpiresAt: start.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	defer cancel2()
	if ev := mustRecv(t, lapsed, time.Second); ev.Kind != KindSessionEnded {
		t.Fatalf("lapsed session got %+v", ev)
	}
	expectClosed(t, lapsed, time.Second)
	if n := b.Subscribers("room"); n != 0 {
		t.Fatalf("%d subscribers left", n)
	}
}

// TestStreamsPerUser: the MaxStreamsPerUser+1st subscription of a user is refused, in any
// room; another user is not affected; a closed one makes room again, also when the broker
// closed it.
func TestStreamsPerUser(t *testing.T) {
	b := NewBroker(testLogger(t))
	var cancels []func()
	for i := range MaxStreamsPerUser {
		_, cancel := subscribe(t, b, []string{"room-a", "room-b"}[i%2], "u1")
		cancels = append(cancels, cancel)
	}
	if _, _, err := b.Subscribe("room-c", Session{UserID: "u1"}); !errors.Is(err, ErrTooManyStreams) {
		t.Fatalf("stream %d: err %v, want ErrTooManyStreams", MaxStreamsPerUser+1, err)
	}
	_, cancelOther := subscribe(t, b, "room-a", "u2")
	defer cancelOther()
	cancels[0]()
	cancels[0]() // idempotent: counts once
	_, cancelAgain := subscribe(t, b, "room-c", "u1")
	defer cancelAgain()
	if _, _, err := b.Subscribe("room-c", Session{UserID: "u1"}); !errors.Is(err, ErrTooManyStreams) {
		t.Fatalf("after one closed and one opened: %v", err)
	}
	b.Revoke("room-a", "u1") // ends u1's streams of room-a (3 of the remaining 8)
	for range 3 {
		_, cancel := subscribe(t, b, "room-d", "u1")
		defer cancel()
	}
	for _, c := range cancels {
		c()
	}
}

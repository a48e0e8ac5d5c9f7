package live

import (
	"testing"
	"time"
)

// TestPublishToUser: a per-user event reaches every subscription of its user — to any room
// and to none — with each subscription's room, and never another user's.
func TestPublishToUser(t *testing.T) {
	checkGoroutines(t)
	b := NewBroker(testLogger(t))
	inRoom, cancel1 := subscribe(t, b, "room-1", "u1")
	defer cancel1()
	outside, cancel2, err := b.SubscribeUser(Session{UserID: "u1"})
	if err != nil {
		t.Fatal(err)
	}
	defer cancel2()
	other, cancel3 := subscribe(t, b, "room-1", "u2")
	defer cancel3()
	otherOutside, cancel4, err := b.SubscribeUser(Session{UserID: "u2"})
	if err != nil {
		t.Fatal(err)
	}
	defer cancel4()

	b.PublishToUser("u1", KindNotification)
	if ev := mustRecv(t, inRoom, time.Second); ev.Kind != KindNotification || ev.RoomID != "room-1" {
		t.Fatalf("u1 in the room got %+v", ev)
	}
	if ev := mustRecv(t, outside, time.Second); ev.Kind != KindNotification || ev.RoomID != "" {
		t.Fatalf("u1 outside rooms got %+v", ev)
	}
	expectNothing(t, other, 50*time.Millisecond)
	expectNothing(t, otherOutside, 10*time.Millisecond)

	// A room's events do not reach the subscriptions outside rooms, and an event without a
	// room is refused rather than sent to them all.
	b.Publish(Event{RoomID: "room-1", Kind: "document_approved"})
	mustRecv(t, inRoom, time.Second)
	mustRecv(t, other, time.Second)
	b.Publish(Event{Kind: "document_approved"})
	expectNothing(t, outside, 50*time.Millisecond)
	expectNothing(t, otherOutside, 10*time.Millisecond)

	// A final kind is not a per-user event: it would end the user's streams.
	b.PublishToUser("u1", KindSessionEnded)
	expectNothing(t, outside, 50*time.Millisecond)
}

// TestPostgresBridgePublishToUser: a per-user event published on one node reaches the
// user's subscriptions on the other, and no other user's.
func TestPostgresBridgePublishToUser(t *testing.T) {
	checkGoroutines(t)
	url, channel := bridgeDB(t)
	a := startNode(t, url, channel, 0)
	b := startNode(t, url, channel, 0)
	onB, cancel1, err := b.SubscribeUser(Session{UserID: "u1"})
	if err != nil {
		t.Fatal(err)
	}
	defer cancel1()
	otherOnB, cancel2 := subscribe(t, b, "room-"+channel, "u2")
	defer cancel2()

	a.PublishToUser("u1", KindNotification)
	if ev := mustRecv(t, onB, 2*time.Second); ev.Kind != KindNotification || ev.Node != a.Node() {
		t.Fatalf("B got %+v", ev)
	}
	expectNothing(t, otherOnB, 200*time.Millisecond)
}

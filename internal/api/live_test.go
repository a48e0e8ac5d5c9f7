package api_test

import (
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/live"
)

// subscribe opens a subscription of userID to room on env's broker, with no session end.
func subscribe(t *testing.T, env *apptest.Env, room, userID string) (<-chan live.Event, func()) {
	t.Helper()
	events, cancel, err := env.App.Events().Subscribe(room, live.Session{UserID: userID})
	if err != nil {
		t.Fatal(err)
	}
	return events, cancel
}

func nextEvent(t *testing.T, ch <-chan live.Event) (live.Event, bool) {
	t.Helper()
	select {
	case ev, ok := <-ch:
		return ev, ok
	case <-time.After(3 * time.Second):
		t.Fatal("no live event within 3 s")
	}
	return live.Event{}, false
}

// TestChangesAreAnnouncedAfterCommit: committed changes reach the room's live subscribers,
// refused ones do not, and a removed party's stream is revoked.
func TestChangesAreAnnouncedAfterCommit(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		buyerID := env.CreateUser("supply@adriatic.test")
		broker := env.Login("broker@valletta.test")
		buyer := env.Login("supply@adriatic.test")
		room := newRoom(t, env, broker)
		party := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/parties", broker, map[string]string{"email": "supply@adriatic.test", "role": "buyer"}), 201)

		events, cancel := subscribe(t, env, room, "watcher")
		defer cancel()
		buyerEvents, cancelBuyer := subscribe(t, env, room, buyerID)
		defer cancelBuyer()

		must(t, env.Do("PATCH", "/api/v1/rooms/"+room, buyer, map[string]string{"title": "refused"}), 403)
		must(t, env.Do("PATCH", "/api/v1/rooms/"+room, broker, map[string]string{"title": "Renamed"}), 200)
		if ev, _ := nextEvent(t, events); ev.Kind != "room_updated" || ev.RoomID != room {
			t.Fatalf("first event %+v, want room_updated (the refused change must announce nothing)", ev)
		}
		must(t, env.Do("DELETE", "/api/v1/rooms/"+room+"/parties/"+party["id"].(string), broker, nil), 204)
		for {
			ev, ok := nextEvent(t, buyerEvents)
			if !ok {
				break
			}
			if ev.Kind == live.KindAccessRevoked {
				if _, ok := nextEvent(t, buyerEvents); ok {
					t.Fatal("the revoked stream stays open")
				}
				break
			}
		}
		if ev, _ := nextEvent(t, events); ev.Kind != "party_removed" {
			t.Fatalf("watcher got %+v, want party_removed", ev)
		}
	})
}

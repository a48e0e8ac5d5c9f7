package service_test

import (
	"testing"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store"
)

// newBroker creates and logs in a broker.
func newBroker(t *testing.T, env *apptest.Env) service.Actor {
	t.Helper()
	env.CreateUser("broker@valletta.test")
	l, err := env.App.Service().Login(t.Context(), "broker@valletta.test", apptest.Password)
	if err != nil {
		t.Fatal(err)
	}
	return service.Actor{UserID: l.User.ID, Email: l.User.Email}
}

// newRoom creates a room whose operation is five days away.
func newRoom(t *testing.T, env *apptest.Env, broker service.Actor, title string) store.Room {
	t.Helper()
	room, err := env.App.Service().CreateRoom(t.Context(), broker, service.NewRoom{RoomFields: clearance.RoomFields{Title: title,
		Location: "Hurd's Bank", STSETA: env.Now().AddDate(0, 0, 5)}})
	if err != nil {
		t.Fatal(err)
	}
	return room.Room
}

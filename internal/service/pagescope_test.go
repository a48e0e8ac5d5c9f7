package service_test

import (
	"errors"
	"testing"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/service"
)

// TestPageScopeReadsMembershipOnce checks that the reads of one page scope share the
// caller's membership, and that a write inside the scope makes the next read look again,
// so a party removed after that write is refused at once.
func TestPageScopeReadsMembershipOnce(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.StopBackground()
		svc, db := env.App.Service(), env.App.DB()
		broker := newBroker(t, env)
		room := newRoom(t, env, broker, "Page scope")
		env.CreateUser("vetting@mediterra.test")
		party, err := svc.AddParty(t.Context(), broker, room.ID, service.NewParty{Email: "vetting@mediterra.test", Role: "charterer"})
		if err != nil {
			t.Fatal(err)
		}
		l, err := svc.Login(t.Context(), "vetting@mediterra.test", apptest.Password)
		if err != nil {
			t.Fatal(err)
		}
		charterer := service.Actor{UserID: l.User.ID, Email: l.User.Email}

		statements := func(read func() error) int64 {
			t.Helper()
			before := db.Statements()
			if err := read(); err != nil {
				t.Fatal(err)
			}
			return db.Statements() - before
		}
		alone := statements(func() error { _, err := svc.ListVessels(t.Context(), charterer, room.ID); return err })

		ctx := service.PageScope(t.Context())
		first := statements(func() error { _, err := svc.ListVessels(ctx, charterer, room.ID); return err })
		second := statements(func() error { _, err := svc.ListVessels(ctx, charterer, room.ID); return err })
		if first != alone || second != alone-1 {
			t.Fatalf("statements: %d alone, %d then %d in one scope; want %d then %d", alone, first, second, alone, alone-1)
		}
		if _, err := svc.RoomActions(ctx, charterer, room.ID); err != nil {
			t.Fatal(err)
		}
		if n := statements(func() error { _, err := svc.RoomActions(ctx, charterer, room.ID); return err }); n != 0 {
			t.Fatalf("RoomActions in a scope that read the membership sent %d statements", n)
		}

		// A write in the scope, then the charterer's removal: the scope's next read looks again.
		title := "Page scope, renamed"
		if _, err := svc.UpdateRoom(ctx, charterer, room.ID, service.RoomPatch{Title: &title}); err != nil {
			t.Fatal(err)
		}
		if err := svc.RemoveParty(t.Context(), broker, room.ID, party.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ListVessels(ctx, charterer, room.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("a removed party read the room after a write in its scope: %v", err)
		}
	})
}

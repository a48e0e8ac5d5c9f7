package service_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/mail/mailtest"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestDigestHoldsNoRoom (review W8): the digest reads the rooms of the notifications it
// lists without locking them, so it goes out while a room use case holds the room's row
// (on PostgreSQL; on SQLite the one writer serialises every transaction, nothing to hold).
func TestDigestHoldsNoRoom(t *testing.T) {
	for _, engine := range storetest.Engines() {
		if engine == "sqlite" {
			continue
		}
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			srv := mailtest.Start(t)
			env := apptest.New(t, engine, srv.Use)
			svc := env.App.Service()
			broker := newBroker(t, env)
			room := newRoom(t, env, broker, "Locked STS")
			if _, err := svc.SetNotificationPreferences(ctx, broker, map[string]string{"review_requested": "digest"}); err != nil {
				t.Fatal(err)
			}
			env.CreateUser("owner@lock.test")
			p, err := svc.AddParty(ctx, broker, room.ID, service.NewParty{Email: "owner@lock.test", Role: "owner"})
			if err != nil {
				t.Fatal(err)
			}
			l, err := svc.Login(ctx, "owner@lock.test", apptest.Password)
			if err != nil {
				t.Fatal(err)
			}
			ship, err := svc.AddVessel(ctx, broker, room.ID, clearance.VesselParticulars{Name: "MT AEGEAN SERENITY", IMO: "9372145",
				Role: clearance.VesselDischarging}, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			owner := service.Actor{UserID: l.User.ID, Email: l.User.Email}
			if _, err := svc.Upload(ctx, owner, room.ID, service.UploadInput{TypeCode: "Q88", VesselID: ship.ID, Filename: "q88.pdf",
				File: bytes.NewReader(apptest.PDF("Q88"))}); err != nil {
				t.Fatal(err) // the broker's review request waits for its digest
			}
			now := env.Now().UTC()
			env.Advance(time.Date(now.Year(), now.Month(), now.Day()+1, 7, 0, 0, 0, time.UTC).Sub(now))

			err = env.App.DB().InTx(ctx, func(tx store.Q) error {
				if err := tx.LockRoom(ctx, room.ID); err != nil {
					return err
				}
				done := make(chan error, 1)
				go func() { _, err := svc.SendDigests(ctx); done <- err }()
				select {
				case err := <-done:
					return err
				case <-time.After(5 * time.Second):
					t.Error("the digest waited for the room's row")
					return nil
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			srv.WaitFor(t, "broker@valletta.test", "daily STS Clearance Hub digest")
		})
	}
}

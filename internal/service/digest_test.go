package service_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// TestDigestFailureOfOneUser (review W8): one user's digest failing does not stop the
// others': they get theirs, SendDigests reports the failure, and the failed user's digest
// goes out on the next round, once.
func TestDigestFailureOfOneUser(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		env.StopBackground() // the rounds are the test's own
		svc := env.App.Service()
		broker := newBroker(t, env) // the first user of the room, the first in the digest's order
		room := newRoom(t, env, broker, "Digest STS")
		env.CreateUser("owner@digest.test")
		p, err := svc.AddParty(ctx, broker, room.ID, service.NewParty{Email: "owner@digest.test", Role: "owner"})
		if err != nil {
			t.Fatal(err)
		}
		l, err := svc.Login(ctx, "owner@digest.test", apptest.Password)
		if err != nil {
			t.Fatal(err)
		}
		owner := service.Actor{UserID: l.User.ID, Email: l.User.Email}
		ship, err := svc.AddVessel(ctx, broker, room.ID, clearance.VesselParticulars{Name: "MT AEGEAN SERENITY", IMO: "9372145",
			Role: clearance.VesselDischarging}, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		d, err := svc.Upload(ctx, owner, room.ID, service.UploadInput{TypeCode: "CLASS", VesselID: ship.ID, Filename: "class.pdf",
			ExpiresOn: env.Now().AddDate(0, 0, 10).UTC().Format(time.DateOnly), File: bytes.NewReader(apptest.PDF("CLASS"))})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ApproveDocument(ctx, broker, room.ID, d.ID, service.ApproveInput{}); err != nil {
			t.Fatal(err)
		}
		now := env.Now().UTC()
		env.Advance(time.Date(now.Year(), now.Month(), now.Day()+1, 7, 0, 0, 0, time.UTC).Sub(now))
		broken := errors.New("the broker's digest broke")
		service.SetBeforeDigest(svc, func(userID string) error {
			if userID == broker.UserID {
				return broken
			}
			return nil
		})
		lapsing := func(u service.Actor) int {
			t.Helper()
			page, err := svc.ListNotifications(ctx, u, service.PageRequest{})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, it := range page.Items {
				if it.Kind == string(clearance.NotifyLapsing) {
					n++
				}
			}
			return n
		}
		if _, err := svc.SendDigests(ctx); !errors.Is(err, broken) || !strings.Contains(err.Error(), broker.UserID) {
			t.Fatalf("SendDigests with the broker's digest failing: %v", err)
		}
		if b, o := lapsing(broker), lapsing(owner); b != 0 || o != 1 {
			t.Fatalf("after a round with the broker's digest failing: the broker has %d lapsing notices, the owner %d; want 0 and 1", b, o)
		}
		service.SetBeforeDigest(svc, nil)
		for range 2 {
			if _, err := svc.SendDigests(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if b, o := lapsing(broker), lapsing(owner); b != 1 || o != 1 {
			t.Errorf("after the next rounds: the broker has %d lapsing notices, the owner %d; want one each", b, o)
		}
	})
}

package service_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// TestNotificationsFollowVisibility: a notice about a document reaches only the parties that
// may see it, by the rule of the room's pages — a SIRE report (confidential to the
// coordinators and its vessel's own party) reaches neither the cargo parties, the viewers
// nor the owner of the other ship; a Q88 every role sees reaches them all; never the actor.
func TestNotificationsFollowVisibility(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		svc := env.App.Service()
		broker := newBroker(t, env)
		room := newRoom(t, env, broker, "Visibility STS")
		users := map[string]service.Actor{}
		parties := map[string]string{}
		for _, who := range []string{"charterer", "owner", "other-owner", "seller", "viewer"} {
			email := who + "@visibility.test"
			env.CreateUser(email)
			role := who
			if who == "other-owner" {
				role = "owner"
			}
			p, err := svc.AddParty(ctx, broker, room.ID, service.NewParty{Email: email, Role: role})
			if err != nil {
				t.Fatal(err)
			}
			parties[who] = p.ID
			l, err := svc.Login(ctx, email, apptest.Password)
			if err != nil {
				t.Fatal(err)
			}
			users[who] = service.Actor{UserID: l.User.ID, Email: l.User.Email}
		}
		ship, err := svc.AddVessel(ctx, broker, room.ID, clearance.VesselParticulars{Name: "MT AEGEAN SERENITY", IMO: "9372145",
			Role: clearance.VesselDischarging}, parties["owner"])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddVessel(ctx, broker, room.ID, clearance.VesselParticulars{Name: "MT NORDIC STAR", IMO: "9380362",
			Role: clearance.VesselReceiving}, parties["other-owner"]); err != nil {
			t.Fatal(err)
		}
		for code, told := range map[string][]string{
			"SIRE": {"charterer", "owner"},
			"Q88":  {"charterer", "owner", "other-owner", "seller", "viewer"},
		} {
			in := service.UploadInput{TypeCode: code, VesselID: ship.ID, Filename: code + ".pdf", File: bytes.NewReader(apptest.PDF(code))}
			if code == "SIRE" {
				in.PerformedAt = env.Now().AddDate(0, 0, -1).UTC().Format(time.RFC3339)
			}
			d, err := svc.Upload(ctx, users["owner"], room.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			id := d.ID
			if err := service.NotifyAllWhoSee(svc, ctx, broker, room.ID, id, "A question on "+code); err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{}
			for _, w := range told {
				want[w] = true
			}
			for who, u := range users {
				if got := countTitled(t, svc, u, "A question on "+code); got != map[bool]int{true: 1}[want[who]] {
					t.Errorf("%s: the %s has %d notifications of it", code, who, got)
				}
			}
			if got := countTitled(t, svc, broker, "A question on "+code); got != 0 {
				t.Errorf("%s: the actor was told of their own doing", code)
			}
		}
	})
}

func countTitled(t *testing.T, svc *service.Service, u service.Actor, title string) int {
	t.Helper()
	p, err := svc.ListNotifications(context.Background(), u, service.PageRequest{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, it := range p.Items {
		if it.Title == title {
			n++
		}
	}
	return n
}

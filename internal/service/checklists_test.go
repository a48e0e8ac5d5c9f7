package service_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestSeedChecklistTemplatesOnce: nodes starting together on one empty database seed the
// templates once, and none of them fails to start.
func TestSeedChecklistTemplatesOnce(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			db := storetest.Open(t, engine)
			var wg sync.WaitGroup
			errs := make([]error, 4)
			for i := range errs {
				svc, err := service.New(db, service.Options{PasswordParams: apptest.FastPasswords})
				if err != nil {
					t.Fatal(err)
				}
				wg.Go(func() { errs[i] = svc.SeedChecklistTemplates(t.Context()) })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("node %d: %v", i, err)
				}
			}
			n, err := db.Read().CountChecklistTemplates(t.Context())
			if err != nil || n != len(clearance.DefaultChecklists()) {
				t.Fatalf("%d templates (%v), want %d", n, err, len(clearance.DefaultChecklists()))
			}
		})
	}
}

// TestUnsignedChecklistNames: the lifecycle asks which checklists of some phases are not
// signed yet, by vessel (in the order they were added) and phase.
func TestUnsignedChecklistNames(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		svc := env.App.Service()
		ctx := t.Context()
		env.CreateUser("broker@valletta.test")
		env.CreateUser("ops@aegean.test")
		login := func(email string) service.Actor {
			l, err := svc.Login(ctx, email, apptest.Password)
			if err != nil {
				t.Fatal(err)
			}
			return service.Actor{UserID: l.User.ID, Email: l.User.Email}
		}
		broker, owner := login("broker@valletta.test"), login("ops@aegean.test")
		room, err := svc.CreateRoom(ctx, broker, service.NewRoom{RoomFields: clearance.RoomFields{Title: "Malta STS", Location: "Hurd's Bank", STSETA: env.Now().AddDate(0, 0, 3)}})
		if err != nil {
			t.Fatal(err)
		}
		ownerParty, err := svc.AddParty(ctx, broker, room.ID, service.NewParty{Email: owner.Email, Role: "owner"})
		if err != nil {
			t.Fatal(err)
		}
		names := func(phases ...int) []string {
			t.Helper()
			got, err := svc.UnsignedChecklistNames(ctx, env.App.DB().Read(), room.ID, phases...)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := names(1, 2); len(got) != 0 {
			t.Fatalf("a room without vessels: %q", got)
		}
		var vessels []clearance.Vessel
		for _, p := range []clearance.VesselParticulars{
			{Name: "MT AEGEAN SERENITY", IMO: "9372145", Role: "discharging"},
			{Name: "MT LEVANT PIONEER", IMO: "9455832", Role: "receiving"},
		} {
			v, err := svc.AddVessel(ctx, broker, room.ID, p, ownerParty.ID)
			if err != nil {
				t.Fatal(err)
			}
			vessels = append(vessels, v)
		}
		want := []string{
			"checklist 1 (Pre-fixture information) of MT AEGEAN SERENITY is not signed",
			"checklist 2 (Before operations commence) of MT AEGEAN SERENITY is not signed",
			"checklist 1 (Pre-fixture information) of MT LEVANT PIONEER is not signed",
			"checklist 2 (Before operations commence) of MT LEVANT PIONEER is not signed",
		}
		if got := names(1, 2); !slices.Equal(got, want) {
			t.Fatalf("phases 1 and 2:\n got %q\nwant %q", got, want)
		}
		if got := names(); len(got) != 10 {
			t.Fatalf("every phase: %d names, want 10: %q", len(got), got)
		}

		// The owner completes and signs the first vessel's checklist 1.
		lists, err := svc.ListChecklists(ctx, owner, room.ID)
		if err != nil {
			t.Fatal(err)
		}
		first := lists[0]
		if first.VesselID != vessels[0].ID || first.Phase != 1 {
			t.Fatalf("first checklist: vessel %s phase %d", first.VesselID, first.Phase)
		}
		for _, it := range first.Items {
			if _, err := svc.CheckChecklistItem(ctx, owner, room.ID, first.ID, it.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.SignChecklist(ctx, owner, room.ID, first.ID); err != nil {
			t.Fatal(err)
		}
		if got := names(1, 2); !slices.Equal(got, want[1:]) {
			t.Fatalf("after signing:\n got %q\nwant %q", got, want[1:])
		}
		if got := names(5); !slices.Equal(got, []string{
			"checklist 5 (Before unmooring) of MT AEGEAN SERENITY is not signed",
			"checklist 5 (Before unmooring) of MT LEVANT PIONEER is not signed",
		}) {
			t.Fatalf("phase 5: %q", got)
		}
		if got := names(); len(got) != 9 {
			t.Fatalf("every phase after signing one: %d", len(got))
		}
		// Inside a transaction, as the lifecycle calls it.
		err = env.App.DB().InTx(ctx, func(tx store.Q) error {
			got, err := svc.UnsignedChecklistNames(ctx, tx, room.ID, 1)
			if err == nil && !slices.Equal(got, []string{want[2]}) {
				t.Errorf("in a transaction: %q", got)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

package service_test

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
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

// TestOperationChecklists: what keeps a room from completing, by vessel (in the order they
// were added) and phase; and the ship's side and the POAC signing one checklist at once both
// count.
func TestOperationChecklists(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		svc := env.App.Service()
		ctx := t.Context()
		login := func(email string) service.Actor {
			env.CreateUser(email)
			l, err := svc.Login(ctx, email, apptest.Password)
			if err != nil {
				t.Fatal(err)
			}
			return service.Actor{UserID: l.User.ID, Email: l.User.Email}
		}
		broker, owner, poac := login("broker@valletta.test"), login("ops@aegean.test"), login("poac@hurd.test")
		room, err := svc.CreateRoom(ctx, broker, service.NewRoom{RoomFields: clearance.RoomFields{Title: "Malta STS", Location: "Hurd's Bank", STSETA: env.Now().AddDate(0, 0, 3)}})
		if err != nil {
			t.Fatal(err)
		}
		ownerParty, err := svc.AddParty(ctx, broker, room.ID, service.NewParty{Email: owner.Email, Role: "owner"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddParty(ctx, broker, room.ID, service.NewParty{Email: poac.Email, Role: "sts_provider"}); err != nil {
			t.Fatal(err)
		}
		lacks := func() []string {
			t.Helper()
			op, err := svc.GetOperation(ctx, broker, room.ID)
			if err != nil {
				t.Fatal(err)
			}
			return op.CompletionLacks()
		}
		if got := lacks(); !slices.Equal(got, []string{"the ships are not recorded as unmoored"}) {
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
		got := lacks()
		if len(got) != 11 || !strings.HasPrefix(got[1], "checklist 1 (Pre-fixture information) of MT AEGEAN SERENITY: ") ||
			!strings.HasPrefix(got[6], "checklist 1 (Pre-fixture information) of MT LEVANT PIONEER: ") ||
			!strings.HasSuffix(got[1], "awaits the signatures of MT AEGEAN SERENITY's side, MT LEVANT PIONEER's side and the POAC") {
			t.Fatalf("two ships: %d\n%s", len(got), strings.Join(got, "\n"))
		}

		// The owner answers the first vessel's checklist 1; both ships' sides and the POAC sign
		// it at once.
		cl, err := svc.ListChecklists(ctx, owner, room.ID)
		if err != nil {
			t.Fatal(err)
		}
		first := cl.Lists[0]
		if first.VesselID != vessels[0].ID || first.Phase != 1 {
			t.Fatalf("first checklist: vessel %s phase %d", first.VesselID, first.Phase)
		}
		for _, it := range first.Items {
			if _, err := svc.AnswerChecklistItem(ctx, owner, room.ID, first.ID, it.ID, service.ChecklistAnswerInput{Answer: "yes"}); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		signers := []struct {
			who  service.Actor
			side string
		}{{owner, vessels[0].ID}, {owner, vessels[1].ID}, {poac, ""}}
		errs := make([]error, len(signers))
		for i, s := range signers {
			wg.Go(func() { _, errs[i] = svc.SignChecklist(ctx, s.who, room.ID, first.ID, s.side) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("signer %d: %v", i, err)
			}
		}
		if got := lacks(); len(got) != 10 || slices.ContainsFunc(got, func(s string) bool {
			return strings.Contains(s, "checklist 1 (Pre-fixture information) of MT AEGEAN SERENITY")
		}) {
			t.Fatalf("after signing one: %q", got)
		}
	})
}

package service_test

import (
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store"
)

// TestRoomListProgressMatchesTheRoom: the progress a room list shows (counted partly in
// SQL) is the progress of the room's summary (every document judged by the clearance
// rules), whatever the documents' statuses, requirement and dates, including dates that
// do not fit their type's kind of expiry.
func TestRoomListProgressMatchesTheRoom(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		svc, db, ctx := env.App.Service(), env.App.DB(), t.Context()
		broker := newBroker(t, env)
		now := env.Now().UTC()
		day := func(n int) *time.Time { d := now.Truncate(24*time.Hour).AddDate(0, 0, n); return &d }
		at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
		statuses := []clearance.DocStatus{clearance.DocMissing, clearance.DocUnderReview, clearance.DocApproved, clearance.DocRejected, clearance.DocExpired}
		expiries := []*time.Time{nil, day(-2), day(0), day(1), day(300)}
		performed := []*time.Time{nil, at(-time.Hour), at(-40 * 24 * time.Hour), at(-400 * 24 * time.Hour)}

		combo := 0
		for r := range 5 {
			room := newRoom(t, env, broker, "Progress "+string(rune('A'+r)))
			for k, imo := range []string{"9372145", "9074729"} {
				if _, err := svc.AddVessel(ctx, broker, room.ID, clearance.VesselParticulars{Name: "MT PROGRESS " + imo, IMO: imo,
					Role: []clearance.VesselRole{"discharging", "receiving"}[k]}); err != nil {
					t.Fatal(err)
				}
			}
			err := db.InTx(ctx, func(tx store.Q) error {
				docs, err := tx.ListDocuments(ctx, room.ID)
				if err != nil {
					return err
				}
				for _, d := range docs {
					// Walk every combination of status, requirement and dates across the rooms.
					c := combo
					combo++
					d.Status = string(statuses[c%len(statuses)])
					c /= len(statuses)
					d.Required = c%2 == 0
					c /= 2
					d.ExpiresOn = expiries[c%len(expiries)]
					c /= len(expiries)
					d.PerformedAt = performed[c%len(performed)]
					if err := tx.SaveDocument(ctx, d); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if want := len(statuses) * 2 * len(expiries) * len(performed); combo < want {
			t.Fatalf("only %d documents for %d combinations", combo, want)
		}

		rooms, _, err := svc.ListRooms(ctx, broker, service.PageRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rooms) != 5 {
			t.Fatalf("%d rooms listed, want 5", len(rooms))
		}
		for _, r := range rooms {
			summary, err := svc.GetRoomSummary(ctx, broker, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Progress != summary.Progress || r.Progress.Approved == 0 || r.Progress.Approved == r.Progress.Required {
				t.Errorf("room %q: the list counts %+v, the summary %+v (want equal, some but not all approved)", r.Title, r.Progress, summary.Progress)
			}
		}
	})
}

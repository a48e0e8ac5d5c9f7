package service_test

import (
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store"
)

// TestRoomListProgressMatchesTheRoom: the progress a room list and a room show (counted in
// SQL, less the few candidates the rules judge lapsed) is the progress of the room's summary (every document judged by the clearance
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
		// Evidence either side of the ages of the catalogue's point-in-time types (SIRE 180
		// days, screenings 7), where the list's SQL hands over to the rules.
		dayLong := 24 * time.Hour
		performed := []*time.Time{nil, at(-time.Hour), at(-40 * dayLong), at(-400 * dayLong),
			at(-7*dayLong + time.Minute), at(-7*dayLong - time.Minute), at(-180*dayLong + time.Minute), at(-180*dayLong - time.Minute)}
		want := len(statuses) * 2 * len(expiries) * len(performed)

		combo, rooms := 0, 0
		for ; combo < want; rooms++ {
			r := rooms
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
		list, _, err := svc.ListRooms(ctx, broker, service.PageRequest{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != rooms {
			t.Fatalf("%d rooms listed, want %d", len(list), rooms)
		}
		for _, r := range list {
			summary, err := svc.GetRoomSummary(ctx, broker, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r.Progress != summary.Progress || r.Progress.Approved == 0 || r.Progress.Approved == r.Progress.Required {
				t.Errorf("room %q: the list counts %+v, the summary %+v (want equal, some but not all approved)", r.Title, r.Progress, summary.Progress)
			}
			if one, err := svc.GetRoom(ctx, broker, r.ID); err != nil || one.Progress != summary.Progress {
				t.Errorf("room %q alone: %+v, %v; the summary %+v", r.Title, one.Progress, err, summary.Progress)
			}
		}
	})
}

package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// A list scans every row into the same targets; each value it returns must stand on its
// own. Rows with and without a nullable column, in turn, show a value that kept a pointer
// into the targets: it would take the next row's value, or lose its own to a NULL.
func TestListedRowsDoNotShareScanTargets(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			now := time.Now().UTC().Truncate(time.Microsecond)
			room := store.Room{ID: "r1", Title: "Hurd's Bank", Location: "Malta", STSETA: now, Status: "draft", CreatedBy: "u1",
				CreatedAt: now, UpdatedAt: now}
			userOf := map[string]*string{}
			var parties []store.Party
			for i, id := range []string{"p1", "p2", "p3", "p4"} {
				var user *string
				if i%2 == 0 { // p1 and p3 are bound to users, p2 and p4 are invitations
					u := "u" + id
					user = &u
				}
				userOf[id] = user
				parties = append(parties, store.Party{ID: id, RoomID: room.ID, UserID: user, Email: id + "@example.com",
					Role: "broker", AddedBy: "u1", AddedAt: now})
			}
			err := db.InTx(ctx, func(tx store.Q) error {
				for _, id := range []string{"u1", "up1", "up3"} {
					u := store.User{ID: id, Email: id + "@example.com", Role: "user", PasswordHash: "h", CreatedAt: now, UpdatedAt: now}
					if err := tx.CreateUser(ctx, u); err != nil {
						return err
					}
				}
				if err := tx.CreateRoom(ctx, room); err != nil {
					return err
				}
				for _, p := range parties {
					if err := tx.AddParty(ctx, p); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			listed, err := db.Read().ListParties(ctx, room.ID, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(listed) != len(parties) {
				t.Fatalf("listed %d parties, want %d", len(listed), len(parties))
			}
			for _, p := range listed {
				want := userOf[p.ID]
				switch {
				case want == nil && p.UserID != nil:
					t.Errorf("party %s: user %s, want none", p.ID, *p.UserID)
				case want != nil && p.UserID == nil:
					t.Errorf("party %s: no user, want %s", p.ID, *want)
				case want != nil && *p.UserID != *want:
					t.Errorf("party %s: user %s, want %s", p.ID, *p.UserID, *want)
				}
			}

			// Rooms with and without a cargo quantity, listed for a party of each.
			cargoOf := map[string]*float64{room.ID: nil}
			err = db.InTx(ctx, func(tx store.Q) error {
				for i, id := range []string{"r2", "r3", "r4"} {
					r := room
					r.ID, r.CargoQuantity = id, nil
					if i%2 == 0 {
						qty := float64(80_000 + i)
						r.CargoQuantity = &qty
					}
					cargoOf[id] = r.CargoQuantity
					user := "up1"
					p := store.Party{ID: "p" + id, RoomID: id, UserID: &user, Email: "up1@example.com", Role: "broker", AddedBy: "u1", AddedAt: now}
					if err := tx.CreateRoom(ctx, r); err != nil {
						return err
					}
					if err := tx.AddParty(ctx, p); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			rooms, err := db.Read().ListRoomsForUser(ctx, "up1", false, "", 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(rooms) != len(cargoOf) {
				t.Fatalf("listed %d rooms, want %d", len(rooms), len(cargoOf))
			}
			for _, r := range rooms {
				want, got := cargoOf[r.ID], r.CargoQuantity
				if (want == nil) != (got == nil) || want != nil && *got != *want {
					t.Errorf("room %s: cargo quantity %v, want %v", r.ID, deref(got), deref(want))
				}
			}
		})
	}
}

package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestRoomOperationFields: a room keeps its cargo class, operation length and coastal area;
// one that states none is an oil operation of the default length in no named area.
func TestRoomOperationFields(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			now := time.Now().UTC().Truncate(time.Microsecond)
			u := store.User{ID: "u1", Email: "broker@valletta.test", Name: "B", Role: "user", PasswordHash: "h", CreatedAt: now, UpdatedAt: now}
			plain := store.Room{ID: "r1", Title: "R", Location: "L", STSETA: now, Status: "draft", CreatedBy: "u1", CreatedAt: now, UpdatedAt: now}
			lng := plain
			lng.ID, lng.CargoClass, lng.OperationLength, lng.CoastalArea = "r2", clearance.CargoGas, 96*time.Hour, "MT-HURDS"
			err := db.InTx(ctx, func(tx store.Q) error {
				return errors.Join(tx.CreateUser(ctx, u), tx.CreateRoom(ctx, plain), tx.CreateRoom(ctx, lng))
			})
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.Read().RoomByID(ctx, "r1")
			if err != nil || got.CargoClass != clearance.CargoOil || got.OperationLength != clearance.DefaultOperationLength || got.CoastalArea != "" {
				t.Fatalf("a room stating none: %+v %v", got, err)
			}
			if got, err = db.Read().RoomByID(ctx, "r2"); err != nil || got.CargoClass != clearance.CargoGas || got.OperationLength != 96*time.Hour ||
				got.CoastalArea != "MT-HURDS" || !got.WindowEnd().Equal(now.Add(96*time.Hour)) {
				t.Fatalf("an LNG room: %+v %v", got, err)
			}
			got.CargoClass, got.OperationLength, got.CoastalArea = clearance.CargoChemical, 36*time.Hour+30*time.Minute, ""
			if err := db.InTx(ctx, func(tx store.Q) error { return tx.UpdateRoom(ctx, got) }); err != nil {
				t.Fatal(err)
			}
			if again, err := db.Read().RoomByID(ctx, "r2"); err != nil || again.CargoClass != clearance.CargoChemical ||
				again.OperationLength != 36*time.Hour+30*time.Minute || again.CoastalArea != "" {
				t.Fatalf("after the update: %+v %v", again, err)
			}
		})
	}
}

// TestCoastalAreaTable: the coastal-state table's entries round-trip; a taken code is a
// conflict, except when seeding, which skips it.
func TestCoastalAreaTable(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			now := time.Now().UTC().Truncate(time.Microsecond)
			seed := clearance.DefaultCoastalAreas()
			err := db.InTx(ctx, func(tx store.Q) error {
				for _, a := range seed {
					if err := tx.CreateCoastalArea(ctx, a, now, true); err != nil {
						return err
					}
				}
				return tx.CreateCoastalArea(ctx, seed[0], now, true) // seeding again skips it
			})
			if err != nil {
				t.Fatal(err)
			}
			err = db.InTx(ctx, func(tx store.Q) error { return tx.CreateCoastalArea(ctx, seed[0], now, false) })
			if !errors.Is(err, apperr.ErrConflict) {
				t.Fatalf("a taken code: %v, want a conflict", err)
			}
			q := db.Read()
			if n, err := q.CountCoastalAreas(ctx); err != nil || n != len(seed) {
				t.Fatalf("count = %d, %v; want %d", n, err, len(seed))
			}
			my, err := q.CoastalArea(ctx, "MY-LINGGI")
			if err != nil || my.Regime != clearance.RegimePermission || !my.Verified || !my.Active || len(my.CargoClasses) != 0 || my.Source == "" {
				t.Fatalf("MY-LINGGI: %+v %v", my, err)
			}
			my.Active, my.CargoClasses, my.LeadHours = false, []clearance.CargoClass{clearance.CargoOil, clearance.CargoGas}, 72
			if err := db.InTx(ctx, func(tx store.Q) error { return tx.UpdateCoastalArea(ctx, my, now) }); err != nil {
				t.Fatal(err)
			}
			if my, err = q.CoastalArea(ctx, "MY-LINGGI"); err != nil || my.Active || my.LeadHours != 72 ||
				!slices.Equal(my.CargoClasses, []clearance.CargoClass{clearance.CargoOil, clearance.CargoGas}) {
				t.Fatalf("after the update: %+v %v", my, err)
			}
			active, err := q.ListCoastalAreas(ctx, true)
			if err != nil || len(active) != len(seed)-1 || slices.ContainsFunc(active, func(a clearance.CoastalArea) bool { return a.Code == "MY-LINGGI" }) {
				t.Fatalf("active entries: %d %v", len(active), err)
			}
			if _, err := q.CoastalArea(ctx, "XX"); !errors.Is(err, apperr.ErrNotFound) {
				t.Fatalf("an unknown code: %v", err)
			}
		})
	}
}

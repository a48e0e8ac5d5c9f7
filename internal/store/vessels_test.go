package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestVesselParticularsRoundTrip: every particular, the company IMO numbers included, comes
// back as written, after an insert and after an update, on both engines.
func TestVesselParticularsRoundTrip(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			now := time.Now().UTC().Truncate(time.Microsecond)
			dwt, built, loa, beam := 115_800, 2008, 249.9, 44.0
			v := store.Vessel{ID: "v1", RoomID: "r1", CreatedAt: now, UpdatedAt: now,
				VesselParticulars: clearance.VesselParticulars{Name: "MT AEGEAN SERENITY", IMO: "9372145", Role: clearance.VesselDischarging,
					Flag: "Malta", MMSI: "248731000", CallSign: "9HA4817", VesselType: "Crude oil tanker", DWT: &dwt, LOA: &loa,
					Beam: &beam, BuiltYear: &built, ClassSociety: "LR", PIClub: "Gard", RegisteredOwner: "Aegean Serenity Shipping Ltd",
					RegisteredOwnerIMO: "5354210", DOCCompany: "Aegean Tankers Management SA", DOCCompanyIMO: "5812079"}}
			err := db.InTx(ctx, func(tx store.Q) error {
				if err := tx.CreateUser(ctx, store.User{ID: "u1", Email: "ops@aegean.test", Name: "Ops", Role: "user",
					PasswordHash: "h", CreatedAt: now, UpdatedAt: now}); err != nil {
					return err
				}
				if err := tx.CreateRoom(ctx, store.Room{ID: "r1", Title: "Malta STS", Location: "Hurd's Bank", STSETA: now,
					Status: "draft", CreatedBy: "u1", CreatedAt: now, UpdatedAt: now}); err != nil {
					return err
				}
				return tx.AddVessel(ctx, v)
			})
			if err != nil {
				t.Fatal(err)
			}
			read := func() store.Vessel {
				t.Helper()
				got, err := db.Read().VesselByID(ctx, "r1", "v1")
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			if got := read(); !reflect.DeepEqual(got, v) {
				t.Errorf("after insert:\n got %+v\nwant %+v", got, v)
			}
			v.RegisteredOwnerIMO, v.DOCCompanyIMO, v.UpdatedAt = "2041999", "", now.Add(time.Minute)
			if err := db.InTx(ctx, func(tx store.Q) error { return tx.UpdateVessel(ctx, v) }); err != nil {
				t.Fatal(err)
			}
			if got := read(); !reflect.DeepEqual(got, v) {
				t.Errorf("after update:\n got %+v\nwant %+v", got, v)
			}
		})
	}
}

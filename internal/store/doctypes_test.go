package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// newSeedTypes are the seed types migration 00015 adds to a catalogue seeded before it.
var newSeedTypes = []string{"COF_IGC", "GAS_COMPAT", "COF_IBC"}

// asStored writes a catalogue entry as the store returns it: its lists never nil.
func asStored(t clearance.DocumentType) clearance.DocumentType {
	for _, l := range []*[]authz.Role{&t.AlsoSuppliedBy, &t.VisibleTo} {
		if *l == nil {
			*l = []authz.Role{}
		}
	}
	if t.CargoClasses == nil {
		t.CargoClasses = []clearance.CargoClass{}
	}
	return t
}

// TestDocumentTypeRoundTrip: the time of day, its zone and the cargo classes are stored and
// read back, on create and on update.
func TestDocumentTypeRoundTrip(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			now := time.Now().UTC()
			ty := clearance.DocumentType{Code: "LNG_X", Name: "x", SuppliedBy: "owner", Scope: clearance.ScopeVessel,
				Criticality: clearance.CriticalityHigh, Expiry: clearance.ExpiryDate, ExpiryTime: "12:00", ExpiryZone: "GMT",
				CargoClasses: []clearance.CargoClass{clearance.CargoGas, clearance.CargoChemical}, VisibleTo: authz.Roles(), Active: true}
			if err := db.InTx(ctx, func(tx store.Q) error { return tx.CreateDocumentType(ctx, ty, now) }); err != nil {
				t.Fatal(err)
			}
			got, err := db.Read().DocumentType(ctx, "LNG_X")
			if err != nil || !reflect.DeepEqual(got, asStored(ty)) {
				t.Fatalf("created: %+v, %v; want %+v", got, err, ty)
			}
			ty.ExpiryTime, ty.ExpiryZone, ty.CargoClasses = "", "", nil
			if err := db.InTx(ctx, func(tx store.Q) error { return tx.UpdateDocumentType(ctx, ty, now) }); err != nil {
				t.Fatal(err)
			}
			got, err = db.Read().DocumentType(ctx, "LNG_X")
			if err != nil || !reflect.DeepEqual(got, asStored(ty)) {
				t.Fatalf("updated: %+v, %v; want %+v", got, err, asStored(ty))
			}
		})
	}
}

// TestCatalogueMigration00015: a catalogue seeded before migration 00015 gets the P&I
// year's 12:00 GMT, the oil-only classes and the gas and chemical types, and then reads
// exactly as the seed does now; an admin's edits are kept (an undated CLC gets no time, an
// own COF_IBC keeps its fields). An empty catalogue stays empty, for the start-up seed.
func TestCatalogueMigration00015(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			downTo(t, db, 14)
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if n, err := db.Read().CountDocumentTypes(ctx); n != 0 || err != nil {
				t.Fatalf("an empty catalogue has %d entries after the migration (%v)", n, err)
			}

			// The catalogue as seeded before 00015, with two admin edits.
			now := time.Now().UTC()
			var before []clearance.DocumentType
			for _, d := range clearance.DefaultCatalogue() {
				if slices.Contains(newSeedTypes, d.Code) {
					continue
				}
				d.ExpiryTime, d.ExpiryZone, d.CargoClasses = "", "", nil
				if d.Code == "CLC" {
					d.Expiry = clearance.ExpiryNone
				}
				before = append(before, d)
			}
			ownIBC := clearance.DocumentType{Code: "COF_IBC", Name: "Our IBC certificate", SuppliedBy: "owner", Scope: clearance.ScopeVessel,
				Criticality: clearance.CriticalityMedium, Expiry: clearance.ExpiryDate, VisibleTo: authz.Roles(), RequiredByDefault: true, Active: true}
			before = append(before, ownIBC)
			err := db.InTx(ctx, func(tx store.Q) error {
				for _, d := range before {
					if err := tx.SeedDocumentType(ctx, d, now); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			downTo(t, db, 14)
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}

			want := map[string]clearance.DocumentType{}
			for _, d := range clearance.DefaultCatalogue() {
				switch d.Code {
				case "CLC":
					d.Expiry, d.ExpiryTime, d.ExpiryZone = clearance.ExpiryNone, "", ""
				case "COF_IBC":
					cc := d.CargoClasses
					d = ownIBC
					d.CargoClasses = cc // the class is the code's, set where there was none
				}
				want[d.Code] = asStored(d)
			}
			got, err := db.Read().ListDocumentTypes(ctx, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Errorf("%d types after the migration, want %d", len(got), len(want))
			}
			for _, g := range got {
				if w, ok := want[g.Code]; !ok || !reflect.DeepEqual(g, w) {
					t.Errorf("after the migration %s = %+v\nwant %+v", g.Code, g, w)
				}
			}
		})
	}
}

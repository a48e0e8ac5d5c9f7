package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestPartyVesselBindings: the vessels a party acts for come back with the party in every
// read (lists, one party, the membership), in binding order, and go with their vessel.
func TestPartyVesselBindings(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			now := time.Now().UTC().Truncate(time.Microsecond)
			u := store.User{ID: "u1", Email: "ops@aegean.test", Name: "Ops", Role: "user", PasswordHash: "h", CreatedAt: now, UpdatedAt: now}
			room := store.Room{ID: "r1", Title: "Malta STS", Location: "Hurd's Bank", STSETA: now.Add(72 * time.Hour), Status: "draft",
				CreatedBy: "u1", CreatedAt: now, UpdatedAt: now}
			owner := store.Party{ID: "p1", RoomID: "r1", UserID: &u.ID, Email: u.Email, Name: "Aegean", Role: "owner", AddedBy: "u1", AddedAt: now}
			viewer := store.Party{ID: "p2", RoomID: "r1", Email: "p&i@gard.test", Name: "Gard", Role: "viewer", AddedBy: "u1", AddedAt: now.Add(time.Second)}
			vessel := func(id, imo string) store.Vessel {
				return store.Vessel{ID: id, RoomID: "r1", CreatedAt: now, UpdatedAt: now,
					VesselParticulars: clearance.VesselParticulars{Name: "MT " + id, IMO: imo, Role: clearance.VesselDischarging}}
			}
			err := db.InTx(ctx, func(tx store.Q) error {
				for _, step := range []func() error{
					func() error { return tx.CreateUser(ctx, u) },
					func() error { return tx.CreateRoom(ctx, room) },
					func() error { return tx.AddParty(ctx, owner) },
					func() error { return tx.AddParty(ctx, viewer) },
					func() error { return tx.AddVessel(ctx, vessel("v1", "9372145")) },
					func() error { return tx.AddVessel(ctx, vessel("v2", "9455832")) },
					func() error { return tx.SetPartyVessels(ctx, "r1", "p1", []string{"v2"}, now) },
					func() error { return tx.BindPartyToVessel(ctx, "r1", "p1", "v1", now.Add(time.Second)) },
					func() error { return tx.BindPartyToVessel(ctx, "r1", "p1", "v1", now.Add(time.Hour)) }, // again: no change
				} {
					if err := step(); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"v2", "v1"}
			parties, err := db.Read().ListParties(ctx, "r1", false)
			if err != nil || len(parties) != 2 {
				t.Fatalf("ListParties = %+v, %v", parties, err)
			}
			if !slices.Equal(parties[0].VesselIDs, want) || parties[1].VesselIDs == nil || len(parties[1].VesselIDs) != 0 {
				t.Errorf("bindings listed: %v and %v, want %v and []", parties[0].VesselIDs, parties[1].VesselIDs, want)
			}
			one, err := db.Read().ActiveParty(ctx, "r1", "p1")
			if err != nil || !slices.Equal(one.VesselIDs, want) || one.Email != owner.Email {
				t.Errorf("ActiveParty = %+v, %v", one, err)
			}
			m, err := db.Read().MembershipOf(ctx, "r1", "u1")
			if err != nil || !slices.Equal(m.VesselIDs, want) || !m.BoundTo("v1") || m.BoundTo("v3") || m.Room.Title != room.Title {
				t.Errorf("MembershipOf = %+v, %v", m, err)
			}
			if err := db.InTx(ctx, func(tx store.Q) error { return tx.RemoveVessel(ctx, "r1", "v2") }); err != nil {
				t.Fatal(err)
			}
			if m, err := db.Read().MembershipOf(ctx, "r1", "u1"); err != nil || !slices.Equal(m.VesselIDs, []string{"v1"}) {
				t.Errorf("after removing v2: %v, %v", m.VesselIDs, err)
			}
		})
	}
}

// TestBindingBackfill: migration 00011 binds each owner party of an existing room to the
// vessels it has uploaded documents for, so upgrading does not lock owners out.
func TestBindingBackfill(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			now := time.Now().UTC().Truncate(time.Microsecond)
			u := store.User{ID: "u1", Email: "ops@aegean.test", Name: "Ops", Role: "user", PasswordHash: "h", CreatedAt: now, UpdatedAt: now}
			v := store.Vessel{ID: "v1", RoomID: "r1", CreatedAt: now, UpdatedAt: now,
				VesselParticulars: clearance.VesselParticulars{Name: "MT A", IMO: "9372145", Role: clearance.VesselDischarging}}
			vesselID := "v1"
			err := db.InTx(ctx, func(tx store.Q) error {
				for _, step := range []func() error{
					func() error { return tx.CreateUser(ctx, u) },
					func() error {
						return tx.CreateRoom(ctx, store.Room{ID: "r1", Title: "R", Location: "L", STSETA: now, Status: "clearing",
							CreatedBy: "u1", CreatedAt: now, UpdatedAt: now})
					},
					func() error {
						return tx.AddParty(ctx, store.Party{ID: "p1", RoomID: "r1", UserID: &u.ID, Email: u.Email, Name: "A", Role: "owner", AddedBy: "u1", AddedAt: now})
					},
					func() error { return tx.AddVessel(ctx, v) },
					func() error { return tx.SeedDocumentType(ctx, clearance.DefaultCatalogue()[0], now) }, // Q88
					func() error {
						return tx.CreateDocument(ctx, store.Document{ID: "d1", RoomID: "r1", TypeCode: "Q88", VesselID: &vesselID, Status: "under_review",
							Criticality: "high", Required: true, VersionCount: 1, CreatedAt: now, UpdatedAt: now})
					},
					func() error {
						return tx.AddVersion(ctx, store.DocumentVersion{ID: "dv1", DocumentID: "d1", RoomID: "r1", Number: 1, SHA256: "00", Size: 1,
							ContentType: "application/pdf", Filename: "q88.pdf", UploadedBy: "u1", UploaderEmail: u.Email, UploadedAt: now})
					},
				} {
					if err := step(); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			downTo(t, db, 10)
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			p, err := db.Read().ActiveParty(ctx, "r1", "p1")
			if err != nil || !slices.Equal(p.VesselIDs, []string{"v1"}) {
				t.Errorf("after the upgrade the owner acts for %v (%v), want [v1]", p.VesselIDs, err)
			}
		})
	}
}

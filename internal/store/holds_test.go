package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestHoldsAndScreenings: a room's holds keep their owner and are lifted once; a screening's
// outcome, provider, remark and subjects round-trip on its version, and its outcome and
// re-run reason on its document.
func TestHoldsAndScreenings(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			now := time.Now().UTC().Truncate(time.Microsecond)
			u := store.User{ID: "u1", Email: "vetting@mediterra.test", Name: "V", Role: "user", PasswordHash: "h", CreatedAt: now, UpdatedAt: now}
			room := store.Room{ID: "r1", Title: "R", Location: "L", STSETA: now, Status: "on_hold", CreatedBy: "u1", CreatedAt: now, UpdatedAt: now}
			doc := store.Document{ID: "d1", RoomID: "r1", TypeCode: "SANCTIONS", Status: "under_review", Criticality: "high", Required: true,
				CreatedAt: now, UpdatedAt: now, VersionCount: 1, Outcome: clearance.OutcomePotentialMatch}
			subjects := clearance.ScreeningSubjects{Vessel: clearance.ScreenedShip{Name: "MT AEGEAN SERENITY", IMO: "9372145"},
				Manager: clearance.ScreenedCompany{Name: "Ελληνική Ναυτιλία", IMO: "5812079"}, Counterparties: []string{"Adriatic Refining"},
				CounterpartyShips: []clearance.ScreenedShip{{Name: "MT LEVANT PIONEER", IMO: "9455832"}}}
			v := store.DocumentVersion{ID: "v1", DocumentID: "d1", RoomID: "r1", Number: 1, SHA256: "ab", Size: 1, ContentType: "application/pdf",
				Filename: "s.pdf", UploadedBy: "u1", UploaderEmail: u.Email, UploadedAt: now, Outcome: clearance.OutcomePotentialMatch,
				Provider: "Acme Risk", Remark: "name match", Subjects: &subjects}
			plain := store.DocumentVersion{ID: "v0", DocumentID: "d1", RoomID: "r1", Number: 0, SHA256: "cd", Size: 1, ContentType: "application/pdf",
				Filename: "q.pdf", UploadedBy: "u1", UploaderEmail: u.Email, UploadedAt: now}
			hold := clearance.Hold{ID: "h1", RoomID: "r1", Source: clearance.HoldScreening, Owner: authz.Charterer, DocumentID: "d1",
				Reason: "compliance hold", PlacedBy: "u1", PlacedByEmail: u.Email, PlacedAt: now}
			var sanctions clearance.DocumentType
			for _, dt := range clearance.DefaultCatalogue() {
				if dt.Code == "SANCTIONS" {
					sanctions = dt
				}
			}
			err := db.InTx(ctx, func(tx store.Q) error {
				for _, step := range []func() error{
					func() error { return tx.CreateUser(ctx, u) },
					func() error { return tx.CreateRoom(ctx, room) },
					func() error { return tx.SeedDocumentType(ctx, sanctions, now) },
					func() error { return tx.CreateDocument(ctx, doc) },
					func() error { return tx.AddVersion(ctx, v) },
					func() error { return tx.AddVersion(ctx, plain) },
					func() error { return tx.PlaceHold(ctx, hold) },
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
			q := db.Read()
			got, err := q.VersionByID(ctx, "r1", "d1", "v1")
			if err != nil || got.Outcome != clearance.OutcomePotentialMatch || got.Provider != "Acme Risk" || got.Remark != "name match" ||
				got.Subjects == nil || got.Subjects.Manager != subjects.Manager || got.Subjects.CounterpartyShips[0].IMO != "9455832" {
				t.Fatalf("the screening's version: %+v %v", got, err)
			}
			if none, err := q.VersionByID(ctx, "r1", "d1", "v0"); err != nil || none.Outcome != "" || none.Subjects != nil {
				t.Fatalf("a version that is no screening's: %+v %v", none, err)
			}
			d, err := q.DocumentByID(ctx, "r1", "d1")
			if err != nil || d.Outcome != clearance.OutcomePotentialMatch || d.RerunReason != "" {
				t.Fatalf("the document: %+v %v", d, err)
			}
			d.RerunReason = "not screened against Balkan Oil (buyer)"
			if err := db.InTx(ctx, func(tx store.Q) error { return tx.SaveDocument(ctx, d) }); err != nil {
				t.Fatal(err)
			}
			if p, err := q.ListDocumentProgress(ctx, []string{"r1"}); err != nil || p[0].Screening.RerunReason != d.RerunReason ||
				p[0].Screening.Outcome != clearance.OutcomePotentialMatch {
				t.Fatalf("the progress columns: %+v %v", p, err)
			}

			current, err := q.CurrentHold(ctx, "r1")
			if err != nil || current == nil || current.Owner != authz.Charterer || current.Source != clearance.HoldScreening ||
				current.DocumentID != "d1" || !current.PlacedAt.Equal(now) || current.LiftedAt != nil {
				t.Fatalf("the current hold: %+v %v", current, err)
			}
			current.LiftedBy, current.LiftedByEmail, current.LiftedAt, current.LiftReason = "u1", u.Email, &now, "false positive"
			if err := db.InTx(ctx, func(tx store.Q) error { return tx.LiftHold(ctx, *current) }); err != nil {
				t.Fatal(err)
			}
			// A hold is lifted once.
			err = db.InTx(ctx, func(tx store.Q) error { return tx.LiftHold(ctx, *current) })
			if !errors.Is(err, apperr.ErrNotFound) {
				t.Fatalf("lifting a lifted hold: %v", err)
			}
			if h, err := q.CurrentHold(ctx, "r1"); err != nil || h != nil {
				t.Fatalf("after the lift: %+v %v", h, err)
			}
			all, err := q.ListHolds(ctx, "r1")
			if err != nil || len(all) != 1 || all[0].LiftReason != "false positive" || all[0].LiftedAt == nil {
				t.Fatalf("the kept holds: %+v %v", all, err)
			}
		})
	}
}

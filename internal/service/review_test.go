package service_test

import (
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/store"
)

// TestSaveReviewWritesOnlyOverWhatItRead: a review judges the document it read before its
// transaction, so its write must not land on a document whose status or version changed
// since (here a new upload), and when it lands it changes the review columns only (a
// waiver that came meanwhile stays).
func TestSaveReviewWritesOnlyOverWhatItRead(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		db, ctx := env.App.DB(), t.Context()
		broker := newBroker(t, env)
		room := newRoom(t, env, broker, "Review race")
		docs, err := db.Read().ListDocuments(ctx, room.ID)
		if err != nil || len(docs) == 0 {
			t.Fatalf("%d documents, %v", len(docs), err)
		}
		now := env.Now().UTC().Truncate(time.Microsecond)
		save := func(d store.Document) {
			t.Helper()
			if err := db.InTx(ctx, func(tx store.Q) error { return tx.SaveDocument(ctx, d) }); err != nil {
				t.Fatal(err)
			}
		}
		reviewed := func(read store.Document) bool {
			t.Helper()
			d := read
			at := now.Add(time.Minute)
			d.Status, d.ReviewedBy, d.ReviewerEmail, d.ReviewedAt, d.UpdatedAt = "approved", broker.UserID, broker.Email, &at, at
			var saved bool
			if err := db.InTx(ctx, func(tx store.Q) (err error) { saved, err = tx.SaveReview(ctx, d, read); return err }); err != nil {
				t.Fatal(err)
			}
			return saved
		}
		doc := docs[0]
		doc.Status, doc.VersionCount, doc.UpdatedAt = "under_review", 1, now
		save(doc)
		read, err := db.Read().DocumentByID(ctx, room.ID, doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		// A second version arrives between the review's read and its write.
		uploaded := read
		uploaded.VersionCount, uploaded.UpdatedAt = 2, now.Add(time.Second)
		save(uploaded)
		if reviewed(read) {
			t.Fatal("the review was written over a version it never judged")
		}
		if got, _ := db.Read().DocumentByID(ctx, room.ID, doc.ID); got.Status != "under_review" || got.ReviewedBy != "" {
			t.Fatalf("a refused review changed the document: %+v", got)
		}
		// Read again; now a waiver arrives between the read and the write.
		again, err := db.Read().DocumentByID(ctx, room.ID, doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		waived := again
		waived.Required, waived.WaiveReason, waived.UpdatedAt = false, "not needed at this terminal", now.Add(2*time.Second)
		save(waived)
		if !reviewed(again) {
			t.Fatal("the review of an unchanged version was refused")
		}
		got, err := db.Read().DocumentByID(ctx, room.ID, doc.ID)
		if err != nil || got.Status != "approved" || got.ReviewerEmail != broker.Email || got.VersionCount != 2 || got.Required || got.WaiveReason == "" {
			t.Fatalf("after the review: %+v, %v (want approved, version 2, still waived)", got, err)
		}
	})
}

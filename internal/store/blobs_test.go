package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestBlobHoldsAndDeletions: a live hold keeps a blob from a deletion, a deletion in
// progress refuses a hold, and expired ones count for nothing.
func TestBlobHoldsAndDeletions(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			now := time.Now().UTC().Truncate(time.Microsecond)
			sha := strings.Repeat("ab", 32)
			tx := func(fn func(q store.Q) error) error { return db.InTx(ctx, fn) }
			begin := func(at time.Time) bool {
				t.Helper()
				var marked bool
				if err := tx(func(q store.Q) (err error) {
					marked, err = q.BeginBlobDeletion(ctx, sha, at, at.Add(5*time.Minute))
					return err
				}); err != nil {
					t.Fatal(err)
				}
				return marked
			}
			if err := tx(func(q store.Q) error { return q.HoldBlob(ctx, "h1", sha, now, now.Add(time.Hour)) }); err != nil {
				t.Fatal(err)
			}
			if err := tx(func(q store.Q) error { return q.CheckHold(ctx, "h1", sha, now) }); err != nil {
				t.Errorf("a live hold: %v", err)
			}
			if begin(now) {
				t.Fatal("a deletion began on a held blob")
			}
			if err := tx(func(q store.Q) error { return q.CheckHold(ctx, "h1", sha, now.Add(2*time.Hour)) }); err == nil {
				t.Error("an expired hold passed its check")
			}
			if !begin(now.Add(2 * time.Hour)) {
				t.Fatal("an expired hold kept the blob")
			}
			later := now.Add(2 * time.Hour)
			if err := tx(func(q store.Q) error { return q.HoldBlob(ctx, "h2", sha, later, later.Add(time.Hour)) }); !errors.Is(err, store.ErrBlobDeleting) {
				t.Fatalf("a hold during a deletion: %v, want ErrBlobDeleting", err)
			}
			if begin(later) {
				t.Fatal("a second deletion began beside the first")
			}
			if err := tx(func(q store.Q) error { return q.EndBlobDeletion(ctx, sha) }); err != nil {
				t.Fatal(err)
			}
			if err := tx(func(q store.Q) error { return q.HoldBlob(ctx, "h2", sha, later, later.Add(time.Hour)) }); err != nil {
				t.Fatalf("a hold after the deletion: %v", err)
			}
			if err := tx(func(q store.Q) error { return q.ReleaseHold(ctx, "h2") }); err != nil {
				t.Fatal(err)
			}
			if kept, err := db.Read().BlobKept(ctx, sha, later); err != nil || kept {
				t.Fatalf("after the release: kept %v, %v", kept, err)
			}
			var purged int64
			if err := tx(func(q store.Q) (err error) {
				purged, err = q.PurgeExpiredBlobMarks(ctx, now.Add(3*time.Hour))
				return err
			}); err != nil || purged != 1 {
				t.Fatalf("purged %d expired marks (the first hold), %v", purged, err)
			}
		})
	}
}

// TestBlobHoldWaitsForDeletion: a deletion decided while a hold's transaction is open
// waits for it and sees the hold (on PostgreSQL through the blob's advisory lock, on
// SQLite through the single writer). Without the lock it would see no hold yet.
func TestBlobHoldWaitsForDeletion(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			now := time.Now().UTC().Truncate(time.Microsecond)
			sha := strings.Repeat("cd", 32)
			holding, commit := make(chan struct{}), make(chan struct{})
			var once sync.Once
			release := func() { once.Do(func() { close(commit) }) }
			t.Cleanup(release) // before the database closes, should the test fail first
			held := make(chan error, 1)
			go func() {
				held <- db.InTx(ctx, func(q store.Q) error {
					if err := q.HoldBlob(ctx, "h", sha, now, now.Add(time.Hour)); err != nil {
						return err
					}
					close(holding)
					<-commit
					return nil
				})
			}()
			<-holding
			marked := make(chan bool, 1)
			go func() {
				var m bool
				err := db.InTx(ctx, func(q store.Q) (err error) {
					m, err = q.BeginBlobDeletion(ctx, sha, now, now.Add(time.Minute))
					return err
				})
				if err != nil {
					t.Error(err)
				}
				marked <- m
			}()
			select {
			case m := <-marked:
				t.Fatalf("the deletion did not wait for the hold's transaction (marked %v)", m)
			case <-time.After(300 * time.Millisecond):
			}
			release()
			if err := <-held; err != nil {
				t.Fatal(err)
			}
			if <-marked {
				t.Fatal("a deletion began on a blob held by a transaction that committed first")
			}
		})
	}
}

// TestTaskLeases: one holder at a time; the holder renews; an expired lease changes hands;
// only the holder releases it.
func TestTaskLeases(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			now := time.Now().UTC().Truncate(time.Microsecond)
			claim := func(holder string, at time.Time) bool {
				t.Helper()
				var ok bool
				if err := db.InTx(ctx, func(q store.Q) (err error) {
					ok, err = q.ClaimLease(ctx, "sweep", holder, at, at.Add(10*time.Minute))
					return err
				}); err != nil {
					t.Fatal(err)
				}
				return ok
			}
			steps := []struct {
				holder string
				at     time.Duration
				want   bool
			}{
				{"a", 0, true}, {"b", time.Minute, false}, {"a", 5 * time.Minute, true}, {"b", 14 * time.Minute, false},
				{"b", 16 * time.Minute, true}, {"a", 17 * time.Minute, false},
			}
			for _, s := range steps {
				if got := claim(s.holder, now.Add(s.at)); got != s.want {
					t.Fatalf("%s claims at +%s: %v, want %v", s.holder, s.at, got, s.want)
				}
			}
			for _, holder := range []string{"a", "b"} {
				if err := db.InTx(ctx, func(q store.Q) error { return q.ReleaseLease(ctx, "sweep", holder) }); err != nil {
					t.Fatal(err)
				}
				if got := claim("c", now.Add(17*time.Minute)); got != (holder == "b") {
					t.Fatalf("c claims after %s released: %v", holder, got)
				}
			}
		})
	}
}

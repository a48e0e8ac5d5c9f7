package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

func TestUsersAndSessions(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			now := time.Now().UTC().Truncate(time.Microsecond)
			u := store.User{ID: "u1", Email: "ops@example.com", Name: "Ops", Role: "user", PasswordHash: "h", CreatedAt: now, UpdatedAt: now}
			if err := db.InTx(ctx, func(tx store.Q) error { return tx.CreateUser(ctx, u) }); err != nil {
				t.Fatal(err)
			}
			dup := u
			dup.ID = "u2"
			err := db.InTx(ctx, func(tx store.Q) error { return tx.CreateUser(ctx, dup) })
			if !errors.Is(err, apperr.ErrConflict) {
				t.Fatalf("duplicate e-mail: got %v, want conflict", err)
			}
			got, err := db.Read().UserByEmail(ctx, "ops@example.com")
			if err != nil || got != u {
				t.Fatalf("UserByEmail = %+v, %v; want %+v", got, err, u)
			}
			if _, err := db.Read().UserByID(ctx, "nope"); !errors.Is(err, apperr.ErrNotFound) {
				t.Fatalf("unknown user: %v", err)
			}

			live := store.Session{TokenHash: "live", UserID: "u1", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
			old := store.Session{TokenHash: "old", UserID: "u1", CreatedAt: now.Add(-2 * time.Hour), ExpiresAt: now.Add(-time.Hour)}
			if err := db.InTx(ctx, func(tx store.Q) error {
				return errors.Join(tx.CreateSession(ctx, live), tx.CreateSession(ctx, old))
			}); err != nil {
				t.Fatal(err)
			}
			s, su, err := db.Read().SessionUser(ctx, "live", now)
			if err != nil || s != live || su.ID != "u1" {
				t.Fatalf("SessionUser(live) = %+v %+v %v", s, su, err)
			}
			if _, _, err := db.Read().SessionUser(ctx, "old", now); !errors.Is(err, apperr.ErrNotFound) {
				t.Fatalf("expired session: %v", err)
			}
			if db.Dialect() == store.SQLite {
				if n, err := db.Read().DeleteExpiredSessions(ctx, now); err == nil {
					t.Fatalf("a write on the SQLite reader pool succeeded (deleted %d)", n)
				}
			}
			if err := db.InTx(ctx, func(tx store.Q) error {
				n, err := tx.DeleteExpiredSessions(ctx, now)
				if n != 1 {
					t.Errorf("expired sessions deleted: %d", n)
				}
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if err := db.InTx(ctx, func(tx store.Q) error { return tx.DeleteSession(ctx, "live") }); err != nil {
				t.Fatal(err)
			}
			if _, _, err := db.Read().SessionUser(ctx, "live", now); !errors.Is(err, apperr.ErrNotFound) {
				t.Fatalf("deleted session still found: %v", err)
			}
		})
	}
}

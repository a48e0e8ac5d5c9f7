package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestClearedAt: UpdateRoom notes a room's first clearance and keeps it when the room loses
// and wins the gate again; migration 00012 backfills it from the trail, or from the last
// change of a room cleared or later without one.
func TestClearedAt(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			t0 := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
			room := func(id, status string) store.Room {
				return store.Room{ID: id, Title: "R", Location: "L", STSETA: t0, Status: status, CreatedBy: "u1", CreatedAt: t0, UpdatedAt: t0}
			}
			move := func(id, status string, at time.Time) {
				t.Helper()
				err := db.InTx(ctx, func(tx store.Q) error {
					r, err := tx.RoomByID(ctx, id)
					if err != nil {
						return err
					}
					r.Status, r.UpdatedAt = status, at
					return tx.UpdateRoom(ctx, r)
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			clearedAt := func(id string) *time.Time {
				t.Helper()
				r, err := db.Read().RoomByID(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				return r.ClearedAt
			}
			err := db.InTx(ctx, func(tx store.Q) error {
				if err := tx.CreateUser(ctx, store.User{ID: "u1", Email: "a@b.test", Name: "A", Role: "user", PasswordHash: "x", CreatedAt: t0, UpdatedAt: t0}); err != nil {
					return err
				}
				for id, st := range map[string]string{"r1": "clearing", "trail": "clearing", "op": "in_operation", "never": "clearing"} {
					if err := tx.CreateRoom(ctx, room(id, st)); err != nil {
						return err
					}
				}
				// The gate once cleared "trail", which lost it again.
				_, err := tx.AppendAudit(ctx, audit.Entry{ID: "e1", Scope: "trail", TS: t0.Add(time.Hour), Action: audit.ActionRoomStatusChanged,
					TargetType: "room", TargetID: "trail", Meta: []byte(`{"automatic":true,"from":"clearing","reason":"","to":"cleared"}`)})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			move("r1", "cleared", t0.Add(time.Hour))
			move("r1", "clearing", t0.Add(2*time.Hour))
			move("r1", "cleared", t0.Add(3*time.Hour))
			if got := clearedAt("r1"); got == nil || !got.Equal(t0.Add(time.Hour)) {
				t.Errorf("cleared_at after cleared, clearing, cleared: %v, want the first", got)
			}

			downTo(t, db, 11)
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if got := clearedAt("trail"); got == nil || !got.Equal(t0.Add(time.Hour)) {
				t.Errorf("backfilled from the trail: %v", got)
			}
			if got := clearedAt("op"); got == nil || !got.Equal(t0) {
				t.Errorf("backfilled for a room in operation: %v", got)
			}
			if got := clearedAt("never"); got != nil {
				t.Errorf("a room never cleared: %v", got)
			}
		})
	}
}

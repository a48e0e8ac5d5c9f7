package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

func TestMigrationFoldersInStep(t *testing.T) {
	lite, err := store.MigrationVersions(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.MigrationVersions(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || !slices.Equal(lite, pg) {
		t.Fatalf("migration versions differ: sqlite %v, postgres %v", lite, pg)
	}
}

func TestMigrateUpDownUp(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db, err := store.Open(ctx, storetest.Options(t, engine, ""))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if ok, _ := db.MigrationsCurrent(ctx); ok {
				t.Fatal("an empty database reports current migrations")
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if ok, err := db.MigrationsCurrent(ctx); !ok || err != nil {
				t.Fatalf("after up: current=%v err=%v", ok, err)
			}
			versions, _ := store.MigrationVersions(db.Dialect())
			for range versions {
				if ok, err := db.MigrateDown(ctx); !ok || err != nil {
					t.Fatalf("down: %v %v", ok, err)
				}
			}
			if ok, err := db.MigrateDown(ctx); ok || err != nil {
				t.Fatalf("down past the first version: %v %v", ok, err)
			}
			statuses, err := db.MigrationStatuses(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range statuses {
				if s.Applied {
					t.Errorf("migration %d still applied after all downs", s.Version)
				}
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("up again: %v", err)
			}
		})
	}
}

// Package storetest opens a fresh, migrated database for one test, on every engine the
// machine offers: SQLite always, PostgreSQL when STSHUB_TEST_DATABASE_URL is set. Each
// PostgreSQL test gets its own schema, dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stshub/stshub/internal/store"
)

// EnvPostgresURL names the variable that enables the PostgreSQL runs.
const EnvPostgresURL = "STSHUB_TEST_DATABASE_URL"

// Engines lists the engines to test on: "sqlite", and "postgres" when configured.
func Engines() []string {
	if os.Getenv(EnvPostgresURL) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Options returns store options for a fresh, empty database on engine, cleaned up with t.
// For SQLite the file lives in dir (t.TempDir() when dir is "").
func Options(t testing.TB, engine, dir string) store.Options {
	t.Helper()
	if engine == "postgres" {
		return store.Options{PostgresURL: FreshPostgresSchema(t)}
	}
	if dir == "" {
		dir = t.TempDir()
	}
	return store.Options{SQLitePath: filepath.Join(dir, "stshub.db")}
}

// Open returns a fresh, migrated database on engine, closed when the test ends.
func Open(t testing.TB, engine string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, Options(t, engine, ""))
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", engine, err)
	}
	return db
}

// FreshPostgresSchema creates an empty schema on the test server and returns a URL whose
// connections use it; the schema is dropped when the test ends.
func FreshPostgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgresURL)
	if base == "" {
		t.Skip(EnvPostgresURL + " is not set")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

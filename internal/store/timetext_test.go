package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// SQLite stores times as text. They must be written in UTC, in the layout the driver tries
// first when it reads one (migration 00009 and the DSN in openSQLite), and the migration
// that moves older text to it must keep every instant and the audit chain intact, both ways.
func TestSQLiteTimeTextLayout(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, "sqlite")
	raw := db.Pools()["writer"]
	// rawText reads a time column's text as stored: an expression has no declared type,
	// so the driver hands it over without parsing it.
	rawText := func(query string) string {
		t.Helper()
		var s string
		if err := raw.QueryRowContext(ctx, query).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}

	// A time in another zone is stored as its UTC instant.
	created := time.Date(2026, 11, 26, 8, 30, 15, 123456000, time.FixedZone("", 2*3600))
	u := store.User{ID: "u1", Email: "ops@example.com", Name: "Ops", Role: "user", PasswordHash: "h", CreatedAt: created, UpdatedAt: created}
	entry := audit.Entry{ID: "a1", Scope: "platform", TS: created.UTC(), ActorID: "u1", ActorEmail: u.Email,
		Action: audit.ActionUserCreated, TargetType: "user", TargetID: "u1", Meta: []byte(`{}`)}
	if err := db.InTx(ctx, func(tx store.Q) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		_, err := tx.AppendAudit(ctx, entry)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	const want = "2026-11-26 06:30:15.123456 +0000 UTC"
	check := func(stage, wantText string) {
		t.Helper()
		if got := rawText(`SELECT created_at || '' FROM users`); got != wantText {
			t.Errorf("%s: users.created_at stored as %q, want %q", stage, got, wantText)
		}
		if got := rawText(`SELECT ts || '' FROM audit_entries`); got != wantText {
			t.Errorf("%s: audit_entries.ts stored as %q, want %q", stage, got, wantText)
		}
		// Read through the driver as a typed column (not with UserByID, whose columns include
		// ones later migrations add, which a migrated-down schema lacks).
		var got time.Time
		if err := raw.QueryRowContext(ctx, `SELECT created_at FROM users WHERE id = 'u1'`).Scan(&got); err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
		if !got.Equal(created) || got.Location() != time.UTC {
			t.Errorf("%s: created_at reads as %v, want %v in UTC", stage, got, created)
		}
		var entries []audit.Entry
		if err := db.Read().EachAudit(ctx, "platform", func(e audit.Entry) error { entries = append(entries, e); return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := audit.Verify("platform", entries); err != nil {
			t.Errorf("%s: the audit chain no longer verifies: %v", stage, err)
		}
	}
	check("written", want)

	// Down through 00009, whatever came after it.
	for {
		statuses, err := db.MigrationStatuses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(statuses, func(m store.MigrationStatus) bool { return m.Version == 9 && m.Applied }) {
			break
		}
		if ok, err := db.MigrateDown(ctx); !ok || err != nil {
			t.Fatalf("migrate down: %v %v", ok, err)
		}
	}
	check("after down", strings.TrimSuffix(want, " +0000 UTC")+"+00:00")

	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	check("after up", want)
}

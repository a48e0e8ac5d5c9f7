package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestInvitationMigration00024: of two open invitations to the platform for one e-mail made
// before migration 00024, the newer stays open and the older is closed as withdrawn when it
// was sent, so the unique index can be made; the links not yet accepted are taken as shown
// to their inviter.
func TestInvitationMigration00024(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			downTo(t, db, 23)
			insert := `INSERT INTO invitations (id, email, room_id, party_id, role, invited_by, token_hash, created_at, sent_at, expires_at)
				VALUES (?, 'auditor@gard.test', NULL, NULL, 'user', 'admin-1', ?, ?, ?, ?)`
			if db.Dialect() == store.Postgres {
				for i := 1; strings.Contains(insert, "?"); i++ {
					insert = strings.Replace(insert, "?", "$"+string(rune('0'+i)), 1)
				}
			}
			older := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			newer := older.Add(time.Hour)
			for id, at := range map[string]time.Time{"old": older, "new": newer} {
				if _, err := db.JobPool().ExecContext(ctx, insert, id, "hash-"+id, at, at, at.Add(7*24*time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("migrate with two open invitations of one e-mail: %v", err)
			}
			old, err := db.Read().InvitationByID(ctx, "", "old")
			if err != nil {
				t.Fatal(err)
			}
			open, err := db.Read().OpenPlatformInvitation(ctx, "auditor@gard.test")
			if err != nil || open.ID != "new" {
				t.Errorf("the open invitation after the migration: %q %v, want the newer", open.ID, err)
			}
			if old.RevokedAt == nil || !old.RevokedAt.Equal(older) {
				t.Errorf("the older invitation is withdrawn at %v, want when it was sent, %v", old.RevokedAt, older)
			}
			for _, v := range []store.Invitation{old, open} {
				if v.LinkShownTo == nil || *v.LinkShownTo != "admin-1" {
					t.Errorf("invitation %s: link shown to %v, want its inviter", v.ID, v.LinkShownTo)
				}
			}
		})
	}
}

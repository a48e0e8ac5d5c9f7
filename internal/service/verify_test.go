package service_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

// TestVerifyAuditDetectsTampering changes one column of one stored entry at a time, behind
// the application's back, and expects verification to name that entry.
func TestVerifyAuditDetectsTampering(t *testing.T) {
	columns := map[string]string{
		"id": "'forged-id'", "seq": "seq + 100", "ts": "ts", "actor_id": "'mallory'", "actor_email": "'mallory@example.com'",
		"action": "'room_deleted'", "target_type": "'user'", "target_id": "'x'", "meta": `'{"title":"forged"}'`,
		"request_id": "'r'", "ip": "'10.0.0.1'", "prev_hash": "'00'", "hash": "'00'",
	}
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		svc := env.App.Service()
		ctx := t.Context()
		env.CreateUser("broker@valletta.test")
		broker, err := svc.Login(ctx, "broker@valletta.test", apptest.Password)
		if err != nil {
			t.Fatal(err)
		}
		actor := service.Actor{UserID: broker.User.ID, Email: broker.User.Email}
		room, err := svc.CreateRoom(ctx, actor, service.NewRoom{RoomFields: clearance.RoomFields{Title: "Skaw", Location: "Skaw", STSETA: time.Now().Add(48 * time.Hour)}})
		if err != nil {
			t.Fatal(err)
		}
		title := "Skaw lightering"
		if _, err := svc.UpdateRoom(ctx, actor, room.ID, service.RoomPatch{Title: &title}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.VerifyAudit(ctx, ""); err != nil {
			t.Fatalf("untouched trails fail: %v", err)
		}
		entries, _, err := svc.ListActivities(ctx, actor, room.ID, service.ActivityFilter{})
		if err != nil {
			t.Fatal(err)
		}
		target := entries[1] // the party_added entry, in the middle of the chain
		for column, value := range columns {
			t.Run(column, func(t *testing.T) {
				// Snapshot the row, tamper, verify, restore.
				env.RawExec(`CREATE TABLE IF NOT EXISTS audit_backup AS SELECT * FROM audit_entries WHERE 1 = 0`)
				env.RawExec(`DELETE FROM audit_backup`)
				env.RawExec(`INSERT INTO audit_backup SELECT * FROM audit_entries WHERE id = ?`, target.ID)
				set := column + " = " + value
				if column == "ts" {
					set = "ts = ?"
				}
				args := []any{}
				if column == "ts" {
					args = append(args, target.TS.Add(time.Second))
				}
				if n := env.RawExec(`UPDATE audit_entries SET `+set+` WHERE id = ?`, append(args, target.ID)...); n != 1 {
					t.Fatalf("tampered %d rows", n)
				}
				_, err := svc.VerifyAudit(ctx, room.ID)
				var broken *audit.BrokenError
				if !errors.As(err, &broken) {
					t.Fatalf("tampering with %s went unnoticed: %v", column, err)
				}
				if broken.Seq != target.Seq && broken.Seq != target.Seq+1 {
					t.Errorf("broken at seq %d, tampered seq %d", broken.Seq, target.Seq)
				}
				env.RawExec(`DELETE FROM audit_entries WHERE id IN (?, 'forged-id')`, target.ID)
				env.RawExec(`INSERT INTO audit_entries SELECT * FROM audit_backup`)
				if _, err := svc.VerifyAudit(ctx, room.ID); err != nil {
					t.Fatalf("restored chain fails: %v", err)
				}
			})
		}
		// An unknown room has no trail: that is a failure, not an empty success.
		if _, err := svc.VerifyAudit(ctx, "no-such-room"); err == nil {
			t.Fatal("verifying an unknown room succeeds")
		}
		// A chain whose head row is deleted is still found and checked by a full verification.
		env.RawExec(`UPDATE audit_entries SET actor_email = 'mallory@example.com' WHERE id = ?`, target.ID)
		env.RawExec(`DELETE FROM audit_heads WHERE scope = ?`, room.ID)
		if _, err := svc.VerifyAudit(ctx, ""); err == nil {
			t.Fatal("tampering hidden by deleting the head row")
		}
		env.RawExec(`DELETE FROM audit_entries WHERE id = ?`, target.ID)
		env.RawExec(`INSERT INTO audit_entries SELECT * FROM audit_backup`)
		env.RawExec(`INSERT INTO audit_heads (scope, seq, hash) VALUES (?, ?, ?)`, room.ID, entries[0].Seq, entries[0].Hash)
		if _, err := svc.VerifyAudit(ctx, room.ID); err != nil {
			t.Fatalf("restored chain fails: %v", err)
		}
		// Cutting entries off the end is caught by the recorded head.
		env.RawExec(`DELETE FROM audit_entries WHERE scope = ? AND seq = ?`, room.ID, entries[0].Seq)
		if _, err := svc.VerifyAudit(ctx, room.ID); err == nil {
			t.Fatal("a truncated chain verifies")
		}
	})
}

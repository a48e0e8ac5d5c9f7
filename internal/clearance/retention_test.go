package clearance

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
)

// TestCheckRetention: every action on a room in every status, live, archived and deleted.
func TestCheckRetention(t *testing.T) {
	at := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	reads := map[authz.Action]bool{authz.ViewRoom: true, authz.ViewActivity: true, authz.ExportActivity: true}
	for _, st := range RoomStatuses() {
		for _, a := range authz.Actions() {
			live := RoomRecord{Status: st}
			// Live: only deleting a room that left draft and archiving an unfinished one are refused.
			wantLive := ""
			switch {
			case a == authz.DeleteRoom && st != StatusDraft:
				wantLive = "archive it instead"
			case a == authz.ArchiveRoom && !IsFinal(st):
				wantLive = "complete or cancel it first"
			}
			checkRetention(t, "live "+string(st), live, a, wantLive)

			archived := RoomRecord{Status: st, ArchivedAt: &at}
			wantArchived := "the room is archived"
			if reads[a] || a == authz.ArchiveRoom { // reading, and unarchiving
				wantArchived = ""
			}
			checkRetention(t, "archived "+string(st), archived, a, wantArchived)

			deleted := RoomRecord{Status: st, DeletedAt: &at, ArchivedAt: &at}
			wantDeleted := "the room is deleted"
			if reads[a] {
				wantDeleted = ""
			}
			checkRetention(t, "deleted "+string(st), deleted, a, wantDeleted)
		}
	}
	// An action the rules do not know is a write.
	checkRetention(t, "unknown action", RoomRecord{Status: StatusCompleted, ArchivedAt: &at}, authz.Action("new_action"), "the room is archived")
}

func checkRetention(t *testing.T, name string, r RoomRecord, a authz.Action, want string) {
	t.Helper()
	err := CheckRetention(r, a)
	switch {
	case want == "" && err != nil:
		t.Errorf("%s: %s refused: %v", name, a, err)
	case want != "" && (!errors.Is(err, apperr.ErrConflict) || !strings.Contains(err.Error(), want)):
		t.Errorf("%s: %s = %v, want a conflict saying %q", name, a, err, want)
	}
}

// TestSnapshotDeletable: every status, ever cleared or not, at the retention boundary.
func TestSnapshotDeletable(t *testing.T) {
	now := time.Date(2029, 3, 15, 12, 0, 0, 0, time.UTC)
	retention := DefaultRecordRetention
	cleared := now.AddDate(-1, 0, 0)
	ages := []struct {
		name string
		age  time.Duration
		old  bool
	}{
		{"fresh", 0, false},
		{"a second under the period", retention - time.Second, false},
		{"exactly the period", retention, false},
		{"a second over the period", retention + time.Second, true},
		{"ten years", 10 * 365 * 24 * time.Hour, true},
	}
	for _, st := range RoomStatuses() {
		for _, everCleared := range []bool{false, true} {
			room := RoomRecord{Status: st}
			if everCleared {
				room.ClearedAt = &cleared
			}
			wasCleared := everCleared || st == StatusCleared || st == StatusInOperation || st == StatusCompleted
			for _, a := range ages {
				err := SnapshotDeletable(room, now.Add(-a.age), now, retention)
				name := string(st) + " ever cleared " + map[bool]string{false: "no", true: "yes"}[everCleared] + ", " + a.name
				switch {
				case wasCleared:
					if !errors.Is(err, apperr.ErrConflict) || !strings.Contains(err.Error(), "has been cleared") {
						t.Errorf("%s: %v, want the clearance reason", name, err)
					}
				case a.old:
					if !errors.Is(err, apperr.ErrConflict) || !strings.Contains(err.Error(), "older than the retention period (1096 days)") {
						t.Errorf("%s: %v, want the retention reason", name, err)
					}
				case err != nil:
					t.Errorf("%s: refused: %v", name, err)
				}
			}
		}
	}
}

func TestRetentionText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		DefaultRecordRetention: "1096 days",
		24 * time.Hour:         "1 day",
		90 * time.Minute:       "1h30m0s",
	} {
		if got := RetentionText(d); got != want {
			t.Errorf("RetentionText(%s) = %q, want %q", d, got, want)
		}
	}
}

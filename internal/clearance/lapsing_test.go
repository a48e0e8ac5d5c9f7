package clearance

import (
	"testing"
	"time"
)

// TestLapsesSoon: the daily list holds what ends after now and before now + 14 days, in a
// room whose operation is not over.
func TestLapsesSoon(t *testing.T) {
	now := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	limit := now.AddDate(0, 0, LapsingWithinDays)
	for _, c := range []struct {
		name   string
		until  time.Time
		status RoomStatus
		want   bool
	}{
		{"lapsed a second ago", now.Add(-time.Second), StatusClearing, false},
		{"lapses now", now, StatusClearing, false},
		{"lapses in a second", now.Add(time.Second), StatusClearing, true},
		{"14 days less a second", limit.Add(-time.Second), StatusInOperation, true},
		{"exactly 14 days", limit, StatusInOperation, false},
		{"14 days and a second", limit.Add(time.Second), StatusClearing, false},
		{"14 days and a day", limit.AddDate(0, 0, 1), StatusClearing, false},
		{"on hold", limit.Add(-time.Second), StatusOnHold, true},
		{"a completed operation", limit.Add(-time.Second), StatusCompleted, false},
		{"a cancelled operation", now.Add(time.Second), StatusCancelled, false},
	} {
		if got := LapsesSoon(c.until, now, c.status); got != c.want {
			t.Errorf("%s: LapsesSoon = %v, want %v", c.name, got, c.want)
		}
	}
}

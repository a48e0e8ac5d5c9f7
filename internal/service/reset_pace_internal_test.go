package service

import (
	"testing"
	"time"
)

// TestResetWanted: a requested reset link is made while none works, or once the newest is
// resetQuiet old and fewer than maxLiveResets work (review S2), at the boundaries.
func TestResetWanted(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	cases := []struct {
		name   string
		live   int
		newest time.Time
		want   bool
	}{
		{"none works", 0, time.Time{}, true},
		{"one just made", 1, now, false},
		{"one made 1 ns short of the quiet time", 1, now.Add(-resetQuiet + time.Nanosecond), false},
		{"one made the quiet time ago", 1, now.Add(-resetQuiet), true},
		{"one short of the cap, old enough", maxLiveResets - 1, now.Add(-time.Hour), true},
		{"at the cap, old enough", maxLiveResets, now.Add(-time.Hour), false},
	}
	for _, c := range cases {
		if got := resetWanted(c.live, c.newest, now); got != c.want {
			t.Errorf("%s: resetWanted(%d, %v) = %v, want %v", c.name, c.live, c.newest, got, c.want)
		}
	}
}

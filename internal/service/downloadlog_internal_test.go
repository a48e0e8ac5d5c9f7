package service

import (
	"testing"
	"time"
)

// TestPreviewDue: a person's view of a version is recorded once per hour — not again just
// before the hour is up, again at the hour and after it.
func TestPreviewDue(t *testing.T) {
	now := time.Date(2026, 3, 14, 8, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		last time.Time
		want bool
	}{
		{"never viewed in the window", time.Time{}, true},
		{"viewed just now", now, false},
		{"viewed 59 min ago", now.Add(-59 * time.Minute), false},
		{"viewed 1 ns short of an hour ago", now.Add(-previewWindow + time.Nanosecond), false},
		{"viewed an hour ago", now.Add(-previewWindow), true},
		{"viewed an hour and 1 ns ago", now.Add(-previewWindow - time.Nanosecond), true},
		{"recorded ahead of this node's clock", now.Add(time.Minute), false},
	} {
		if got := previewDue(c.last, now); got != c.want {
			t.Errorf("%s: previewDue = %v, want %v", c.name, got, c.want)
		}
	}
	if previewWindow != time.Hour {
		t.Errorf("the window is %v; the docs say one hour", previewWindow)
	}
}

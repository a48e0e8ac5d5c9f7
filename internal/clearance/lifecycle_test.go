package clearance

import (
	"errors"
	"testing"

	"github.com/stshub/stshub/internal/apperr"
)

// TestRoomTransitions is the whole lifecycle as one table: every (from, to) pair.
func TestRoomTransitions(t *testing.T) {
	allowed := map[RoomStatus][]RoomStatus{
		StatusDraft:       {StatusClearing, StatusCancelled},
		StatusClearing:    {StatusCleared, StatusOnHold, StatusCancelled},
		StatusCleared:     {StatusClearing, StatusInOperation, StatusOnHold, StatusCancelled},
		StatusInOperation: {StatusCompleted, StatusOnHold, StatusCancelled},
		StatusOnHold:      {StatusClearing, StatusCancelled},
		StatusCompleted:   nil,
		StatusCancelled:   nil,
	}
	for _, from := range RoomStatuses() {
		for _, to := range RoomStatuses() {
			want := false
			for _, a := range allowed[from] {
				want = want || a == to
			}
			err := CheckRoomTransition(from, to)
			if want && err != nil {
				t.Errorf("%s → %s refused: %v", from, to, err)
			}
			if !want && !errors.Is(err, apperr.ErrConflict) {
				t.Errorf("%s → %s allowed, want a conflict", from, to)
			}
		}
	}
	for from, tos := range roomTransitions {
		if len(tos) != len(allowed[from]) {
			t.Errorf("the lifecycle from %s has %d moves, the table %d", from, len(tos), len(allowed[from]))
		}
	}
}

func TestNeedsReason(t *testing.T) {
	for _, s := range RoomStatuses() {
		want := s == StatusOnHold || s == StatusCancelled
		if NeedsReason(s) != want {
			t.Errorf("NeedsReason(%s) = %v", s, !want)
		}
	}
}

func TestFollowGate(t *testing.T) {
	cases := []struct {
		from    RoomStatus
		cleared bool
		to      RoomStatus
		moved   bool
	}{
		{StatusClearing, true, StatusCleared, true},
		{StatusClearing, false, StatusClearing, false},
		{StatusCleared, false, StatusClearing, true},
		{StatusCleared, true, StatusCleared, false},
		{StatusDraft, true, StatusDraft, false},
		{StatusInOperation, false, StatusInOperation, false},
		{StatusOnHold, true, StatusOnHold, false},
		{StatusCompleted, false, StatusCompleted, false},
	}
	for _, c := range cases {
		to, moved := FollowGate(c.from, c.cleared)
		if to != c.to || moved != c.moved {
			t.Errorf("FollowGate(%s, %v) = %s, %v; want %s, %v", c.from, c.cleared, to, moved, c.to, c.moved)
		}
		if moved {
			if err := CheckRoomTransition(c.from, to); err != nil {
				t.Errorf("automatic move %s → %s is not in the lifecycle: %v", c.from, to, err)
			}
		}
	}
}

package clearance

import (
	"fmt"
	"slices"

	"github.com/stshub/stshub/internal/apperr"
)

// roomTransitions is the room lifecycle: from → the statuses a party may move it to.
// cleared ⇄ clearing also happens automatically as the gate is won and lost (see Gate);
// the table allows those moves so the automatic ones pass the same check.
var roomTransitions = map[RoomStatus][]RoomStatus{
	StatusDraft:       {StatusClearing, StatusCancelled},
	StatusClearing:    {StatusCleared, StatusOnHold, StatusCancelled},
	StatusCleared:     {StatusClearing, StatusInOperation, StatusOnHold, StatusCancelled},
	StatusInOperation: {StatusCompleted, StatusOnHold, StatusCancelled},
	StatusOnHold:      {StatusClearing, StatusCancelled},
	StatusCompleted:   {},
	StatusCancelled:   {},
}

// CheckRoomTransition refuses a move the lifecycle does not allow with apperr.ErrConflict.
func CheckRoomTransition(from, to RoomStatus) error {
	if slices.Contains(roomTransitions[from], to) {
		return nil
	}
	return fmt.Errorf("a room cannot go from %s to %s: %w", from, to, apperr.ErrConflict)
}

// RoomStatuses lists every status in lifecycle order: the one list of room statuses, from
// which the API's enum, validation and the lifecycle test are derived.
func RoomStatuses() []RoomStatus {
	return []RoomStatus{StatusDraft, StatusClearing, StatusCleared, StatusInOperation, StatusCompleted, StatusCancelled, StatusOnHold}
}

// IsFinal reports whether a room's operation is over (completed or cancelled).
func IsFinal(s RoomStatus) bool {
	return s == StatusCompleted || s == StatusCancelled
}

// NeedsReason reports whether moving to status must give a reason (holds and cancellations).
func NeedsReason(to RoomStatus) bool {
	return to == StatusOnHold || to == StatusCancelled
}

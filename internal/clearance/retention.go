package clearance

import (
	"fmt"
	"slices"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
)

// Records stay. MARPOL Annex I ch. 8 asks for STS records to be kept three years, so what a
// room has recorded outlives the room: a room that has left draft is archived, not deleted;
// an archived or deleted room is read-only; the snapshots that prove a clearance, and those
// older than the retention period, are never deleted.

// DefaultRecordRetention is the retention period of snapshots when none is configured:
// three years, a leap day included (1096 days).
const DefaultRecordRetention = 1096 * 24 * time.Hour

// RoomRecord is what the record-keeping rules need to know of a room.
type RoomRecord struct {
	Status     RoomStatus
	ClearedAt  *time.Time // the first time the room was cleared; nil if it never was
	ArchivedAt *time.Time
	DeletedAt  *time.Time
}

// readActions change nothing in a room: an archived or deleted room still allows them.
// Every other action is a write (an unknown one too, so a new action is refused on a closed
// record until it is listed here).
var readActions = []authz.Action{authz.ViewRoom, authz.ViewActivity, authz.ExportActivity}

// CheckRetention refuses, with apperr.ErrConflict and the reason, what the record-keeping
// rules forbid whatever the caller's role: any write to a deleted room; any write but
// unarchiving (authz.ArchiveRoom) to an archived one; deleting a room that has left draft;
// archiving a room that is neither completed nor cancelled.
func CheckRetention(r RoomRecord, action authz.Action) error {
	if slices.Contains(readActions, action) {
		return nil
	}
	switch {
	case r.DeletedAt != nil:
		return fmt.Errorf("the room is deleted: its record is kept read-only: %w", apperr.ErrConflict)
	case r.ArchivedAt != nil && action != authz.ArchiveRoom:
		return fmt.Errorf("the room is archived: its record is read-only until it is unarchived: %w", apperr.ErrConflict)
	case action == authz.DeleteRoom && r.Status != StatusDraft:
		return fmt.Errorf("the room is %s: a room that has left draft cannot be deleted, its records are kept; "+
			"archive it instead once it is completed or cancelled: %w", r.Status, apperr.ErrConflict)
	case action == authz.ArchiveRoom && r.ArchivedAt == nil && !IsFinal(r.Status):
		return fmt.Errorf("the room is %s: only a completed or cancelled room can be archived; complete or cancel it first: %w",
			r.Status, apperr.ErrConflict)
	}
	return nil
}

// WasCleared reports whether the room is cleared or later (in operation, completed), or
// has ever been cleared.
func (r RoomRecord) WasCleared() bool {
	switch r.Status {
	case StatusCleared, StatusInOperation, StatusCompleted:
		return true
	}
	return r.ClearedAt != nil
}

// SnapshotDeletable refuses, with apperr.ErrConflict and the reason, the deletion of a
// snapshot taken at takenAt: a snapshot of a room that is or was cleared proves that
// clearance, and one older than the retention period is part of the kept record. A
// snapshot exactly retention old may still go.
func SnapshotDeletable(room RoomRecord, takenAt, now time.Time, retention time.Duration) error {
	if room.WasCleared() {
		return fmt.Errorf("the room has been cleared: its snapshots are the record of that clearance and are kept: %w", apperr.ErrConflict)
	}
	if now.Sub(takenAt) > retention {
		return fmt.Errorf("the snapshot is older than the retention period (%s): it is kept: %w", RetentionText(retention), apperr.ErrConflict)
	}
	return nil
}

// RetentionText is a retention period in words: whole days as days ("1096 days"),
// anything else as a Go duration.
func RetentionText(d time.Duration) string {
	const day = 24 * time.Hour
	if d > 0 && d%day == 0 {
		if d == day {
			return "1 day"
		}
		return fmt.Sprintf("%d days", d/day)
	}
	return d.String()
}

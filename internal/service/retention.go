package service

import (
	"fmt"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// Records stay: the service's side of clearance.CheckRetention and
// clearance.SnapshotDeletable.

// recordOf is what the record-keeping rules need to know of a room.
func recordOf(r store.Room) clearance.RoomRecord {
	return clearance.RoomRecord{Status: clearance.RoomStatus(r.Status), ClearedAt: r.ClearedAt, ArchivedAt: r.ArchivedAt, DeletedAt: r.DeletedAt}
}

// reachDeleted lets only platform admins reach a deleted room.
//
// SECURITY: a deleted room is kept for the record and reachable by a platform admin with a
// party in it (the explicit, audited AdminAccess); to everyone else it is apperr.ErrNotFound,
// as if it never existed.
func reachDeleted(actor Actor, m store.Membership) error {
	if m.Room.DeletedAt != nil && !actor.IsAdmin() {
		return fmt.Errorf("room: %w", apperr.ErrNotFound)
	}
	return nil
}

// RecordRetention is how long a snapshot may still be deleted (if its room was never
// cleared): Options.RecordRetention, or clearance.DefaultRecordRetention.
func (s *Service) RecordRetention() time.Duration {
	if s.opts.RecordRetention > 0 {
		return s.opts.RecordRetention
	}
	return clearance.DefaultRecordRetention
}

// snapshotDeletable is clearance.SnapshotDeletable now, with the configured retention.
func (s *Service) snapshotDeletable(room store.Room, snap clearance.Snapshot) error {
	return clearance.SnapshotDeletable(recordOf(room), snap.CreatedAt, s.now(), s.RecordRetention())
}

// SnapshotKept says why a snapshot of room is kept, in words, or "" when it may be deleted:
// the UI shows it in place of the delete button. It reads nothing.
func (s *Service) SnapshotKept(room store.Room, snap clearance.Snapshot) string {
	err := s.snapshotDeletable(room, snap)
	if err == nil {
		return ""
	}
	return strings.TrimSuffix(err.Error(), ": "+apperr.ErrConflict.Error())
}

package store

import (
	"context"
	"fmt"

	"github.com/stshub/stshub/internal/clearance"
)

// MilestoneRecord is the domain's record (clearance.MilestoneRecord), read and written here.
type MilestoneRecord = clearance.MilestoneRecord

func milestoneRow() row[MilestoneRecord] {
	var m MilestoneRecord
	return row[MilestoneRecord]{
		dest: []any{&m.RoomID, &m.Milestone, &m.OccurredAt, &m.RecordedBy, &m.RecorderEmail, &m.RecorderName, &m.RecordedAt},
		value: func() MilestoneRecord {
			out := m
			out.OccurredAt, out.RecordedAt = m.OccurredAt.UTC(), m.RecordedAt.UTC()
			return out
		},
	}
}

// ListMilestones returns a room's recorded milestones in the order they happened.
func (q Q) ListMilestones(ctx context.Context, roomID string) ([]MilestoneRecord, error) {
	rows, err := q.query(ctx, `SELECT m.room_id, m.milestone, m.occurred_at, m.recorded_by, m.recorder_email,
		COALESCE((SELECT u.name FROM users u WHERE u.id = m.recorded_by), ''), m.recorded_at
		FROM room_milestones m WHERE m.room_id = ? ORDER BY m.occurred_at, m.recorded_at`, roomID)
	if err != nil {
		return nil, fmt.Errorf("list milestones: %w", err)
	}
	return collect(rows, "list milestones", milestoneRow())
}

// RecordMilestone stores a milestone of a room; one recorded already is apperr.ErrConflict.
func (q Q) RecordMilestone(ctx context.Context, m MilestoneRecord) error {
	_, err := q.exec(ctx, `INSERT INTO room_milestones (room_id, milestone, occurred_at, recorded_by, recorder_email, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?)`, m.RoomID, m.Milestone, m.OccurredAt, m.RecordedBy, m.RecorderEmail, m.RecordedAt)
	if err != nil {
		return fmt.Errorf("record milestone: %w", q.d.classify(err))
	}
	return nil
}

package service

import (
	"context"
	"fmt"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// Operation is where a room's operation stands: its checklists against the sides that sign
// them, and the milestones recorded so far.
type Operation struct {
	Checklists []clearance.Checklist
	Sides      []clearance.SignatureSide
	Milestones []clearance.MilestoneRecord
}

// Next is the next milestone and what keeps it from being recorded: the reasons its
// checklist is not complete on every ship. ok is false once the ships are unmoored.
func (o Operation) Next() (next clearance.Milestone, lacking []string, ok bool) {
	if next, ok = clearance.NextMilestone(o.Milestones); !ok {
		return "", nil, false
	}
	return next, o.lacking(next.Phase()), true
}

// lacking says why the checklists of phase are not complete; none for phase 0.
func (o Operation) lacking(phase int) []string {
	if phase == 0 {
		return nil
	}
	return clearance.Reasons(clearance.IncompleteChecklists(o.Checklists, o.Sides, phase))
}

// CompletionLacks says what keeps the room from being completed.
func (o Operation) CompletionLacks() []string {
	return clearance.CompletionLacks(o.Milestones, clearance.Reasons(clearance.IncompleteChecklists(o.Checklists, o.Sides)))
}

// operation reads a room's operation on q: its vessels, checklists and milestones.
func operation(ctx context.Context, q store.Q, roomID string) (Operation, error) {
	sides, err := signatureSides(ctx, q, roomID)
	if err != nil {
		return Operation{}, err
	}
	lists, err := q.ListChecklists(ctx, roomID)
	if err != nil {
		return Operation{}, err
	}
	milestones, err := q.ListMilestones(ctx, roomID)
	if err != nil {
		return Operation{}, err
	}
	return Operation{Checklists: lists, Sides: sides, Milestones: milestones}, nil
}

// GetOperation returns where a room's operation stands.
func (s *Service) GetOperation(ctx context.Context, actor Actor, roomID string) (Operation, error) {
	q := s.db.Read()
	if _, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewRoom); err != nil {
		return Operation{}, err
	}
	return operation(ctx, q, roomID)
}

// RecordMilestone records that milestone happened at (now when at is nil), as reported by
// the ships: the room must be in operation, the milestone the next one, its checklist
// complete on every ship (clearance.CheckMilestone). It returns where the operation stands
// with the milestone recorded.
func (s *Service) RecordMilestone(ctx context.Context, actor Actor, roomID, milestone string, at *time.Time) (Operation, error) {
	m, err := clearance.ParseMilestone(milestone)
	if err != nil {
		return Operation{}, apperr.Invalid("milestone", err.Error())
	}
	var op Operation
	err = s.db.InTx(ctx, func(tx store.Q) error {
		member, err := authorizeMember(ctx, tx, actor, roomID, authz.RecordMilestone)
		if err != nil {
			return err
		}
		if authz.Role(member.Role) == authz.Owner && len(member.VesselIDs) == 0 {
			return fmt.Errorf("an owner reports the milestones of the ships it is bound to, and this party is bound to none: %w", apperr.ErrForbidden)
		}
		if op, err = operation(ctx, tx, roomID); err != nil {
			return err
		}
		now := s.now()
		when := now
		if at != nil {
			when = at.UTC()
		}
		in := clearance.MilestoneInput{Status: clearance.RoomStatus(member.Room.Status), Recorded: op.Milestones,
			Lacking: op.lacking(m.Phase()), At: when, Now: now}
		if m.Phase() != 0 {
			in.Ready = clearance.ChecklistsReady(op.Checklists, m.Phase())
		}
		if err := clearance.CheckMilestone(m, in); err != nil {
			return err
		}
		rec := clearance.MilestoneRecord{RoomID: roomID, Milestone: m, OccurredAt: when, RecordedBy: actor.UserID,
			RecorderEmail: actor.Email, RecordedAt: now}
		if err := tx.RecordMilestone(ctx, rec); err != nil {
			return err
		}
		op.Milestones = append(op.Milestones, rec)
		return s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionMilestoneRecorded, targetType: "room", targetID: roomID,
			meta: map[string]any{"milestone": string(m), "label": m.Label(), "occurred_at": when}})
	})
	return op, err
}

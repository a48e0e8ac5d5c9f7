package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// ChangeRoomStatus moves a room through its lifecycle: start clearing, mark it cleared,
// start and complete the operation, put it on hold or cancel it (both with a reason). The
// transition table lives in clearance; on top of it, clearing→cleared needs the clearance
// gate, cleared→in operation the commencement gate as well (which includes checklists 1 and
// 2 of every vessel), completing it the ships unmoored and every checklist complete. A hold
// belongs to a role (clearance.Hold): putting a room on hold makes it the caller's; lifting
// it (on_hold→clearing) is for that role alone, with a reason (clearance.CheckLift); a draft
// started while one of its screenings is a match goes on a compliance hold at once.
func (s *Service) ChangeRoomStatus(ctx context.Context, actor Actor, roomID, status, reason string) (RoomView, error) {
	reason = strings.TrimSpace(reason)
	var view RoomView
	err := s.db.InTx(ctx, func(tx store.Q) error {
		role, err := authorizeRoom(ctx, tx, actor, roomID, authz.ChangeRoomStatus)
		if err != nil {
			return err
		}
		to, err := clearance.ParseRoomStatus(status)
		if err != nil {
			return apperr.Invalid("status", err.Error())
		}
		if clearance.NeedsReason(to) && reason == "" {
			return apperr.Invalid("reason", "is required to put a room "+string(to))
		}
		if len([]rune(reason)) > 2000 {
			return apperr.Invalid("reason", "must be at most 2000 characters")
		}
		room, err := tx.RoomByID(ctx, roomID)
		if err != nil {
			return err
		}
		from := clearance.RoomStatus(room.Status)
		if err := clearance.CheckRoomTransition(from, to); err != nil {
			return err
		}
		holds, err := s.checkHoldChange(ctx, tx, role, room.ID, from, to, reason)
		if err != nil {
			return err
		}
		if err := s.checkStatusPreconditions(ctx, tx, room, to); err != nil {
			return err
		}
		now := s.now()
		room.Status, room.StatusReason, room.UpdatedAt = string(to), reason, now
		if err := tx.UpdateRoom(ctx, room); err != nil {
			return err
		}
		meta := map[string]any{"from": string(from), "to": string(to), "reason": reason, "automatic": false}
		if err := holds.apply(ctx, tx, actor, now, meta); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionRoomStatusChanged, targetType: "room", targetID: roomID,
			meta: meta}); err != nil {
			return err
		}
		if err := s.notifyStatus(ctx, tx, actor, room, to, reason); err != nil {
			return err
		}
		if holds.onStart != nil {
			// Started with a match among its screenings: on hold at once, not cleared.
			if err := s.holdForScreening(ctx, tx, actor, roomID, *holds.onStart); err != nil {
				return err
			}
		} else if to == clearance.StatusClearing {
			// Released from a hold or started: if nothing blocks, it is cleared at once.
			if err := s.followGate(ctx, tx, actor, roomID); err != nil {
				return err
			}
		}
		updated, err := tx.RoomByID(ctx, roomID)
		view = RoomView{Room: updated, Role: role}
		return err
	})
	if err != nil {
		return RoomView{}, err
	}
	return s.viewWithProgress(ctx, view)
}

// checkStatusPreconditions refuses, with apperr.ErrConflict naming what is missing, a move
// whose conditions are not met: cleared needs the clearance gate, in_operation the
// commencement gate too (clearance.Gate), completed the unmooring and all five checklists.
func (s *Service) checkStatusPreconditions(ctx context.Context, tx store.Q, room store.Room, to clearance.RoomStatus) error {
	var missing []string
	if to == clearance.StatusCleared || to == clearance.StatusInOperation {
		gate, err := s.roomGate(ctx, tx, room, s.now())
		if err != nil {
			return err
		}
		for _, b := range gate.Blockers {
			if to == clearance.StatusInOperation || b.Gate == clearance.GateClearance {
				missing = append(missing, b.Reason)
			}
		}
	}
	if to == clearance.StatusCompleted {
		op, err := operation(ctx, tx, room.ID)
		if err != nil {
			return err
		}
		missing = append(missing, op.CompletionLacks()...)
	}
	if len(missing) == 0 {
		return nil
	}
	const shown = 5
	more := ""
	if len(missing) > shown {
		more = fmt.Sprintf(" (and %d more)", len(missing)-shown)
		missing = missing[:shown]
	}
	return fmt.Errorf("the room cannot be %s yet: %s%s: %w", to, strings.Join(missing, "; "), more, apperr.ErrConflict)
}

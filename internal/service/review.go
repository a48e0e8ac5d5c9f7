package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// ApproveDocument accepts the latest version of a document.
func (s *Service) ApproveDocument(ctx context.Context, actor Actor, roomID, documentID string) (DocumentView, error) {
	return s.review(ctx, actor, roomID, documentID, clearance.EventApprove, "")
}

// RejectDocument refuses the latest version of a document, for a reason the uploader reads.
func (s *Service) RejectDocument(ctx context.Context, actor Actor, roomID, documentID, reason string) (DocumentView, error) {
	return s.review(ctx, actor, roomID, documentID, clearance.EventReject, reason)
}

// reviewAttempts is how often a review reads and judges a document that keeps changing
// under it before it gives up with a conflict.
const reviewAttempts = 3

// errChangedMeanwhile: the document changed between the review's read and its write.
var errChangedMeanwhile = fmt.Errorf("the document changed while it was being reviewed; reload it and review it again: %w", apperr.ErrConflict)

// review reads and judges the document before its transaction, off the writer's lock,
// and writes the decision only if the document is still as read (store.SaveReview); a
// document that changed meanwhile is read and judged again.
func (s *Service) review(ctx context.Context, actor Actor, roomID, documentID string, ev clearance.DocEvent, reason string) (DocumentView, error) {
	reason = strings.TrimSpace(reason)
	for attempt := 1; ; attempt++ {
		view, err := s.reviewOnce(ctx, actor, roomID, documentID, ev, reason)
		if !errors.Is(err, errChangedMeanwhile) || attempt == reviewAttempts {
			return view, err
		}
	}
}

func (s *Service) reviewOnce(ctx context.Context, actor Actor, roomID, documentID string, ev clearance.DocEvent, reason string) (DocumentView, error) {
	// The answer is built from what was read before the transaction (the versions and the
	// vessel's name: a review adds no version, and a new one would have failed SaveReview)
	// and what the transaction read and wrote (the room, for its ETA, and the document).
	read, vesselName, versions, readErr := s.db.Read().DocumentWithVersions(ctx, roomID, documentID)
	var room store.Room
	var d store.Document
	err := s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.ReviewDocument)
		if err != nil {
			return err
		}
		room = m.Room
		if ev == clearance.EventReject && (reason == "" || len([]rune(reason)) > 2000) {
			return apperr.Invalid("reason", "is required and at most 2000 characters")
		}
		if readErr != nil {
			return readErr
		}
		d = read
		types, err := s.catalogue(ctx, tx)
		if err != nil {
			return err
		}
		t := types[d.TypeCode]
		if err := permit(m, request{action: authz.ReviewDocument, vesselID: deref(d.VesselID), docType: &t,
			uploadedBy: latestUploader(versions)}); err != nil {
			return err
		}
		now := s.now()
		if ev == clearance.EventApprove && clearance.IsScreening(d.TypeCode) {
			// A match or a screening a party change left behind is no clearing evidence.
			if err := clearance.MayApproveScreening(screeningState(d)); err != nil {
				return err
			}
		}
		if ev == clearance.EventApprove {
			if until := validity(d, types[d.TypeCode]).ValidUntil(); until != nil && !now.Before(*until) {
				return fmt.Errorf("the latest version stopped being valid on %s; a current one must be uploaded: %w",
					until.Format(time.RFC3339), apperr.ErrConflict)
			}
		}
		next, err := clearance.Transition(clearance.DocStatus(d.Status), ev)
		if err != nil {
			return err
		}
		action := audit.ActionDocumentApproved
		if ev == clearance.EventReject {
			action = audit.ActionDocumentRejected
		}
		d.Status, d.ReviewReason, d.ReviewedBy, d.ReviewerEmail, d.ReviewedAt, d.UpdatedAt = string(next), reason, actor.UserID, actor.Email, &now, now
		saved, err := tx.SaveReview(ctx, d, read)
		if err != nil {
			return err
		}
		if !saved {
			return errChangedMeanwhile
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: action, targetType: "document", targetID: d.ID,
			meta: map[string]any{"type": d.TypeCode, "vessel_id": deref(d.VesselID), "version": d.VersionCount,
				"reason": reason, "previous_status": read.Status}}); err != nil {
			return err
		}
		if ev == clearance.EventReject {
			if err := s.notifyRejected(ctx, tx, actor, room, d, t, vesselName, latestUploader(versions)); err != nil {
				return err
			}
		}
		if err := s.followRoomGate(ctx, tx, actor, room); err != nil {
			return err
		}
		if ev == clearance.EventApprove {
			return s.notifySignOffWanted(ctx, tx, actor, room, d)
		}
		return nil
	})
	if err != nil {
		return DocumentView{}, err
	}
	return s.documentViewOf(ctx, s.db.Read(), room, d, vesselName, versions)
}

// latestUploader is the user who uploaded the newest of a document's versions (newest
// first), or "" when it has none.
func latestUploader(versions []clearance.DocumentVersion) string {
	if len(versions) == 0 {
		return ""
	}
	return versions[0].UploadedBy
}

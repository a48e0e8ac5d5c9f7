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

// ApproveInput is what a reviewer says with an approval: a note for the trail, and, for a
// document that lapses before the operation window ends (clearance.WindowValidity's
// NeedsAcknowledgement), the confirmation that it is approved all the same, which needs
// the note saying why.
type ApproveInput struct {
	AcknowledgeLapse bool
	Note             string
}

// maxReviewText bounds a rejection's reason and an approval's note, in characters.
const maxReviewText = 2000

// ApproveDocument accepts the latest version of a document. One that lapses before the
// operation is over is approved only with in.AcknowledgeLapse and a note; without them
// the answer is a conflict that says so.
func (s *Service) ApproveDocument(ctx context.Context, actor Actor, roomID, documentID string, in ApproveInput) (DocumentView, error) {
	return s.review(ctx, actor, roomID, documentID, clearance.EventApprove, in)
}

// RejectDocument refuses the latest version of a document, for a reason the uploader reads.
func (s *Service) RejectDocument(ctx context.Context, actor Actor, roomID, documentID, reason string) (DocumentView, error) {
	return s.review(ctx, actor, roomID, documentID, clearance.EventReject, ApproveInput{Note: reason})
}

// reviewAttempts is how often a review reads and judges a document that keeps changing
// under it before it gives up with a conflict.
const reviewAttempts = 3

// errChangedMeanwhile: the document changed between the review's read and its write.
var errChangedMeanwhile = fmt.Errorf("the document changed while it was being reviewed; reload it and review it again: %w", apperr.ErrConflict)

// review reads and judges the document before its transaction, off the writer's lock,
// and writes the decision only if the document is still as read (store.SaveReview); a
// document that changed meanwhile is read and judged again.
// For a rejection, in.Note is its reason.
func (s *Service) review(ctx context.Context, actor Actor, roomID, documentID string, ev clearance.DocEvent, in ApproveInput) (DocumentView, error) {
	in.Note = strings.TrimSpace(in.Note)
	for attempt := 1; ; attempt++ {
		view, err := s.reviewOnce(ctx, actor, roomID, documentID, ev, in)
		if !errors.Is(err, errChangedMeanwhile) || attempt == reviewAttempts {
			return view, err
		}
	}
}

func (s *Service) reviewOnce(ctx context.Context, actor Actor, roomID, documentID string, ev clearance.DocEvent, in ApproveInput) (DocumentView, error) {
	reason := ""
	if ev == clearance.EventReject {
		reason = in.Note
	}
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
		if ev == clearance.EventReject && (reason == "" || len([]rune(reason)) > maxReviewText) {
			return apperr.Invalid("reason", "is required and at most 2000 characters")
		}
		if ev == clearance.EventApprove && len([]rune(in.Note)) > maxReviewText {
			return apperr.Invalid("note", "must be at most 2000 characters")
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
		acknowledged := false
		if ev == clearance.EventApprove {
			val := validity(d, types[d.TypeCode])
			if until := val.ValidUntil(); until != nil && !now.Before(*until) {
				return fmt.Errorf("the latest version stopped being valid on %s; a current one must be uploaded: %w",
					until.Format(time.RFC3339), apperr.ErrConflict)
			}
			if fit := clearance.JudgeWindow(val, now, room.STSETA, room.WindowEnd()); fit.NeedsAcknowledgement() {
				if err := checkLapseAcknowledged(fit, in); err != nil {
					return err
				}
				acknowledged = true
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
		meta := map[string]any{"type": d.TypeCode, "vessel_id": deref(d.VesselID), "version": d.VersionCount,
			"reason": reason, "previous_status": read.Status}
		if ev == clearance.EventApprove && in.Note != "" {
			meta["note"] = in.Note
		}
		if acknowledged { // what the approver confirmed, as the approver read it
			meta["acknowledged_lapse"] = true
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: action, targetType: "document", targetID: d.ID,
			meta: meta}); err != nil {
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

// checkLapseAcknowledged refuses the approval of a document that lapses before the
// operation window ends (fit) unless the approver confirmed it, with a note saying why.
func checkLapseAcknowledged(fit clearance.WindowValidity, in ApproveInput) error {
	if !in.AcknowledgeLapse {
		return fmt.Errorf("%s To approve it all the same, confirm that you know it lapses (acknowledge_lapse) and say why in a note: %w",
			fit.Text, apperr.ErrConflict)
	}
	if in.Note == "" {
		return apperr.Invalid("note", "is required when approving a document that lapses before the operation ends: say why it is acceptable")
	}
	return nil
}

// latestUploader is the user who uploaded the newest of a document's versions (newest
// first), or "" when it has none.
func latestUploader(versions []clearance.DocumentVersion) string {
	if len(versions) == 0 {
		return ""
	}
	return versions[0].UploadedBy
}

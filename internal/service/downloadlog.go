package service

import (
	"context"
	"encoding/json"
	"time"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// Every download is recorded in the room's trail (who, which version or snapshot, when), as
// a data room does. The permission check has passed on the read that found the file, so
// the record is all the transaction holds: a download the trail cannot record is refused.
//
// A preview is recorded as a view, not as each request of it: the document page fetches
// its preview on every visit, a PDF viewer asks for the rest of a file in ranges, and a
// revisit revalidates. The trail (and the snapshot printed from it) says "X viewed Q88 v2"
// once an hour while X keeps looking, not once per request.

// previewWindow is how long a recorded view of a version stands for its viewer's further
// requests of it: one entry per person, version and window.
const previewWindow = time.Hour

// previewDue reports whether a preview request at now is recorded, given when the same
// person's view of the same version was last recorded (zero when not in the window): when
// that was previewWindow ago or longer. What the request asks for does not matter: a Range
// request that continues a view (a PDF viewer fetching the rest) falls in the window of the
// request that began it, and one that continues nothing recorded is a view of its own, so
// asking for the file from its second byte on does not read it unrecorded.
func previewDue(last, now time.Time) bool {
	return last.IsZero() || !now.Before(last.Add(previewWindow))
}

// recordPreview records that actor viewed version v of document d in the browser, once per
// previewWindow (previewDue). A request that records nothing reads the trail and writes
// nothing: no write transaction. The check is made again under the room's lock, so of two
// first views at once, one is recorded.
func (s *Service) recordPreview(ctx context.Context, actor Actor, d store.Document, v clearance.DocumentVersion) error {
	now := s.now()
	last, err := lastPreview(ctx, s.db.Read(), actor, v, now)
	if err != nil || !previewDue(last, now) {
		return err
	}
	return s.db.InTx(ctx, func(tx store.Q) error {
		if err := tx.LockRoom(ctx, v.RoomID); err != nil {
			return err
		}
		last, err := lastPreview(ctx, tx, actor, v, now)
		if err != nil || !previewDue(last, now) {
			return err
		}
		return s.record(ctx, tx, actor, event{scope: v.RoomID, action: audit.ActionDocumentPreviewed, targetType: "document",
			targetID: v.DocumentID, meta: map[string]any{"type": d.TypeCode, "vessel_id": deref(d.VesselID), "version_id": v.ID,
				"version": v.Number, "filename": v.Filename}})
	})
}

// previewPage is how many of a person's views one read of the trail looks at.
const previewPage = 100

// lastPreview is when actor's view of version v was last recorded within previewWindow
// before now; zero when it was not. It reads the person's views in the room, newest first,
// back to the window's start: at most one per version viewed in the window.
func lastPreview(ctx context.Context, q store.Q, actor Actor, v clearance.DocumentVersion, now time.Time) (time.Time, error) {
	since := now.Add(-previewWindow)
	f := store.AuditFilter{Action: audit.ActionDocumentPreviewed, ActorID: actor.UserID, Limit: previewPage}
	for {
		page, err := q.ListAudit(ctx, v.RoomID, f)
		if err != nil {
			return time.Time{}, err
		}
		for _, e := range page {
			if e.TS.Before(since) {
				return time.Time{}, nil
			}
			var m struct {
				VersionID string `json:"version_id"`
			}
			if e.TargetID == v.DocumentID && json.Unmarshal(e.Meta, &m) == nil && m.VersionID == v.ID {
				return e.TS, nil
			}
		}
		if len(page) < previewPage {
			return time.Time{}, nil
		}
		f.BeforeSeq = page[len(page)-1].Seq
	}
}

// recordVersionDownload records that actor downloaded version v of a document.
func (s *Service) recordVersionDownload(ctx context.Context, actor Actor, v clearance.DocumentVersion) error {
	return s.db.InTx(ctx, func(tx store.Q) error {
		doc, err := tx.DocumentByID(ctx, v.RoomID, v.DocumentID)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, actor, event{scope: v.RoomID, action: audit.ActionDocumentDownloaded, targetType: "document",
			targetID: v.DocumentID, meta: map[string]any{"type": doc.TypeCode, "version_id": v.ID, "version": v.Number,
				"filename": v.Filename}})
	})
}

// recordSnapshotDownload records that actor downloaded a snapshot's file.
func (s *Service) recordSnapshotDownload(ctx context.Context, actor Actor, snap clearance.Snapshot) error {
	return s.db.InTx(ctx, func(tx store.Q) error {
		return s.record(ctx, tx, actor, event{scope: snap.RoomID, action: audit.ActionSnapshotDownloaded, targetType: "snapshot",
			targetID: snap.ID, meta: map[string]any{"title": snap.Title, "snapshot_type": snap.Type, "sha256": snap.FileSHA256}})
	})
}

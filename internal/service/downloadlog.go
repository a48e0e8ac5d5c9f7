package service

import (
	"context"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// Every download is recorded in the room's trail (who, which version or snapshot, when), as
// a data room does. The permission check has passed on the read that found the file, so
// the record is all the transaction holds: a download the trail cannot record is refused.

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

package service

import (
	"context"
	"errors"
	"io"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/report"
	"github.com/stshub/stshub/internal/store"
)

// TrailCheck is the outcome of verifying a room's audit trail: its length and head when
// every entry's hash holds, or where it breaks.
type TrailCheck struct {
	Entries int64
	Head    audit.Head
	Broken  *audit.BrokenError // nil when the chain holds
}

// VerifyRoomTrail recomputes a room's hash chain from its first entry, the same check as
// `stshub audit verify --room` (VerifyAudit), for any party that may read the trail. The
// answer names no entry the party may not read: only where the chain breaks, if it does.
func (s *Service) VerifyRoomTrail(ctx context.Context, actor Actor, roomID string) (TrailCheck, error) {
	if _, err := authorizeMember(ctx, s.db.Read(), actor, roomID, authz.ViewActivity); err != nil {
		return TrailCheck{}, err
	}
	reports, err := s.VerifyAudit(ctx, roomID)
	var broken *audit.BrokenError
	switch {
	case errors.As(err, &broken):
		return TrailCheck{Broken: broken}, nil
	case err != nil:
		return TrailCheck{}, err
	}
	return TrailCheck{Entries: reports[0].Entries, Head: reports[0].Head}, nil
}

// ExportActivity writes a room's audit trail to w as CSV, oldest first: every entry the
// caller's party may read (entries about documents confidential to others are left out, as
// in the activity list), with its details and chained hash. The export itself is recorded
// in the trail first, as every download is; the rows are then streamed, so memory stays
// bounded however long the trail.
func (s *Service) ExportActivity(ctx context.Context, actor Actor, roomID string, w io.Writer) error {
	err := s.db.InTx(ctx, func(tx store.Q) error {
		if _, err := authorizeMember(ctx, tx, actor, roomID, authz.ExportActivity); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionActivityExported, targetType: "room", targetID: roomID,
			meta: map[string]any{"format": "csv"}})
	})
	if err != nil {
		return err
	}
	q := s.db.Read()
	m, err := authorizeMember(ctx, q, actor, roomID, authz.ExportActivity)
	if err != nil {
		return err
	}
	hidden, err := s.hiddenDocuments(ctx, q, m)
	if err != nil {
		return err
	}
	names, err := s.trailNames(ctx, q, roomID)
	if err != nil {
		return err
	}
	out := report.NewTrailCSV(w, names)
	if err := q.EachAudit(ctx, roomID, func(e audit.Entry) error {
		if hides(hidden, e) {
			return nil
		}
		return out.Write(e)
	}); err != nil {
		return err
	}
	return out.Close()
}

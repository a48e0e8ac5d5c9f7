package service

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// ExpiringDocument is an approved document whose validity ends soon, with its room.
type ExpiringDocument struct {
	DocumentView
	RoomTitle string
}

// maxExpiring bounds each kind of the expiring list (dated certificates, aging evidence).
const maxExpiring = 500

// ExpiringDocuments lists, across the caller's rooms only, approved documents whose validity
// ends within the next days days (or has ended): certificates by their expiry date and
// point-in-time evidence (screenings, SIRE reports) by the end of its acceptable age, side
// by side, soonest first. Rooms whose operation is over (completed, cancelled) are left
// out, as is a room the caller left while the list was read.
func (s *Service) ExpiringDocuments(ctx context.Context, actor Actor, days int) ([]ExpiringDocument, error) {
	q := s.db.Read()
	until := s.now().AddDate(0, 0, days)
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return nil, err
	}
	// SECURITY: the membership rule of authorizeRoom, applied in SQL.
	docs, err := q.ExpiringForUser(ctx, actor.UserID, until, maxExpiring)
	if err != nil {
		return nil, err
	}
	evidence, err := q.AgingEvidenceForUser(ctx, actor.UserID, evidenceCutoffs(types, until), maxExpiring)
	if err != nil {
		return nil, err
	}
	docs = append(docs, evidence...)
	byRoom := map[string][]store.Document{}
	var order []string
	for _, d := range docs {
		if _, ok := byRoom[d.RoomID]; !ok {
			order = append(order, d.RoomID)
		}
		byRoom[d.RoomID] = append(byRoom[d.RoomID], d)
	}
	views := map[string]DocumentView{}
	titles := map[string]string{}
	for _, roomID := range order {
		m, err := membershipOf(ctx, q, actor, roomID)
		if errors.Is(err, apperr.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		room := m.Room
		if clearance.IsFinal(clearance.RoomStatus(room.Status)) {
			continue // the operation needs no certificate any more
		}
		titles[roomID] = room.Title
		if byRoom[roomID], err = s.visibleOnly(ctx, q, m, byRoom[roomID]); err != nil {
			return nil, err
		}
		versions, err := q.ListRoomVersions(ctx, roomID)
		if err != nil {
			return nil, err
		}
		vs, err := s.documentViews(ctx, q, room, byRoom[roomID], versions)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			views[v.ID] = v
		}
	}
	out := make([]ExpiringDocument, 0, len(docs))
	for _, d := range docs {
		if v, ok := views[d.ID]; ok && v.ValidUntil != nil { // absent: confidential to others
			out = append(out, ExpiringDocument{DocumentView: v, RoomTitle: titles[d.RoomID]})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ValidUntil.Before(*out[j].ValidUntil) })
	return out, nil
}

// evidenceCutoffs says, per point-in-time type with an acceptable age, which evidence ages
// out before until: what was performed more than that age before it.
func evidenceCutoffs(types map[string]clearance.DocumentType, until time.Time) []store.EvidenceCutoff {
	var out []store.EvidenceCutoff
	for _, t := range types {
		if t.Expiry == clearance.ExpiryPointInTime && t.MaxAgeDays > 0 {
			out = append(out, store.EvidenceCutoff{TypeCode: t.Code, PerformedBefore: until.AddDate(0, 0, -t.MaxAgeDays)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].TypeCode < out[j].TypeCode })
	return out
}

// ScanExpired records, for every approved document whose validity has ended, the
// transition to expired in its room's trail. It runs periodically; it returns how many
// documents it moved.
func (s *Service) ScanExpired(ctx context.Context) (int, error) {
	now := s.now()
	types, err := s.catalogue(ctx, s.db.Read())
	if err != nil {
		return 0, err
	}
	moved, err := s.scanEvidence(ctx, now, types)
	if err != nil {
		return moved, err
	}
	// Dated documents: every one whose date is before now + the lead (a validity can end on
	// its date in a zone ahead of UTC), page after page, since some have not lapsed yet.
	var after *store.Document
	for {
		batch, err := s.db.Read().ApprovedExpiringBefore(ctx, now.Add(clearance.ExpiryLead), after, scanBatch)
		if err != nil {
			return moved, err
		}
		n, err := s.expireAll(ctx, batch, now, types)
		if moved += n; err != nil || len(batch) < scanBatch {
			return moved, err
		}
		after = &batch[len(batch)-1]
	}
}

// scanEvidence records the lapse of point-in-time evidence past its type's age: each query's
// candidates have all lapsed, so moving a batch takes it out of the next one, and a batch that
// moves nothing (another node moved it) ends the type.
func (s *Service) scanEvidence(ctx context.Context, now time.Time, types map[string]clearance.DocumentType) (int, error) {
	moved := 0
	for _, t := range types {
		if t.Expiry != clearance.ExpiryPointInTime || t.MaxAgeDays <= 0 {
			continue // evidence without an age limit never lapses
		}
		cutoff := now.AddDate(0, 0, -t.MaxAgeDays)
		for {
			batch, err := s.db.Read().ApprovedPointInTime(ctx, t.Code, cutoff, scanBatch)
			if err != nil {
				return moved, err
			}
			n, err := s.expireAll(ctx, batch, now, types)
			if moved += n; err != nil || n == 0 || len(batch) < scanBatch {
				if err != nil {
					return moved, err
				}
				break
			}
		}
	}
	return moved, nil
}

// scanBatch is how many candidates the expiry scan reads at a time.
const scanBatch = 500

// expireAll moves the documents of batch whose validity has ended and says how many.
func (s *Service) expireAll(ctx context.Context, batch []store.Document, now time.Time, types map[string]clearance.DocumentType) (int, error) {
	moved := 0
	for _, d := range batch {
		if clearance.EffectiveStatus(clearance.DocApproved, validity(d, types[d.TypeCode]), now) != clearance.DocExpired {
			continue
		}
		ok, err := s.expire(ctx, d.RoomID, d.ID, now, types)
		if err != nil {
			return moved, err
		}
		if ok {
			moved++
		}
	}
	return moved, nil
}

// expire moves one document to expired if it still is approved and past its validity.
func (s *Service) expire(ctx context.Context, roomID, documentID string, now time.Time, types map[string]clearance.DocumentType) (bool, error) {
	moved := false
	err := s.db.InTx(ctx, func(tx store.Q) error {
		if err := tx.LockRoom(ctx, roomID); err != nil {
			return err
		}
		d, err := tx.DocumentByID(ctx, roomID, documentID)
		if err != nil {
			return err
		}
		val := validity(d, types[d.TypeCode])
		if clearance.EffectiveStatus(clearance.DocStatus(d.Status), val, now) != clearance.DocExpired || d.Status == string(clearance.DocExpired) {
			return nil
		}
		next, err := clearance.Transition(clearance.DocStatus(d.Status), clearance.EventExpire)
		if err != nil {
			return err
		}
		d.Status, d.UpdatedAt = string(next), now
		if err := tx.SaveDocument(ctx, d); err != nil {
			return err
		}
		moved = true
		if err := s.record(ctx, tx, System, event{scope: roomID, action: audit.ActionDocumentExpired, targetType: "document", targetID: d.ID,
			meta: map[string]any{"type": d.TypeCode, "vessel_id": deref(d.VesselID), "valid_until": val.ValidUntil().Format(time.RFC3339)}}); err != nil {
			return err
		}
		return s.followGate(ctx, tx, System, roomID)
	})
	return moved, err
}

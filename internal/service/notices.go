package service

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

const (
	// maxNoticeReference is the longest notice reference, in characters.
	maxNoticeReference = 200
	// noticeClockSkew is how far in the future a notice time may lie (clocks differ).
	noticeClockSkew = time.Hour
)

// RecordNotice records that the coastal state was notified of (kind notice, the default) or
// gave written permission for (kind permission) a vessel's STS operation at notifiedAt, under
// reference. The room's current ETA is stored with it, so a later move of the ETA beyond the
// area's threshold shows as needing a new notice.
func (s *Service) RecordNotice(ctx context.Context, actor Actor, roomID, vesselID, kind string, notifiedAt time.Time, reference string) (clearance.NoticeRecord, error) {
	var n clearance.NoticeRecord
	err := s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.RecordNotice)
		if err != nil {
			return err
		}
		// Locked on PostgreSQL: the ETA stored with the notice is the one in force at commit.
		room, err := tx.RoomByID(ctx, roomID)
		if err != nil {
			return err
		}
		now := s.now()
		var c apperr.Collector
		var vessel clearance.Vessel
		if vesselID == "" {
			c.Add("vessel_id", "is required")
		} else if vessel, err = tx.VesselByID(ctx, roomID, vesselID); errors.Is(err, apperr.ErrNotFound) {
			c.Add("vessel_id", "is not a vessel of this room")
		} else if err != nil {
			return err
		} else if err := permit(m, request{action: authz.RecordNotice, vesselID: vesselID}); err != nil {
			return err
		}
		noticeKind := clearance.NoticeKind(strings.TrimSpace(kind))
		if noticeKind == "" {
			noticeKind = clearance.KindNotice
		} else if !slices.Contains(clearance.NoticeKinds(), noticeKind) {
			c.Add("kind", "must be "+apperr.OneOf(clearance.NoticeKinds()))
		}
		if notifiedAt.IsZero() {
			c.Add("notified_at", "is required")
		} else if notifiedAt.After(now.Add(noticeClockSkew)) {
			c.Add("notified_at", "must not be in the future")
		}
		reference = strings.TrimSpace(reference)
		if reference == "" {
			c.Add("reference", "is required")
		} else if utf8.RuneCountInString(reference) > maxNoticeReference {
			c.Add("reference", "must be at most "+strconv.Itoa(maxNoticeReference)+" characters")
		}
		if err := c.Err(); err != nil {
			return err
		}
		n = clearance.NoticeRecord{ID: newID(), RoomID: roomID, VesselID: vessel.ID, VesselName: vessel.Name, Kind: noticeKind,
			NotifiedAt: notifiedAt.UTC().Truncate(time.Microsecond), Reference: reference, ETAAtNotice: room.STSETA,
			RecordedBy: actor.UserID, RecorderEmail: actor.Email, RecordedAt: now}
		if err := tx.AddCoastalNotice(ctx, n); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionNoticeRecorded, targetType: "coastal_notice",
			targetID: n.ID, meta: map[string]any{"vessel_id": vessel.ID, "vessel_name": vessel.Name, "kind": string(n.Kind),
				"notified_at": n.NotifiedAt.Format(time.RFC3339Nano), "reference": n.Reference,
				"eta_at_notice": n.ETAAtNotice.Format(time.RFC3339)}})
	})
	return n, err
}

// ListNotices returns a room's coastal-state notices, newest first, and what is wrong with
// the ones in force (see noticeWarnings).
func (s *Service) ListNotices(ctx context.Context, actor Actor, roomID string) ([]clearance.NoticeRecord, []string, error) {
	q := s.db.Read()
	if _, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewRoom); err != nil {
		return nil, nil, err
	}
	room, err := q.RoomByID(ctx, roomID)
	if err != nil {
		return nil, nil, err
	}
	notices, err := q.ListCoastalNotices(ctx, roomID)
	if err != nil {
		return nil, nil, err
	}
	warnings, err := s.noticeWarnings(ctx, q, room, notices)
	if err != nil {
		return nil, nil, err
	}
	return notices, warnings, nil
}

// noticeWarnings says, in words, what the room's coastal-state rule still asks of its
// notices (records, as ListCoastalNotices reads them; clearance.NoticeBlockers): empty when
// all is well, for a room without vessels and once the ships have met or will not. It does
// not check permissions: callers have.
func (s *Service) noticeWarnings(ctx context.Context, q store.Q, room store.Room, records []clearance.NoticeRecord) ([]string, error) {
	switch clearance.RoomStatus(room.Status) {
	case clearance.StatusInOperation, clearance.StatusCompleted, clearance.StatusCancelled:
		return nil, nil // the ships have met, or will not: notices no longer need attention
	}
	vessels, err := q.ListVessels(ctx, room.ID)
	if err != nil || len(vessels) == 0 {
		return nil, err
	}
	names := make(map[string]string, len(vessels))
	for _, v := range vessels {
		names[v.ID] = v.Name
	}
	rule, err := coastalRule(ctx, q, room)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, b := range clearance.NoticeBlockers(rule, names, noticesOf(records)) {
		out = append(out, b.Reason)
	}
	return out, nil
}

package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/report"
	"github.com/stshub/stshub/internal/store"
)

// Snapshot types and statuses, as the store's strings; the lists are report.Formats and
// report.SnapshotStatuses.
const (
	SnapshotPDF  = string(report.FormatPDF)
	SnapshotJSON = string(report.FormatJSON)
	SnapshotCSV  = string(report.FormatCSV)

	SnapshotGenerating = string(report.SnapshotGenerating)
	SnapshotCompleted  = string(report.SnapshotCompleted)
	SnapshotFailed     = string(report.SnapshotFailed)
)

// NewSnapshot is the input of CreateSnapshot. Nil section flags take their defaults:
// documents and approvals in, activity out.
type NewSnapshot struct {
	Title            string
	Type             string
	IncludeDocuments *bool
	IncludeActivity  *bool
	IncludeApprovals *bool
}

// maxActivityInSnapshot bounds the audit excerpt of one snapshot.
const maxActivityInSnapshot = 10000

// CreateSnapshot captures the room's state in the transaction that inserts the snapshot
// and its rendering job, so nothing that happens later can leak into it. The file is
// rendered afterwards by the job queue.
func (s *Service) CreateSnapshot(ctx context.Context, actor Actor, roomID string, in NewSnapshot) (clearance.Snapshot, error) {
	var c apperr.Collector
	if !report.IsFormat(in.Type) {
		c.Add("snapshot_type", "must be "+apperr.OneOf(report.Formats()))
	}
	in.Title = strings.TrimSpace(in.Title)
	if len([]rune(in.Title)) > 200 {
		c.Add("title", "must be at most 200 characters")
	}
	sections := report.Sections{Documents: boolOr(in.IncludeDocuments, true), Activity: boolOr(in.IncludeActivity, false),
		Approvals: boolOr(in.IncludeApprovals, true)}
	var snap clearance.Snapshot
	err := s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.CreateSnapshot)
		if err != nil {
			return err
		}
		role := authz.Role(m.Role)
		if err := c.Err(); err != nil {
			return err
		}
		if sections.Activity {
			// SECURITY: the audit excerpt is an export of the trail.
			if !authz.Can(role, authz.ExportActivity) {
				return fmt.Errorf("a %s may not %s: %w", role, authz.ExportActivity, apperr.ErrForbidden)
			}
		}
		now := s.now()
		state, err := s.captureState(ctx, tx, m, sections, now)
		if err != nil {
			return err
		}
		encoded, err := json.Marshal(state)
		if err != nil {
			return err
		}
		if in.Title == "" {
			in.Title = "Snapshot of " + state.Room.Title
		}
		snap = clearance.Snapshot{ID: newID(), RoomID: roomID, Title: in.Title, Type: in.Type, Status: SnapshotGenerating,
			IncludeDocuments: sections.Documents, IncludeActivity: sections.Activity, IncludeApprovals: sections.Approvals,
			State: encoded, CreatedBy: actor.UserID, CreatorEmail: actor.Email, CreatedAt: now}
		if err := tx.CreateSnapshot(ctx, snap); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionSnapshotCreated, targetType: "snapshot", targetID: snap.ID,
			meta: map[string]any{"title": snap.Title, "snapshot_type": snap.Type, "state_audit_seq": state.Audit.Seq,
				"state_audit_hash": state.Audit.Hash, "sections": sections}}); err != nil {
			return err
		}
		if s.opts.Jobs == nil {
			return errors.New("snapshots need a job queue")
		}
		return s.opts.Jobs.EnqueueSnapshot(ctx, tx, roomID, snap.ID)
	})
	snap.State = nil
	return snap, err
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

// captureState reads everything a snapshot shows, inside the snapshot's transaction, as
// the creator m sees it: documents confidential to others, and their blockers, are absent.
func (s *Service) captureState(ctx context.Context, tx store.Q, m store.Membership, sections report.Sections, now time.Time) (report.State, error) {
	room, roomID := m.Room, m.Room.ID // read in this transaction, under the room's lock
	vessels, err := tx.ListVessels(ctx, roomID)
	if err != nil {
		return report.State{}, err
	}
	parties, err := tx.ListParties(ctx, roomID, true)
	if err != nil {
		return report.State{}, err
	}
	docs, err := tx.ListDocuments(ctx, roomID)
	if err != nil {
		return report.State{}, err
	}
	if docs, err = s.visibleOnly(ctx, tx, m, docs); err != nil {
		return report.State{}, err
	}
	visible := map[string]bool{}
	for _, d := range docs {
		visible[d.ID] = true
	}
	versions, err := tx.ListRoomVersions(ctx, roomID)
	if err != nil {
		return report.State{}, err
	}
	views, err := s.documentViews(ctx, tx, room, docs, versions)
	if err != nil {
		return report.State{}, err
	}
	seq, hash, err := tx.AuditStateHead(ctx, roomID)
	if err != nil {
		return report.State{}, err
	}
	gate, err := s.roomGate(ctx, tx, room, now)
	if err != nil {
		return report.State{}, err
	}
	required, approved := progressOf(gate.Docs, now)
	st := report.State{Schema: report.Schema, CapturedAt: now, Room: reportRoom(room), Progress: report.Progress{Required: required, Approved: approved},
		Audit: report.AuditHead{Seq: seq, Hash: hash}, Sections: sections}
	for _, b := range gate.Blockers {
		if b.DocumentID != "" && !visible[b.DocumentID] {
			continue
		}
		st.Blockers = append(st.Blockers, report.Blocker{Gate: string(b.Gate), Criticality: string(b.Criticality), Reason: b.Reason, DocumentID: b.DocumentID})
	}
	if area := gate.Coastal.Area; area != nil {
		st.Room.CoastalAreaName = area.Name
	}
	held, err := withHold(ctx, tx, RoomView{Room: room})
	if err != nil {
		return report.State{}, err
	}
	st.Room.Hold = reportHold(held.Hold)
	if sections.Approvals {
		if st.Approvals, err = s.reportApprovals(ctx, tx, roomID, visible, now); err != nil {
			return report.State{}, err
		}
	}
	for _, v := range vessels {
		st.Vessels = append(st.Vessels, reportVessel(v))
	}
	for _, p := range parties {
		st.Parties = append(st.Parties, report.Party{Email: p.Email, Name: p.Name, Role: p.Role, AddedAt: p.AddedAt, RemovedAt: p.RemovedAt})
	}
	if sections.Documents {
		for _, v := range views {
			st.Documents = append(st.Documents, reportDocument(v))
		}
	}
	if sections.Activity {
		entries, err := tx.ListAudit(ctx, roomID, store.AuditFilter{BeforeSeq: seq + 1, Limit: maxActivityInSnapshot})
		if err != nil {
			return report.State{}, err
		}
		if entries, err = s.visibleEntries(ctx, tx, m, entries); err != nil {
			return report.State{}, err
		}
		for i := len(entries) - 1; i >= 0; i-- { // oldest first
			e := entries[i]
			st.Activity = append(st.Activity, report.Activity{Seq: e.Seq, TS: e.TS, Actor: e.ActorEmail, Action: e.Action,
				Target: e.TargetType + " " + e.TargetID, Hash: e.Hash})
		}
	}
	if err := s.captureOperation(ctx, tx, room, gate, &st); err != nil {
		return report.State{}, err
	}
	return st, nil
}

// captureOperation adds the operation's own records to a snapshot's state (the checklists
// the gate read, the coastal notices, the milestones), names the room's creator, and gives
// every person the state names the name of their account.
func (s *Service) captureOperation(ctx context.Context, tx store.Q, room store.Room, gate gateReading, st *report.State) error {
	st.Checklists = reportChecklists(gate.Checklists, gate.Sides)
	notices, err := tx.ListCoastalNotices(ctx, room.ID)
	if err != nil {
		return err
	}
	st.Notices = reportNotices(notices)
	milestones, err := tx.ListMilestones(ctx, room.ID)
	if err != nil {
		return err
	}
	st.Milestones = reportMilestones(milestones)
	creator, err := tx.UserByID(ctx, room.CreatedBy)
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return err
	}
	st.Room.CreatedBy = report.Person{Name: creator.Name, Email: creator.Email}
	people := st.People()
	var emails []string
	for _, p := range people {
		if p.Name == "" && p.Email != "" {
			emails = append(emails, strings.ToLower(p.Email))
		}
	}
	for _, a := range st.Approvals {
		emails = append(emails, strings.ToLower(a.Email))
	}
	names, err := tx.UserNamesByEmail(ctx, emails)
	if err != nil {
		return err
	}
	for _, p := range people {
		if p.Name == "" {
			p.Name = names[strings.ToLower(p.Email)]
		}
	}
	for i := range st.Approvals {
		st.Approvals[i].Name = names[strings.ToLower(st.Approvals[i].Email)]
	}
	return nil
}

// ListSnapshots returns one page of a room's snapshots, newest first.
func (s *Service) ListSnapshots(ctx context.Context, actor Actor, roomID string, page PageRequest) ([]clearance.Snapshot, string, error) {
	q := s.db.Read()
	if _, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewRoom); err != nil {
		return nil, "", err
	}
	before, err := page.cursorValue()
	if err != nil {
		return nil, "", err
	}
	limit := page.limit()
	snaps, err := q.ListSnapshots(ctx, roomID, before, limit+1)
	if err != nil {
		return nil, "", err
	}
	snaps, next := onePage(snaps, limit, func(s clearance.Snapshot) string { return s.ID })
	return snaps, next, nil
}

// GetSnapshot returns one snapshot (without its captured state).
func (s *Service) GetSnapshot(ctx context.Context, actor Actor, roomID, snapshotID string) (clearance.Snapshot, error) {
	q := s.db.Read()
	if _, err := authorizeRoom(ctx, q, actor, roomID, authz.ViewRoom); err != nil {
		return clearance.Snapshot{}, err
	}
	snap, err := q.SnapshotByID(ctx, roomID, snapshotID)
	snap.State = nil
	return snap, err
}

// OpenSnapshotFile opens a completed snapshot's file; one still generating (or failed) is a
// conflict. The caller closes the object.
func (s *Service) OpenSnapshotFile(ctx context.Context, actor Actor, roomID, snapshotID string) (clearance.Snapshot, files.Object, error) {
	snap, err := s.GetSnapshot(ctx, actor, roomID, snapshotID)
	if err != nil {
		return snap, nil, err
	}
	switch snap.Status {
	case SnapshotGenerating:
		return snap, nil, fmt.Errorf("the snapshot is still generating: %w", apperr.ErrConflict)
	case SnapshotFailed:
		return snap, nil, fmt.Errorf("the snapshot failed (%s): %w", snap.FailureReason, apperr.ErrConflict)
	}
	obj, err := s.files.Open(ctx, snap.FileSHA256)
	if err != nil {
		return snap, nil, fmt.Errorf("open snapshot file %s: %w", snap.FileSHA256, err)
	}
	if err := s.recordSnapshotDownload(ctx, actor, snap); err != nil {
		obj.Close()
		return snap, nil, err
	}
	return snap, obj, nil
}

// DeleteSnapshot removes a snapshot for everyone; its file, unless a version or another
// snapshot shares it, is left to the sweep (SweepBlobs). The deletion is audited. A
// snapshot the record keeps (its room has been cleared, or it is older than the retention
// period) is a conflict.
func (s *Service) DeleteSnapshot(ctx context.Context, actor Actor, roomID, snapshotID string) error {
	return s.db.InTx(ctx, func(tx store.Q) error {
		m, err := authorizeMember(ctx, tx, actor, roomID, authz.DeleteSnapshot)
		if err != nil {
			return err
		}
		snap, err := tx.SnapshotByID(ctx, roomID, snapshotID)
		if err != nil {
			return err
		}
		if err := s.snapshotDeletable(m.Room, snap); err != nil {
			return err
		}
		if err := tx.DeleteSnapshot(ctx, roomID, snapshotID, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionSnapshotDeleted, targetType: "snapshot", targetID: snapshotID,
			meta: map[string]any{"title": snap.Title, "snapshot_type": snap.Type, "status": snap.Status, "sha256": snap.FileSHA256}})
	})
}

// RenderSnapshot renders a generating snapshot's file from its captured state and
// completes it. It is the job queue's work and may run more than once: a snapshot that is
// no longer generating (completed, failed or deleted) is left alone. On the final attempt
// a failure marks the snapshot failed, so none stays generating forever.
func (s *Service) RenderSnapshot(ctx context.Context, roomID, snapshotID string, final bool) error {
	snap, err := s.db.Read().SnapshotByID(ctx, roomID, snapshotID)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if snap.Status != SnapshotGenerating {
		return nil
	}
	if err := s.render(ctx, snap); err != nil {
		if final {
			if ferr := s.failSnapshot(ctx, snap, err); ferr != nil {
				return errors.Join(err, ferr)
			}
		}
		return err
	}
	return nil
}

func (s *Service) render(ctx context.Context, snap clearance.Snapshot) error {
	var state report.State
	if err := json.Unmarshal(snap.State, &state); err != nil {
		return fmt.Errorf("captured state of snapshot %s: %w", snap.ID, err)
	}
	state.CapturedAt = snap.CreatedAt
	out, contentType, err := report.Render(report.Format(snap.Type), state,
		report.Meta{ID: snap.ID, Title: snap.Title, CreatedBy: snap.CreatorEmail, CreatedAt: snap.CreatedAt})
	if err != nil {
		return fmt.Errorf("render snapshot %s: %w", snap.ID, err)
	}
	blob, hold, err := s.storeHeld(ctx, bytes.NewReader(out), 0)
	defer s.release(hold)
	if err != nil {
		return fmt.Errorf("store snapshot %s: %w", snap.ID, err)
	}
	return s.db.InTx(ctx, func(tx store.Q) error {
		current, err := tx.SnapshotByID(ctx, snap.RoomID, snap.ID)
		if errors.Is(err, apperr.ErrNotFound) || (err == nil && current.Status != SnapshotGenerating) {
			return nil // deleted or finished meanwhile
		}
		if err != nil {
			return err
		}
		now := s.now()
		if err := hold.handOver(ctx, tx, now); err != nil {
			return err
		}
		if err := tx.CompleteSnapshot(ctx, snap.RoomID, snap.ID, blob.SHA256, blob.Size, contentType, now); err != nil {
			return err
		}
		return s.record(ctx, tx, System, event{scope: snap.RoomID, action: audit.ActionSnapshotCompleted, targetType: "snapshot", targetID: snap.ID,
			meta: map[string]any{"sha256": blob.SHA256, "size": blob.Size, "snapshot_type": snap.Type}})
	})
}

func (s *Service) failSnapshot(ctx context.Context, snap clearance.Snapshot, cause error) error {
	// The cause may name files or buckets: it goes to the log, the parties get a fixed text.
	s.log.ErrorContext(ctx, "snapshot failed after its last attempt", "snapshot_id", snap.ID, "room_id", snap.RoomID, "err", cause)
	reason := "rendering failed after every retry; quote snapshot " + snap.ID + " when reporting it"
	return s.db.InTx(ctx, func(tx store.Q) error {
		if err := tx.FailSnapshot(ctx, snap.RoomID, snap.ID, reason, s.now()); err != nil {
			if errors.Is(err, apperr.ErrNotFound) {
				return nil
			}
			return err
		}
		return s.record(ctx, tx, System, event{scope: snap.RoomID, action: audit.ActionSnapshotFailed, targetType: "snapshot", targetID: snap.ID,
			meta: map[string]any{"reason": reason}})
	})
}

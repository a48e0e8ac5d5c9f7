package service

import (
	"context"
	"slices"
	"time"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// DocumentView is a room's document as its parties see it: the stored review status, and
// the status in effect now (an approved document past its validity shows as expired).
type DocumentView struct {
	store.Document
	Type                   clearance.DocumentType
	VesselName             string
	EffectiveStatus        clearance.DocStatus
	ValidUntil             *time.Time
	ExpiresDuringOperation bool
	// Window is the latest version's validity judged against the room's operation window,
	// whatever its review status: what a reviewer reads before approving it.
	Window    clearance.WindowValidity
	Versions  []clearance.DocumentVersion // newest first
	Questions clearance.QuestionCounts    // the questions on it, open and resolved (questions.go)
}

// validity is what decides whether document d of type t is still valid.
func validity(d store.Document, t clearance.DocumentType) clearance.Validity {
	return validityOf(t, d.ExpiresOn, d.PerformedAt)
}

// validityOf is a document's validity from its type (its kind, the time of day an expiry
// date ends at, the age limit of evidence) and the dates of its latest version.
func validityOf(t clearance.DocumentType, expiresOn, performedAt *time.Time) clearance.Validity {
	return clearance.Validity{Kind: t.Expiry, ExpiresOn: expiresOn, EndsAt: t.ValidityEnd(), PerformedAt: performedAt,
		MaxAgeDays: t.MaxAgeDays}
}

// ListDocuments returns the room's documents the caller may see, with their versions.
func (s *Service) ListDocuments(ctx context.Context, actor Actor, roomID string) ([]DocumentView, error) {
	q := s.db.Read()
	m, err := authorizeMember(ctx, q, actor, roomID, authz.ViewRoom)
	if err != nil {
		return nil, err
	}
	docs, err := q.ListDocuments(ctx, roomID)
	if err != nil {
		return nil, err
	}
	if docs, err = s.visibleOnly(ctx, q, m, docs); err != nil {
		return nil, err
	}
	versions, err := q.ListRoomVersions(ctx, roomID)
	if err != nil {
		return nil, err
	}
	return s.documentViews(ctx, q, m.Room, docs, versions)
}

// GetDocument returns one document of a room with its versions; one the caller may not
// see is apperr.ErrNotFound.
func (s *Service) GetDocument(ctx context.Context, actor Actor, roomID, documentID string) (DocumentView, error) {
	q := s.db.Read()
	m, err := authorizeMember(ctx, q, actor, roomID, authz.ViewRoom)
	if err != nil {
		return DocumentView{}, err
	}
	view, err := s.readDocumentView(ctx, q, m.Room, documentID)
	if err != nil {
		return DocumentView{}, err
	}
	if err := permit(m, seeing(view.Document, view.Type)); err != nil {
		return DocumentView{}, err
	}
	return view, nil
}

// seeing is the request to see document d of type t.
func seeing(d store.Document, t clearance.DocumentType) request {
	return request{action: authz.ViewRoom, docType: &t, vesselID: deref(d.VesselID)}
}

// seesEveryType reports whether m's party sees every document of every type, wherever it
// is bound (a coordinator, with the seed catalogue): then nothing needs filtering.
func (s *Service) seesEveryType(ctx context.Context, q store.Q, m store.Membership) (bool, error) {
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return false, err
	}
	for _, t := range types {
		if permit(m, request{action: authz.ViewRoom, docType: &t}) != nil {
			return false, nil
		}
	}
	return true, nil
}

// visibleOnly keeps the documents of m's room that its party may see.
// SECURITY: a document of a type confidential to others is absent for it, not refused.
func (s *Service) visibleOnly(ctx context.Context, q store.Q, m store.Membership, docs []store.Document) ([]store.Document, error) {
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(docs, func(d store.Document) bool { return permit(m, seeing(d, types[d.TypeCode])) != nil }), nil
}

// committedDocumentView is the answer of a write to one document, read once it has committed.
func (s *Service) committedDocumentView(ctx context.Context, roomID, documentID string) (DocumentView, error) {
	q := s.db.Read()
	room, err := q.RoomByID(ctx, roomID)
	if err != nil {
		return DocumentView{}, err
	}
	return s.readDocumentView(ctx, q, room, documentID)
}

// readDocumentView reads one document of room with its vessel's name and its versions
// (one query) and evaluates it now.
func (s *Service) readDocumentView(ctx context.Context, q store.Q, room store.Room, documentID string) (DocumentView, error) {
	d, vesselName, versions, err := q.DocumentWithVersions(ctx, room.ID, documentID)
	if err != nil {
		return DocumentView{}, err
	}
	return s.documentViewOf(ctx, q, room, d, vesselName, versions)
}

// documentViewOf evaluates one document already read with its vessel's name and versions.
func (s *Service) documentViewOf(ctx context.Context, q store.Q, room store.Room, d store.Document, vesselName string, versions []clearance.DocumentVersion) (DocumentView, error) {
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return DocumentView{}, err
	}
	counts, err := q.QuestionCounts(ctx, room.ID, d.ID)
	if err != nil {
		return DocumentView{}, err
	}
	names := map[string]string{deref(d.VesselID): vesselName}
	view := s.evaluate(types, names, room, []store.Document{d}, versions)[0]
	view.Questions = counts[d.ID]
	return view, nil
}

// documentViews reads the catalogue and the room's vessel names, and evaluates docs with
// their versions.
func (s *Service) documentViews(ctx context.Context, q store.Q, room store.Room, docs []store.Document, versions []clearance.DocumentVersion) ([]DocumentView, error) {
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return nil, err
	}
	names, err := vesselNames(ctx, q, room.ID, docs)
	if err != nil {
		return nil, err
	}
	counts, err := q.QuestionCounts(ctx, room.ID, "")
	if err != nil {
		return nil, err
	}
	views := s.evaluate(types, names, room, docs, versions)
	for i := range views {
		views[i].Questions = counts[views[i].ID]
	}
	return views, nil
}

// evaluate joins documents with their type, vessel name and versions and evaluates them
// now (the room's ETA bounds the operation window).
func (s *Service) evaluate(types map[string]clearance.DocumentType, names map[string]string, room store.Room, docs []store.Document, versions []clearance.DocumentVersion) []DocumentView {
	byDoc := versionsByDocument(versions)
	now := s.now()
	windowEnd := room.WindowEnd()
	out := make([]DocumentView, len(docs))
	for i, d := range docs {
		t := types[d.TypeCode]
		val := validity(d, t)
		view := DocumentView{Document: d, Type: t, VesselName: names[deref(d.VesselID)], Versions: byDoc[d.ID],
			EffectiveStatus: clearance.EffectiveStatus(clearance.DocStatus(d.Status), val, now), ValidUntil: val.ValidUntil()}
		view.ExpiresDuringOperation = view.EffectiveStatus == clearance.DocApproved && val.ExpiresBefore(windowEnd)
		view.Window = clearance.JudgeWindow(val, now, room.STSETA, windowEnd)
		out[i] = view
	}
	return out
}

// versionsByDocument groups versions by document, keeping their order. Each run of one
// document's versions becomes a window of the slice, not a copy: the store returns a
// room's versions by document (ListRoomVersions), so a room's list copies nothing.
func versionsByDocument(versions []clearance.DocumentVersion) map[string][]clearance.DocumentVersion {
	byDoc := map[string][]clearance.DocumentVersion{}
	for i := 0; i < len(versions); {
		j := i + 1
		for j < len(versions) && versions[j].DocumentID == versions[i].DocumentID {
			j++
		}
		id := versions[i].DocumentID
		if earlier, ok := byDoc[id]; ok { // versions not grouped by document: append to a copy
			byDoc[id] = append(earlier[:len(earlier):len(earlier)], versions[i:j]...)
		} else {
			byDoc[id] = versions[i:j:j] // capped, so that an append never writes over the next document's
		}
		i = j
	}
	return byDoc
}

// vesselNames returns the names of the room's vessels by ID, or none when docs are all room
// documents.
func vesselNames(ctx context.Context, q store.Q, roomID string, docs []store.Document) (map[string]string, error) {
	names := map[string]string{}
	if !slices.ContainsFunc(docs, func(d store.Document) bool { return d.VesselID != nil }) {
		return names, nil
	}
	vessels, err := q.ListVessels(ctx, roomID)
	if err != nil {
		return nil, err
	}
	for _, v := range vessels {
		names[v.ID] = v.Name
	}
	return names, nil
}

// documentStates turns views into what the clearance rules read.
func documentStates(views []DocumentView) []clearance.DocumentState {
	out := make([]clearance.DocumentState, len(views))
	for i, v := range views {
		out[i] = clearance.DocumentState{ID: v.ID, TypeCode: v.TypeCode, TypeName: v.Type.Name, VesselID: deref(v.VesselID),
			VesselName: v.VesselName, SuppliedBy: authz.Role(v.Type.SuppliedBy), Criticality: clearance.Criticality(v.Criticality), Required: v.Required,
			Status: clearance.DocStatus(v.Status), Validity: validity(v.Document, v.Type), Screening: screeningState(v.Document)}
	}
	return out
}

// MayHearOf reports whether the caller may be told that targetID (of targetType, as in an
// audit entry) changed in a room: yes for anything but a document it may not see. A
// document that cannot be read counts as not to be told of.
func (s *Service) MayHearOf(ctx context.Context, actor Actor, roomID, targetType, targetID string) bool {
	if targetType != "document" {
		return true
	}
	q := s.db.Read()
	m, err := membershipOf(ctx, q, actor, roomID)
	if err != nil {
		return false
	}
	d, err := q.DocumentByID(ctx, roomID, targetID)
	if err != nil {
		return false
	}
	types, err := s.catalogue(ctx, q)
	return err == nil && permit(m, seeing(d, types[d.TypeCode])) == nil
}

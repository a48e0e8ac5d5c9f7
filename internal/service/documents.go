package service

import (
	"context"
	"errors"
	"time"

	"github.com/stshub/stshub/internal/apperr"
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
	Versions               []store.DocumentVersion // newest first
}

// validity is what decides whether document d of type t is still valid.
func validity(d store.Document, t clearance.DocumentType) clearance.Validity {
	return validityOf(t, d.ExpiresOn, d.PerformedAt)
}

// validityOf is a document's validity from its type and the dates of its latest version.
func validityOf(t clearance.DocumentType, expiresOn, performedAt *time.Time) clearance.Validity {
	return clearance.Validity{Kind: t.Expiry, ExpiresOn: expiresOn, PerformedAt: performedAt, MaxAgeDays: t.MaxAgeDays}
}

// ListDocuments returns a room's documents with their versions.
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
	versions, err := q.ListRoomVersions(ctx, roomID)
	if err != nil {
		return nil, err
	}
	return s.documentViews(ctx, q, m.Room, docs, versions)
}

// GetDocument returns one document of a room with its versions.
func (s *Service) GetDocument(ctx context.Context, actor Actor, roomID, documentID string) (DocumentView, error) {
	q := s.db.Read()
	m, err := authorizeMember(ctx, q, actor, roomID, authz.ViewRoom)
	if err != nil {
		return DocumentView{}, err
	}
	d, err := q.DocumentByID(ctx, roomID, documentID)
	if err != nil {
		return DocumentView{}, err
	}
	return s.documentView(ctx, q, m.Room, d)
}

// committedDocumentView is the answer of a write to one document, read once it has committed.
func (s *Service) committedDocumentView(ctx context.Context, roomID, documentID string) (DocumentView, error) {
	q := s.db.Read()
	room, err := q.RoomByID(ctx, roomID)
	if err != nil {
		return DocumentView{}, err
	}
	d, err := q.DocumentByID(ctx, roomID, documentID)
	if err != nil {
		return DocumentView{}, err
	}
	return s.documentView(ctx, q, room, d)
}

// documentView is document d of room with its versions, read on q.
func (s *Service) documentView(ctx context.Context, q store.Q, room store.Room, d store.Document) (DocumentView, error) {
	versions, err := q.ListVersions(ctx, room.ID, d.ID)
	if err != nil {
		return DocumentView{}, err
	}
	views, err := s.documentViews(ctx, q, room, []store.Document{d}, versions)
	if err != nil {
		return DocumentView{}, err
	}
	return views[0], nil
}

// documentViews joins a room's documents with their type, vessel and versions and
// evaluates them now (the room's ETA bounds the operation window).
func (s *Service) documentViews(ctx context.Context, q store.Q, room store.Room, docs []store.Document, versions []store.DocumentVersion) ([]DocumentView, error) {
	types, err := s.catalogue(ctx, q)
	if err != nil {
		return nil, err
	}
	names, err := vesselNames(ctx, q, room.ID, docs)
	if err != nil {
		return nil, err
	}
	byDoc := versionsByDocument(versions)
	now := s.now()
	windowEnd := clearance.OperationWindowEnd(room.STSETA, nil)
	out := make([]DocumentView, len(docs))
	for i, d := range docs {
		t := types[d.TypeCode]
		val := validity(d, t)
		view := DocumentView{Document: d, Type: t, VesselName: names[deref(d.VesselID)], Versions: byDoc[d.ID],
			EffectiveStatus: clearance.EffectiveStatus(clearance.DocStatus(d.Status), val, now), ValidUntil: val.ValidUntil()}
		view.ExpiresDuringOperation = view.EffectiveStatus == clearance.DocApproved && val.ExpiresBefore(windowEnd)
		out[i] = view
	}
	return out, nil
}

// versionsByDocument groups versions by document, keeping their order. Each run of one
// document's versions becomes a window of the slice, not a copy: the store returns a
// room's versions by document (ListRoomVersions), so a room's list copies nothing.
func versionsByDocument(versions []store.DocumentVersion) map[string][]store.DocumentVersion {
	byDoc := map[string][]store.DocumentVersion{}
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

// vesselNames returns the names of the vessels docs belong to, by ID: nothing to read for
// room documents, one row for a single vessel document (the answer of a review or an
// upload), else the room's vessels.
func vesselNames(ctx context.Context, q store.Q, roomID string, docs []store.Document) (map[string]string, error) {
	names := map[string]string{}
	var vesselDocs int
	var last string
	for _, d := range docs {
		if d.VesselID != nil {
			vesselDocs++
			last = *d.VesselID
		}
	}
	switch {
	case vesselDocs == 0:
		return names, nil
	case vesselDocs == 1:
		v, err := q.VesselByID(ctx, roomID, last)
		if err != nil && !errors.Is(err, apperr.ErrNotFound) {
			return nil, err
		}
		names[last] = v.Name
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
			VesselName: v.VesselName, Criticality: clearance.Criticality(v.Criticality), Required: v.Required,
			Status: clearance.DocStatus(v.Status), Validity: validity(v.Document, v.Type)}
	}
	return out
}

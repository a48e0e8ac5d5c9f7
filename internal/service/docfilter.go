package service

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
)

// DocumentFilter narrows a room's documents list, the way the web's filter form and the
// API's query parameters ask; its zero value keeps every document. The fields combine: a
// document is kept when it matches every one that is set.
type DocumentFilter struct {
	Status      string // the status in effect now (clearance.DocStatuses)
	VesselID    string // one vessel's documents; "room" for the operation's own
	Criticality string // clearance.Criticalities
	Supplier    string // the role that supplies the type (authz.SupplierRoles)
	NeedsMe     bool   // only those the caller has a task on (Tasks)
	Text        string // in the type's code or name, or a version's file name; any case
}

// RoomDocuments is the vessel value of a DocumentFilter for the operation's own documents.
const RoomDocuments = "room"

// maxFilterText bounds the text searched for.
const maxFilterText = 200

// Active reports whether the filter narrows anything.
func (f DocumentFilter) Active() bool { return f != DocumentFilter{} }

// Validate names each field whose value is not one of its list (422).
func (f DocumentFilter) Validate() error {
	var c apperr.Collector
	if f.Status != "" && !slices.Contains(clearance.DocStatuses(), clearance.DocStatus(f.Status)) {
		c.Add("status", "must be one of "+strings.Join(asStrings(clearance.DocStatuses()), ", "))
	}
	if f.Criticality != "" && !slices.Contains(clearance.Criticalities(), clearance.Criticality(f.Criticality)) {
		c.Add("criticality", "must be one of "+strings.Join(asStrings(clearance.Criticalities()), ", "))
	}
	if f.Supplier != "" && !slices.Contains(authz.SupplierRoles(), authz.Role(f.Supplier)) {
		c.Add("supplier", "must be one of "+strings.Join(asStrings(authz.SupplierRoles()), ", "))
	}
	if len(f.VesselID) > 64 {
		c.Add("vessel_id", "must be at most 64 characters")
	}
	if utf8.RuneCountInString(f.Text) > maxFilterText {
		c.Add("q", "must be at most 200 characters")
	}
	return c.Err()
}

func asStrings[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

// matches reports whether v passes the filter; mine are the documents the caller has a
// task on (read only when NeedsMe is set).
func (f DocumentFilter) matches(v DocumentView, mine map[string]bool) bool {
	switch {
	case f.Status != "" && string(v.EffectiveStatus) != f.Status,
		f.Criticality != "" && v.Criticality != f.Criticality,
		f.Supplier != "" && !slices.Contains(v.Type.Suppliers(), authz.Role(f.Supplier)),
		f.VesselID == RoomDocuments && v.VesselID != nil,
		f.VesselID != "" && f.VesselID != RoomDocuments && deref(v.VesselID) != f.VesselID,
		f.NeedsMe && !mine[v.ID]:
		return false
	}
	text := strings.ToLower(strings.TrimSpace(f.Text))
	if text == "" || strings.Contains(strings.ToLower(v.TypeCode+" "+v.Type.Name), text) {
		return true
	}
	return slices.ContainsFunc(v.Versions, func(ver clearance.DocumentVersion) bool {
		return strings.Contains(strings.ToLower(ver.Filename), text)
	})
}

// FindDocuments is ListDocuments narrowed by f (validated first: 422 naming the field);
// "needs me" reads the caller's tasks in the room.
func (s *Service) FindDocuments(ctx context.Context, actor Actor, roomID string, f DocumentFilter) ([]DocumentView, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	docs, err := s.ListDocuments(ctx, actor, roomID)
	if err != nil || !f.Active() {
		return docs, err
	}
	var mine map[string]bool
	if f.NeedsMe {
		tasks, err := s.RoomTasks(ctx, actor, roomID)
		if err != nil {
			return nil, err
		}
		mine = map[string]bool{}
		for _, t := range tasks {
			mine[t.DocumentID] = true
		}
	}
	return slices.DeleteFunc(docs, func(v DocumentView) bool { return !f.matches(v, mine) }), nil
}

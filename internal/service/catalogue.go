package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// SeedCatalogue fills an empty document catalogue with the default entries of the domain
// reference. A catalogue with any entry is left alone: admins own it from then on.
func (s *Service) SeedCatalogue(ctx context.Context) error {
	defer s.forgetCatalogue()
	return s.db.InTx(ctx, func(tx store.Q) error {
		n, err := tx.CountDocumentTypes(ctx)
		if err != nil || n > 0 {
			return err
		}
		now := s.now()
		cat := clearance.DefaultCatalogue()
		for _, t := range cat {
			// Nodes starting together on an empty database seed side by side: the first
			// insert of a code wins, the others are skipped.
			if err := tx.SeedDocumentType(ctx, t, now); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, System, event{scope: audit.PlatformScope, action: audit.ActionCatalogueChanged,
			targetType: "catalogue", meta: map[string]any{"seeded": len(cat)}})
	})
}

// ListDocumentTypes returns the catalogue (inactive entries too when all is set).
func (s *Service) ListDocumentTypes(ctx context.Context, _ Actor, all bool) ([]clearance.DocumentType, error) {
	return s.db.Read().ListDocumentTypes(ctx, !all)
}

// CreateDocumentType adds a catalogue entry (platform admins only).
func (s *Service) CreateDocumentType(ctx context.Context, actor Actor, t clearance.DocumentType) (clearance.DocumentType, error) {
	// SECURITY: the catalogue decides what every room requires; only admins change it.
	if !actor.IsAdmin() {
		return t, fmt.Errorf("only admins manage the catalogue: %w", apperr.ErrForbidden)
	}
	if err := t.Normalize(); err != nil {
		return t, err
	}
	defer s.forgetCatalogue()
	err := s.db.InTx(ctx, func(tx store.Q) error {
		if err := tx.CreateDocumentType(ctx, t, s.now()); err != nil {
			if errors.Is(err, apperr.ErrConflict) {
				return fmt.Errorf("document type %s exists: %w", t.Code, apperr.ErrConflict)
			}
			return err
		}
		return s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: audit.ActionCatalogueChanged,
			targetType: "document_type", targetID: t.Code, meta: map[string]any{"created": t}})
	})
	return t, err
}

// UpdateDocumentType changes a catalogue entry (platform admins only). Its code and scope
// are fixed: rooms already hold documents under them. Rooms keep the requirements they have.
func (s *Service) UpdateDocumentType(ctx context.Context, actor Actor, code string, change func(*clearance.DocumentType)) (clearance.DocumentType, error) {
	// SECURITY: only admins change the catalogue.
	if !actor.IsAdmin() {
		return clearance.DocumentType{}, fmt.Errorf("only admins manage the catalogue: %w", apperr.ErrForbidden)
	}
	var t clearance.DocumentType
	defer s.forgetCatalogue()
	err := s.db.InTx(ctx, func(tx store.Q) error {
		before, err := tx.DocumentType(ctx, code)
		if err != nil {
			return err
		}
		t = before
		change(&t)
		t.Code, t.Scope = before.Code, before.Scope
		if err := t.Normalize(); err != nil {
			return err
		}
		changes := audit.Changes(typeFields(before), typeFields(t))
		if len(changes) == 0 {
			return nil
		}
		if err := tx.UpdateDocumentType(ctx, t, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: audit.ActionCatalogueChanged,
			targetType: "document_type", targetID: t.Code, meta: map[string]any{"changes": changes}})
	})
	if err != nil {
		return t, err
	}
	// A new expiry rule or age limit can win or lose rooms their clearance.
	s.forgetCatalogue()
	return t, s.regate(ctx, actor, t.Code)
}

// regate lets every room in clearance that holds a document of typeCode follow its gate
// again, each in its own transaction under its room lock.
func (s *Service) regate(ctx context.Context, actor Actor, typeCode string) error {
	rooms, err := s.db.Read().RoomsWithTypeInClearance(ctx, typeCode)
	if err != nil {
		return err
	}
	for _, roomID := range rooms {
		if err := s.db.InTx(ctx, func(tx store.Q) error {
			if err := tx.LockRoom(ctx, roomID); err != nil {
				return err
			}
			return s.followGate(ctx, tx, actor, roomID)
		}); err != nil {
			return fmt.Errorf("re-evaluate the clearance of room %s: %w", roomID, err)
		}
	}
	return nil
}

// typeFields are the changeable fields of a catalogue entry, as the trail records a change
// (lists as lists of names, none as an empty one, so a list read back equals the one stored).
func typeFields(t clearance.DocumentType) map[string]any {
	return map[string]any{"name": t.Name, "description": t.Description, "category": t.Category, "supplied_by": t.SuppliedBy,
		"criticality": string(t.Criticality), "expiry": string(t.Expiry), "max_age_days": t.MaxAgeDays,
		"required_by_default": t.RequiredByDefault, "active": t.Active, "also_supplied_by": nameList(t.AlsoSuppliedBy),
		"on_behalf": t.OnBehalf, "visible_to": nameList(t.VisibleTo), "expiry_time": t.ExpiryTime, "expiry_zone": t.ExpiryZone,
		"cargo_classes": nameList(t.CargoClasses)}
}

// nameList writes a list of names from a closed list as strings, never nil.
func nameList[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

// catalogueTTL is how long a node keeps the catalogue in memory. Changes made on this node
// are seen at once; another node's admin edit within this delay (catalogue edits are rare).
const catalogueTTL = 30 * time.Second

// catalogueCache holds the catalogue between reads; every document view needs it.
type catalogueCache struct {
	mu      sync.Mutex
	types   map[string]clearance.DocumentType // read-only once stored
	fetched time.Time
}

// catalogue returns the catalogue by code (inactive entries too: old rooms still hold them).
func (s *Service) catalogue(ctx context.Context, q store.Q) (map[string]clearance.DocumentType, error) {
	c := &s.catalogueCache
	c.mu.Lock()
	if c.types != nil && time.Since(c.fetched) < catalogueTTL {
		types := c.types
		c.mu.Unlock()
		return types, nil
	}
	c.mu.Unlock()
	list, err := q.ListDocumentTypes(ctx, false)
	if err != nil {
		return nil, err
	}
	m := make(map[string]clearance.DocumentType, len(list))
	for _, t := range list {
		m[t.Code] = t
	}
	c.mu.Lock()
	c.types, c.fetched = m, time.Now()
	c.mu.Unlock()
	return m, nil
}

// forgetCatalogue drops the cached catalogue after this node changed it.
func (s *Service) forgetCatalogue() {
	s.catalogueCache.mu.Lock()
	s.catalogueCache.types = nil
	s.catalogueCache.mu.Unlock()
}

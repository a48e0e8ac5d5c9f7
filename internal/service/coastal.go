package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// SeedCoastalAreas fills an empty coastal-state table with the entries of the domain
// reference (clearance.DefaultCoastalAreas). A table with any entry is left alone: admins
// own it from then on.
func (s *Service) SeedCoastalAreas(ctx context.Context) error {
	return s.db.InTx(ctx, func(tx store.Q) error {
		n, err := tx.CountCoastalAreas(ctx)
		if err != nil || n > 0 {
			return err
		}
		now := s.now()
		areas := clearance.DefaultCoastalAreas()
		for _, a := range areas {
			if err := tx.CreateCoastalArea(ctx, a, now, true); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, System, event{scope: audit.PlatformScope, action: audit.ActionCoastalAreaChanged,
			targetType: "coastal_areas", meta: map[string]any{"seeded": len(areas)}})
	})
}

// ListCoastalAreas returns the coastal-state table (inactive entries too when all is set):
// every signed-in user chooses a room's area from it.
func (s *Service) ListCoastalAreas(ctx context.Context, _ Actor, all bool) ([]clearance.CoastalArea, error) {
	return s.db.Read().ListCoastalAreas(ctx, !all)
}

// CreateCoastalArea adds an entry to the coastal-state table (platform admins only).
func (s *Service) CreateCoastalArea(ctx context.Context, actor Actor, a clearance.CoastalArea) (clearance.CoastalArea, error) {
	// SECURITY: the table decides what every room must show before its operation; only
	// admins change it.
	if !actor.IsAdmin() {
		return a, fmt.Errorf("only admins manage the coastal-state table: %w", apperr.ErrForbidden)
	}
	if err := a.Normalize(); err != nil {
		return a, err
	}
	err := s.db.InTx(ctx, func(tx store.Q) error {
		now := s.now()
		if err := tx.CreateCoastalArea(ctx, a, now, false); err != nil {
			if errors.Is(err, apperr.ErrConflict) {
				return fmt.Errorf("coastal area %s exists: %w", a.Code, apperr.ErrConflict)
			}
			return err
		}
		a.UpdatedAt = now
		return s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: audit.ActionCoastalAreaChanged,
			targetType: "coastal_area", targetID: a.Code, meta: map[string]any{"created": a}})
	})
	return a, err
}

// UpdateCoastalArea changes an entry of the coastal-state table (platform admins only); its
// code is fixed, rooms name it. Rooms are judged by the new rule from then on: the rule
// decides only the commencement gate, which is evaluated whenever it is asked.
func (s *Service) UpdateCoastalArea(ctx context.Context, actor Actor, code string, change func(*clearance.CoastalArea)) (clearance.CoastalArea, error) {
	// SECURITY: only admins change the table.
	if !actor.IsAdmin() {
		return clearance.CoastalArea{}, fmt.Errorf("only admins manage the coastal-state table: %w", apperr.ErrForbidden)
	}
	var a clearance.CoastalArea
	err := s.db.InTx(ctx, func(tx store.Q) error {
		before, err := tx.CoastalArea(ctx, code)
		if err != nil {
			return err
		}
		a = before
		change(&a)
		a.Code = before.Code
		if err := a.Normalize(); err != nil {
			return err
		}
		changes := audit.Changes(areaFields(before), areaFields(a))
		if len(changes) == 0 {
			return nil
		}
		now := s.now()
		if err := tx.UpdateCoastalArea(ctx, a, now); err != nil {
			return err
		}
		a.UpdatedAt = now
		return s.record(ctx, tx, actor, event{scope: audit.PlatformScope, action: audit.ActionCoastalAreaChanged,
			targetType: "coastal_area", targetID: a.Code, meta: map[string]any{"changes": changes}})
	})
	return a, err
}

func areaFields(a clearance.CoastalArea) map[string]any {
	return map[string]any{"name": a.Name, "country": a.Country, "regime": string(a.Regime), "lead_hours": a.LeadHours,
		"renotice_hours": a.RenoticeHours, "cargo_classes": fmt.Sprint(a.CargoClasses), "source": a.Source,
		"verified": a.Verified, "active": a.Active}
}

// checkCoastalArea names coastal_area as invalid unless code is "" or an active entry of
// the table (an inactive one a room already names may stay: keep is that code).
func checkCoastalArea(ctx context.Context, q store.Q, c *apperr.Collector, code, keep string) error {
	if code == "" || code == keep {
		return nil
	}
	a, err := q.CoastalArea(ctx, code)
	switch {
	case errors.Is(err, apperr.ErrNotFound) || (err == nil && !a.Active):
		c.Add("coastal_area", "is not a coastal state or area of the table")
		return nil
	}
	return err
}

// coastalRule is what the coastal conditions of room are judged on.
func coastalRule(ctx context.Context, q store.Q, room store.Room) (clearance.CoastalRule, error) {
	rule := clearance.CoastalRule{Cargo: room.CargoClass, ETA: room.STSETA}
	if room.CoastalArea == "" {
		return rule, nil
	}
	a, err := q.CoastalArea(ctx, room.CoastalArea)
	if err != nil {
		return rule, err
	}
	rule.Area = &a
	return rule, nil
}

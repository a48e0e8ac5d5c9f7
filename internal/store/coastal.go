package store

import (
	"context"
	"fmt"
	"time"

	"github.com/stshub/stshub/internal/clearance"
)

const coastalColumns = `code, name, country, regime, lead_hours, renotice_hours, cargo_classes, source, verified, active, updated_at`

func coastalRow() row[clearance.CoastalArea] {
	var a clearance.CoastalArea
	var classes string
	return row[clearance.CoastalArea]{
		dest: []any{&a.Code, &a.Name, &a.Country, &a.Regime, &a.LeadHours, &a.RenoticeHours, &classes, &a.Source, &a.Verified,
			&a.Active, &a.UpdatedAt},
		value: func() clearance.CoastalArea {
			out := a
			out.CargoClasses, out.UpdatedAt = splitList[clearance.CargoClass](classes), a.UpdatedAt.UTC()
			return out
		},
	}
}

// ListCoastalAreas returns the coastal-state table by name; only active entries when
// activeOnly.
func (q Q) ListCoastalAreas(ctx context.Context, activeOnly bool) ([]clearance.CoastalArea, error) {
	query := `SELECT ` + coastalColumns + ` FROM coastal_areas`
	var args []any
	if activeOnly {
		query += ` WHERE active = ?`
		args = append(args, true)
	}
	rows, err := q.query(ctx, query+` ORDER BY name, code`, args...)
	if err != nil {
		return nil, fmt.Errorf("list coastal areas: %w", err)
	}
	return collect(rows, "list coastal areas", coastalRow())
}

// CoastalArea returns one entry of the coastal-state table.
func (q Q) CoastalArea(ctx context.Context, code string) (clearance.CoastalArea, error) {
	a, err := coastalRow().scan(q.queryRow(ctx, `SELECT `+coastalColumns+` FROM coastal_areas WHERE code = ?`, code))
	if err != nil {
		return clearance.CoastalArea{}, notFoundOr("coastal area", err)
	}
	return a, nil
}

// CreateCoastalArea adds an entry; a taken code is apperr.ErrConflict. With seed, a taken
// code is skipped instead (nodes seeding an empty table side by side).
func (q Q) CreateCoastalArea(ctx context.Context, a clearance.CoastalArea, now time.Time, seed bool) error {
	query := `INSERT INTO coastal_areas (code, name, country, regime, lead_hours, renotice_hours, cargo_classes, source, verified,
		active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	if seed {
		query += ` ON CONFLICT (code) DO NOTHING`
	}
	_, err := q.exec(ctx, query, a.Code, a.Name, a.Country, string(a.Regime), a.LeadHours, a.RenoticeHours,
		joinList(a.CargoClasses), a.Source, a.Verified, a.Active, now, now)
	if err != nil {
		return fmt.Errorf("create coastal area: %w", q.d.classify(err))
	}
	return nil
}

// UpdateCoastalArea stores every field of an existing entry but its code.
func (q Q) UpdateCoastalArea(ctx context.Context, a clearance.CoastalArea, now time.Time) error {
	return q.execOne(ctx, "update coastal area", `UPDATE coastal_areas SET name = ?, country = ?, regime = ?, lead_hours = ?,
		renotice_hours = ?, cargo_classes = ?, source = ?, verified = ?, active = ?, updated_at = ? WHERE code = ?`,
		a.Name, a.Country, string(a.Regime), a.LeadHours, a.RenoticeHours, joinList(a.CargoClasses), a.Source, a.Verified,
		a.Active, now, a.Code)
}

// CountCoastalAreas says how many entries the coastal-state table has.
func (q Q) CountCoastalAreas(ctx context.Context) (int, error) {
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM coastal_areas`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count coastal areas: %w", err)
	}
	return n, nil
}

package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
)

const docTypeColumns = `code, name, description, category, supplied_by, scope, criticality, expiry, max_age_days,
	required_by_default, active, also_supplied_by, on_behalf, visible_to, expiry_time, expiry_zone, cargo_classes`

// docTypeValues are the ?s of an INSERT of docTypeColumns and its two times.
const docTypeValues = `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`

func docTypeRow() row[clearance.DocumentType] {
	var t clearance.DocumentType
	var also, visible, classes string
	return row[clearance.DocumentType]{
		dest: []any{&t.Code, &t.Name, &t.Description, &t.Category, &t.SuppliedBy, &t.Scope, &t.Criticality, &t.Expiry,
			&t.MaxAgeDays, &t.RequiredByDefault, &t.Active, &also, &t.OnBehalf, &visible, &t.ExpiryTime, &t.ExpiryZone, &classes},
		value: func() clearance.DocumentType {
			out := t
			out.AlsoSuppliedBy, out.VisibleTo = splitList[authz.Role](also), splitList[authz.Role](visible)
			out.CargoClasses = splitList[clearance.CargoClass](classes)
			return out
		},
	}
}

// docTypeArgs are the values of docTypeColumns for t, then now twice.
func docTypeArgs(t clearance.DocumentType, now time.Time) []any {
	return []any{t.Code, t.Name, t.Description, t.Category, t.SuppliedBy, string(t.Scope), string(t.Criticality), string(t.Expiry),
		t.MaxAgeDays, t.RequiredByDefault, t.Active, joinList(t.AlsoSuppliedBy), t.OnBehalf, joinList(t.VisibleTo),
		t.ExpiryTime, t.ExpiryZone, joinList(t.CargoClasses), now, now}
}

// joinList stores a list of names from a closed list (room roles, cargo classes) as
// comma-separated names: none holds a comma (authz.ParseRole, clearance.ParseCargoClass,
// and the catalogue's Normalize checks them).
func joinList[T ~string](list []T) string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return strings.Join(out, ",")
}

// splitList reads a list stored by joinList; none is an empty list.
func splitList[T ~string](s string) []T {
	out := []T{}
	for _, v := range strings.Split(s, ",") {
		if v != "" {
			out = append(out, T(v))
		}
	}
	return out
}

// ListDocumentTypes returns the catalogue by code; only active types when activeOnly.
func (q Q) ListDocumentTypes(ctx context.Context, activeOnly bool) ([]clearance.DocumentType, error) {
	query := `SELECT ` + docTypeColumns + ` FROM document_types`
	if activeOnly {
		query += ` WHERE active = ?`
	}
	query += ` ORDER BY code`
	var args []any
	if activeOnly {
		args = append(args, true)
	}
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list document types: %w", err)
	}
	return collect(rows, "list document types", docTypeRow())
}

// DocumentType returns one catalogue entry.
func (q Q) DocumentType(ctx context.Context, code string) (clearance.DocumentType, error) {
	t, err := docTypeRow().scan(q.queryRow(ctx, `SELECT `+docTypeColumns+` FROM document_types WHERE code = ?`, code))
	if err != nil {
		return clearance.DocumentType{}, notFoundOr("document type", err)
	}
	return t, nil
}

// CreateDocumentType adds a catalogue entry; a taken code is apperr.ErrConflict.
func (q Q) CreateDocumentType(ctx context.Context, t clearance.DocumentType, now time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO document_types (`+docTypeColumns+`, created_at, updated_at) VALUES (`+docTypeValues+`)`,
		docTypeArgs(t, now)...)
	if err != nil {
		return fmt.Errorf("create document type: %w", q.d.classify(err))
	}
	return nil
}

// SeedDocumentType adds a catalogue entry unless its code exists.
func (q Q) SeedDocumentType(ctx context.Context, t clearance.DocumentType, now time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO document_types (`+docTypeColumns+`, created_at, updated_at) VALUES (`+docTypeValues+`)
		ON CONFLICT (code) DO NOTHING`, docTypeArgs(t, now)...)
	if err != nil {
		return fmt.Errorf("seed document type: %w", err)
	}
	return nil
}

// UpdateDocumentType stores every field of an existing entry but its code and scope.
func (q Q) UpdateDocumentType(ctx context.Context, t clearance.DocumentType, now time.Time) error {
	return q.execOne(ctx, "update document type", `UPDATE document_types SET name = ?, description = ?, category = ?,
		supplied_by = ?, criticality = ?, expiry = ?, max_age_days = ?, required_by_default = ?, active = ?,
		also_supplied_by = ?, on_behalf = ?, visible_to = ?, expiry_time = ?, expiry_zone = ?, cargo_classes = ?, updated_at = ?
		WHERE code = ?`,
		t.Name, t.Description, t.Category, t.SuppliedBy, string(t.Criticality), string(t.Expiry), t.MaxAgeDays,
		t.RequiredByDefault, t.Active, joinList(t.AlsoSuppliedBy), t.OnBehalf, joinList(t.VisibleTo),
		t.ExpiryTime, t.ExpiryZone, joinList(t.CargoClasses), now, t.Code)
}

// CountDocumentTypes says how many catalogue entries exist.
func (q Q) CountDocumentTypes(ctx context.Context) (int, error) {
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM document_types`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count document types: %w", err)
	}
	return n, nil
}

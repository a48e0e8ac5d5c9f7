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
	required_by_default, active, also_supplied_by, on_behalf, visible_to`

// docTypeValues are the ?s of an INSERT of docTypeColumns and its two times.
const docTypeValues = `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`

func docTypeRow() row[clearance.DocumentType] {
	var t clearance.DocumentType
	var also, visible string
	return row[clearance.DocumentType]{
		dest: []any{&t.Code, &t.Name, &t.Description, &t.Category, &t.SuppliedBy, &t.Scope, &t.Criticality, &t.Expiry,
			&t.MaxAgeDays, &t.RequiredByDefault, &t.Active, &also, &t.OnBehalf, &visible},
		value: func() clearance.DocumentType {
			out := t
			out.AlsoSuppliedBy, out.VisibleTo = splitRoles(also), splitRoles(visible)
			return out
		},
	}
}

// docTypeArgs are the values of docTypeColumns for t, then now twice.
func docTypeArgs(t clearance.DocumentType, now time.Time) []any {
	return []any{t.Code, t.Name, t.Description, t.Category, t.SuppliedBy, string(t.Scope), string(t.Criticality), string(t.Expiry),
		t.MaxAgeDays, t.RequiredByDefault, t.Active, joinRoles(t.AlsoSuppliedBy), t.OnBehalf, joinRoles(t.VisibleTo), now, now}
}

// joinRoles stores a role list as comma-separated names (roles hold no comma: authz.ParseRole).
func joinRoles(roles []authz.Role) string {
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return strings.Join(out, ",")
}

// splitRoles reads a role list stored by joinRoles.
func splitRoles(s string) []authz.Role {
	out := []authz.Role{}
	for _, r := range strings.Split(s, ",") {
		if r != "" {
			out = append(out, authz.Role(r))
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
		also_supplied_by = ?, on_behalf = ?, visible_to = ?, updated_at = ?
		WHERE code = ?`,
		t.Name, t.Description, t.Category, t.SuppliedBy, string(t.Criticality), string(t.Expiry), t.MaxAgeDays,
		t.RequiredByDefault, t.Active, joinRoles(t.AlsoSuppliedBy), t.OnBehalf, joinRoles(t.VisibleTo), now, t.Code)
}

// CountDocumentTypes says how many catalogue entries exist.
func (q Q) CountDocumentTypes(ctx context.Context) (int, error) {
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM document_types`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count document types: %w", err)
	}
	return n, nil
}

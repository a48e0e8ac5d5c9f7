package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface {
	Scan(dest ...any) error
}

// notFoundOr turns sql.ErrNoRows into a wrapped apperr.ErrNotFound naming what was sought.
func notFoundOr(what string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, errNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// nullTime returns a pointer to the UTC time, or nil when the column was NULL.
func nullTime(nt sql.NullTime) *time.Time {
	if !nt.Valid {
		return nil
	}
	t := nt.Time.UTC()
	return &t
}

// nullString returns a pointer to a copy of the string, or nil when the column was NULL.
func nullString(ns sql.NullString) *string {
	if !ns.Valid {
		return nil
	}
	return &ns.String
}

// nullFloat returns a pointer to the value, or nil when the column was NULL.
func nullFloat(nf sql.NullFloat64) *float64 {
	if !nf.Valid {
		return nil
	}
	return &nf.Float64
}

// nullInt returns a pointer to the value, or nil when the column was NULL.
func nullInt(ni sql.NullInt64) *int {
	if !ni.Valid {
		return nil
	}
	v := int(ni.Int64)
	return &v
}

// row is the scan targets of a query's columns and how to read the value they hold after
// a Scan. A list query makes one row and scans every result into the same targets, so
// that a row costs no allocation of its own; value must therefore copy out what it
// returns (never a pointer into the targets), as the next Scan overwrites them.
type row[T any] struct {
	dest  []any
	value func() T
}

// scan reads one result (a *sql.Row, or the current row of *sql.Rows) into a value.
func (r row[T]) scan(s scanner) (T, error) {
	if err := s.Scan(r.dest...); err != nil {
		var zero T
		return zero, outage(err)
	}
	return r.value(), nil
}

// stringRow reads a single text column.
func stringRow() row[string] {
	var s string
	return row[string]{dest: []any{&s}, value: func() string { return s }}
}

// collect scans every result of rows into a value of r and closes rows.
func collect[T any](rows *sql.Rows, what string, r row[T]) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := r.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, outage(err))
	}
	return out, nil
}

// inList returns "(?, ?, …)" for a non-empty list of values, and the values as arguments.
func inList[T any](values []T) (string, []any) {
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return "(?" + strings.Repeat(", ?", len(values)-1) + ")", args
}

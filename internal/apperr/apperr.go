// Package apperr defines the kinds of failure that cross package boundaries.
//
// Every layer wraps one of these sentinels (with fmt.Errorf("...: %w", apperr.ErrNotFound))
// or returns a *ValidationError; the HTTP layer maps each kind to exactly one status code,
// so no other package needs to know about HTTP. It imports only the standard library.
package apperr

import (
	"errors"
	"strings"
	"time"
)

// Sentinel kinds. Check them with errors.Is.
var (
	// ErrNotFound: the thing does not exist, or the caller may not know that it exists
	// (a non-party asking about a room). Maps to 404.
	ErrNotFound = errors.New("not found")
	// ErrForbidden: the caller is known and may see the thing, but may not do this. Maps to 403.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated: no, bad, expired or revoked credentials. Maps to 401.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrConflict: a duplicate, or a state transition that is not allowed. Maps to 409.
	ErrConflict = errors.New("conflict")
	// ErrBadRequest: the request could not be read at all (malformed). Maps to 400.
	ErrBadRequest = errors.New("bad request")
	// ErrTooLarge: a body or upload over its limit. Maps to 413.
	ErrTooLarge = errors.New("too large")
	// ErrUnsupportedMedia: a content type that is refused. Maps to 415.
	ErrUnsupportedMedia = errors.New("unsupported media type")
	// ErrUnavailable: the database cannot be reached or is not taking work now (down,
	// restarting, out of connections); the same request may work in a moment. Maps to 503
	// with Retry-After.
	ErrUnavailable = errors.New("temporarily unavailable")
	// ErrStorageFull: the disk or the database has no room for the write. Nothing was
	// kept. Maps to 507.
	ErrStorageFull = errors.New("storage is full")
)

// FieldError names one invalid field of an input and says why it is invalid.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError is a well-formed input with one or more invalid fields. Maps to 422.
type ValidationError struct {
	Fields []FieldError
}

// Error lists the invalid fields.
func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Message)
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Invalid returns a *ValidationError for a single field.
func Invalid(field, message string) *ValidationError {
	return &ValidationError{Fields: []FieldError{{Field: field, Message: message}}}
}

// Collector gathers field errors while an input is checked; Err returns nil when none were added.
type Collector struct {
	fields []FieldError
}

// Add records that field is invalid for the given reason.
func (c *Collector) Add(field, message string) {
	c.fields = append(c.fields, FieldError{Field: field, Message: message})
}

// Err returns the collected errors as a *ValidationError, or nil when there are none.
func (c *Collector) Err() error {
	if len(c.fields) == 0 {
		return nil
	}
	return &ValidationError{Fields: c.fields}
}

// RateLimitedError says the caller must wait before trying again. Maps to 429 with Retry-After.
type RateLimitedError struct {
	RetryAfter time.Duration
}

// Error says how long to wait.
func (e *RateLimitedError) Error() string {
	return "too many attempts; retry after " + e.RetryAfter.Round(time.Second).String()
}

// Fields returns the field errors collected so far.
func (c *Collector) Fields() []FieldError { return c.fields }

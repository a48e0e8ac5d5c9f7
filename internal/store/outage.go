package store

import (
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/stshub/stshub/internal/apperr"
)

// The engine failures that are not the caller's fault nor a bug: the database cannot be
// reached (apperr.ErrUnavailable, 503: try again shortly) or has no room left
// (apperr.ErrStorageFull, 507). Every error the store returns passes through outage, so the
// HTTP layer answers them as such instead of a bare 500, and a client knows a retry may
// work.

// outage marks err as an outage or a full disk when it is one, keeping the engine's error in
// the chain for the logs; any other error is returned as it is.
func outage(err error) error {
	switch {
	case err == nil, errors.Is(err, apperr.ErrUnavailable), errors.Is(err, apperr.ErrStorageFull):
		return err
	case isStorageFull(err):
		return outageError{kind: apperr.ErrStorageFull, cause: err}
	case isUnavailable(err):
		return outageError{kind: apperr.ErrUnavailable, cause: err}
	}
	return err
}

// outageError is apperr's kind with the engine's error behind it; its message is the kind's,
// so no host, table or file name reaches a client.
type outageError struct{ kind, cause error }

func (e outageError) Error() string   { return e.kind.Error() }
func (e outageError) Unwrap() []error { return []error{e.kind, e.cause} }

// isStorageFull: PostgreSQL's disk_full, SQLite's SQLITE_FULL, or ENOSPC from the system.
func isStorageFull(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "53100"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) && sqErr.Code()&0xff == sqlite3.SQLITE_FULL {
		return true
	}
	return errors.Is(err, syscall.ENOSPC)
}

// isUnavailable: a connection that could not be made or broke, PostgreSQL shutting down or
// refusing connections (SQLSTATE classes 08 and 57P, and 53300 too many connections).
func isUnavailable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P") || pgErr.Code == "53300"
	}
	var connErr *pgconn.ConnectError
	var netErr *net.OpError
	return errors.As(err, &connErr) || errors.As(err, &netErr) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// Outage is outage for the errors of what reaches the database beside the store (the job
// queue): an outage or a full disk comes back marked as apperr's kind, anything else as it
// is.
func Outage(err error) error { return outage(err) }

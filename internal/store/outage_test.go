package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/stshub/stshub/internal/apperr"
)

// TestOutage: the engine failures that are an outage or a full disk are marked as such,
// whatever wraps them; everything else, a conflict included, is left as it is.
func TestOutage(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want error // nil: not an outage
	}{
		{"PostgreSQL connection failure (08006)", &pgconn.PgError{Code: "08006"}, apperr.ErrUnavailable},
		{"PostgreSQL shutting down (57P01)", &pgconn.PgError{Code: "57P01"}, apperr.ErrUnavailable},
		{"PostgreSQL starting up (57P03)", &pgconn.PgError{Code: "57P03"}, apperr.ErrUnavailable},
		{"too many connections (53300)", &pgconn.PgError{Code: "53300"}, apperr.ErrUnavailable},
		{"PostgreSQL disk full (53100)", &pgconn.PgError{Code: "53100"}, apperr.ErrStorageFull},
		{"a refused TCP connection", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, apperr.ErrUnavailable},
		{"a connection cut mid-answer", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), apperr.ErrUnavailable},
		{"a bad pooled connection", driver.ErrBadConn, apperr.ErrUnavailable},
		{"ENOSPC from a write", &os.PathError{Op: "write", Path: "/data/db", Err: syscall.ENOSPC}, apperr.ErrStorageFull},
		{"a unique violation", &pgconn.PgError{Code: "23505"}, nil},
		{"a syntax error (a bug)", &pgconn.PgError{Code: "42601"}, nil},
		{"the caller went away", context.Canceled, nil},
		{"no rows", errors.New("sql: no rows in result set"), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := outage(fmt.Errorf("list rooms: %w", c.err))
			for _, kind := range []error{apperr.ErrUnavailable, apperr.ErrStorageFull} {
				if errors.Is(got, kind) != (kind == c.want) {
					t.Fatalf("%v: errors.Is(%v) = %v", got, kind, errors.Is(got, kind))
				}
			}
			if !errors.Is(got, c.err) {
				t.Fatalf("the engine's error is lost from the chain: %v", got)
			}
			if c.want != nil && got.Error() != c.want.Error() {
				t.Fatalf("message %q names more than the kind", got.Error())
			}
		})
	}
	if outage(nil) != nil {
		t.Fatal("outage(nil) is not nil")
	}
}

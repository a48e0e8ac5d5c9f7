package store

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/stshub/stshub/internal/apperr"
)

// Dialect is the database engine.
//
// The differences in how one query is written for each engine live in this file: the
// placeholders (rebind), row locks (forUpdate), the literal true (trueLiteral), a read by
// alternative conditions (eitherOf) and what a unique violation looks like (classify). The engines also differ, outside this file, in:
//   - how they are opened and run: db.go (one pool on PostgreSQL; a single writer with its
//     queue and a pool of readers on SQLite), stmtcache.go and checkpoint.go (SQLite only);
//   - their schemas: one migrations folder per engine, the same versions in both (migrate.go);
//   - four places that take an engine's own path on purpose, each saying why: the audit
//     append (audit.go: one statement on PostgreSQL), LockRoom (rooms.go: a row lock on
//     PostgreSQL, nothing on SQLite), lockBlob (blobs.go: an advisory lock on PostgreSQL,
//     nothing on SQLite) and the bulk seeding and database upkeep of seed.go;
//   - the reading of the schema itself (tables, columns, keys, references) and the
//     snapshot transaction of the backup dump (dump*.go).
//
// A query anywhere else is the same text on both engines.
type Dialect int

// The supported engines.
const (
	SQLite Dialect = iota + 1
	Postgres
)

// Dialects lists the supported engines.
func Dialects() []Dialect { return []Dialect{SQLite, Postgres} }

func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "unknown"
}

var errNotFound = apperr.ErrNotFound

// rebound caches the PostgreSQL form of each query text; the set of query texts is fixed.
var rebound sync.Map

// rebind turns ? placeholders into $1, $2… for PostgreSQL. The queries of this package
// never contain a literal '?' inside a string.
func (d Dialect) rebind(query string) string {
	if d != Postgres {
		return query
	}
	if v, ok := rebound.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	rebound.Store(query, out)
	return out
}

// forUpdate is the row-lock suffix of a SELECT inside a transaction. SQLite needs none:
// its single writer already serialises write transactions.
func (d Dialect) forUpdate() string {
	if d == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// trueLiteral is the literal true of a boolean column (goose's is_applied is INTEGER on SQLite).
func (d Dialect) trueLiteral() string {
	if d == Postgres {
		return "TRUE"
	}
	return "1"
}

// alternative is one of the conditions eitherOf reads by, with its arguments.
type alternative struct {
	cond string
	args []any
}

// eitherOf is the SELECT of selectWhere (which ends in a WHERE clause's conditions, taking
// args) and of any one of the alternatives, each of which an index serves. PostgreSQL gets
// one statement whose OR it serves with a bitmap OR of the indexes, planned in well under
// half the time of a UNION (it plans the statement on every call). SQLite, which serves an
// OR from one index only, gets a UNION ALL of one select per alternative, each on its own
// index: a row then comes once per alternative it meets.
func (d Dialect) eitherOf(selectWhere string, args []any, alternatives []alternative) (string, []any) {
	var conds, branches []string
	var altArgs, branchArgs []any
	for _, a := range alternatives {
		conds = append(conds, "("+a.cond+")")
		altArgs = append(altArgs, a.args...)
		branches = append(branches, selectWhere+" AND ("+a.cond+")")
		branchArgs = append(append(branchArgs, args...), a.args...)
	}
	if d == Postgres {
		return selectWhere + " AND (" + strings.Join(conds, " OR ") + ")", append(slices.Clone(args), altArgs...)
	}
	return strings.Join(branches, " UNION ALL "), branchArgs
}

// classify turns engine errors that mean "conflict" into apperr.ErrConflict, keeping the
// original in the chain.
func (d Dialect) classify(err error) error {
	if err == nil {
		return nil
	}
	if isUniqueViolation(err) {
		return conflictError{cause: err}
	}
	return err
}

// conflictError is a unique violation: it is apperr.ErrConflict, keeps the engine's error
// for logs and debugging, and says no more than "conflict" so no table or constraint
// name can reach a client.
type conflictError struct{ cause error }

func (e conflictError) Error() string   { return apperr.ErrConflict.Error() }
func (e conflictError) Unwrap() []error { return []error{apperr.ErrConflict, e.cause} }

func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		code := sqErr.Code()
		return code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// isCorrupt reports whether err is SQLite saying its file is damaged or not a database.
func isCorrupt(err error) bool {
	var sqErr *sqlite.Error
	if !errors.As(err, &sqErr) {
		return false
	}
	primary := sqErr.Code() & 0xff
	return primary == sqlite3.SQLITE_CORRUPT || primary == sqlite3.SQLITE_NOTADB
}

// Package store is the only package that speaks SQL.
//
// One set of hand-written queries serves both engines: SQLite (embedded, pure Go) and
// PostgreSQL. Queries use ? placeholders, rebound to $n for PostgreSQL in dialect.go,
// whose Dialect comment lists every place where the engines differ. Every query on room
// data takes the room ID and filters by it. Not-found is returned as a wrapped
// apperr.ErrNotFound, never as a nil result.
//
// Writes happen only inside DB.InTx, so a use case and its audit entry commit together.
// On SQLite a single writer connection serialises transactions (they queue instead of
// failing with "database is locked") while a pool of read-only connections serves reads.
//
// # Closed lists and CHECK constraints
//
// Every closed list of values is defined once, in a domain package (authz.Roles,
// clearance.DocStatuses, report.Formats, …), and the code validates against it before a
// row is written. The schema follows one rule:
//
//   - Lists expected to grow carry no CHECK: room roles (parties.role,
//     document_types.supplied_by) and snapshot formats (snapshots.snapshot_type, dropped
//     in migration 00010). Adding a role or a format is a code change only, with no table
//     rebuild on SQLite.
//   - Closed lists that define the data keep their CHECK, as a last line of defence against
//     writes from outside the code: platform roles (users.role), document scope, expiry kind
//     and criticality, document, snapshot and sign-off statuses, checklist phases 1–5.
//     Changing one of those lists needs a migration (on SQLite a table rebuild, as 00010
//     shows) and TestSchemaChecksMatchDomainLists says so: it reads the live schema on both
//     engines and fails when a kept CHECK differs from its domain list, or when a CHECK
//     appears on a list expected to grow or on a column it does not know.
//   - Room statuses and vessel roles have no CHECK and need none; a new CHECK is added only
//     with its row in that test.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver

	"github.com/stshub/stshub/internal/turns"
)

// Options says which database to open.
type Options struct {
	// PostgresURL selects PostgreSQL; empty selects SQLite at SQLitePath.
	PostgresURL string
	// SQLitePath is the database file; its folder is created when missing.
	SQLitePath string
	// SQLiteSynchronous is NORMAL or FULL.
	SQLiteSynchronous string
}

// DB is an open database: a writer pool and a reader pool (the same pool on PostgreSQL).
type DB struct {
	dialect Dialect
	write   *sql.DB
	read    *sql.DB
	// Prepared statements of each pool; nil on PostgreSQL (see stmtCache).
	writeStmts, readStmts *stmtCache
	// ckpt checkpoints SQLite's log beside the writer; nil on PostgreSQL.
	ckpt *checkpointer
	// writerTurns makes SQLite's transactions take the single writer in the order they
	// asked for it (see InTx); nil on PostgreSQL, whose row locks already queue in order.
	writerTurns *turns.Queue
	// statements counts the statements the store has sent, for metrics and for tests that
	// hold a page to a number of queries.
	statements atomic.Int64
}

// Open connects to the database described by opts and checks that it answers; a SQLite
// file must also pass SQLite's quick integrity check. It does not migrate; see Migrate.
func Open(ctx context.Context, opts Options) (*DB, error) {
	var db *DB
	var err error
	if opts.PostgresURL != "" {
		db, err = openPostgres(opts.PostgresURL)
	} else {
		db, err = openSQLite(opts.SQLitePath, opts.SQLiteSynchronous)
	}
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		if isCorrupt(err) {
			return nil, fmt.Errorf("sqlite file %s fails its integrity check: %w; restore it from a backup (stshub restore)", opts.SQLitePath, err)
		}
		return nil, err
	}
	if db.dialect == SQLite {
		if err := db.quickCheck(ctx, opts.SQLitePath); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

func openPostgres(dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(32)
	pool.SetMaxIdleConns(32)
	return &DB{dialect: Postgres, write: pool, read: pool}, nil
}

func openSQLite(path, synchronous string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open sqlite: no database path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	if synchronous == "" {
		synchronous = "NORMAL"
	}
	base := "file:" + (&url.URL{Path: path}).EscapedPath()
	// Times are written in UTC (so that their text sorts as their instants do) as
	// "2006-01-02 15:04:05.999999999 +0000 UTC": the layout the driver tries first when it
	// reads a TIMESTAMP column, so each read parses once (migration 00009 moved older text).
	// journal_size_limit: when the writer starts the log over after a checkpoint, it cuts
	// the file down to the bound instead of keeping its largest size (see checkpoint.go).
	pragmas := "&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(" + synchronous + ")&_pragma=journal_size_limit(" + strconv.FormatInt(WALBound, 10) + ")" +
		"&_time_format=string_no_monotonic&_timezone=UTC"
	busy := func(d time.Duration) string {
		return "?_pragma=busy_timeout(" + strconv.FormatInt(d.Milliseconds(), 10) + ")"
	}
	// The writer never checkpoints: the checkpointer does, on a connection of its own.
	write, err := sql.Open("sqlite", base+busy(10*time.Second)+pragmas+"&_pragma=wal_autocheckpoint(0)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite writer: %w", err)
	}
	// One writer: transactions queue in the pool instead of fighting over the file lock.
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	read, err := sql.Open("sqlite", base+busy(10*time.Second)+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite readers: %w", err)
	}
	readers := max(4, 2*runtime.NumCPU())
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	read.SetConnMaxLifetime(0)
	// The checkpointer waits little for a lock: a truncating checkpoint holds new writes
	// back while it waits for readers (see checkpoint.go).
	ckpt, err := sql.Open("sqlite", base+busy(truncateWait)+pragmas)
	if err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("open sqlite checkpointer: %w", err)
	}
	return &DB{dialect: SQLite, write: write, read: read, writeStmts: newStmtCache(write), readStmts: newStmtCache(read),
		ckpt: newCheckpointer(ckpt, path+"-wal"), writerTurns: turns.New(1)}, nil
}

// quickCheck refuses a SQLite file that fails SQLite's quick integrity check (a torn copy,
// a damaged disk): a server started on it would answer for data it has partly lost.
func (db *DB) quickCheck(ctx context.Context, path string) error {
	rows, err := db.write.QueryContext(ctx, `PRAGMA quick_check(10)`)
	if err != nil {
		return fmt.Errorf("sqlite file %s fails its integrity check: %w; restore it from a backup (stshub restore)", path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("sqlite integrity check of %s: %w", path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite file %s fails its integrity check: %w; restore it from a backup (stshub restore)", path, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("sqlite file %s fails its integrity check (PRAGMA quick_check): %s; restore it from a backup (stshub restore)",
			path, strings.Join(problems, "; "))
	}
	return nil
}

// Dialect tells which engine this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", db.dialect, err)
	}
	return nil
}

// Close stops the checkpointer (SQLite) and closes both pools.
func (db *DB) Close() error {
	for _, c := range []*stmtCache{db.writeStmts, db.readStmts} {
		if c != nil {
			c.close()
		}
	}
	var err error
	if db.ckpt != nil {
		err = db.ckpt.close()
	}
	err = errors.Join(err, db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Pools returns the connection pools by name, for metrics and for the bench's bare reference
// (package bench), which runs its own SQL on them.
func (db *DB) Pools() map[string]*sql.DB {
	if db.read == db.write {
		return map[string]*sql.DB{"main": db.write}
	}
	return map[string]*sql.DB{"writer": db.write, "reader": db.read}
}

// Read returns queries on the reader pool. Use it for reads outside a use case's transaction.
func (db *DB) Read() Q {
	return Q{c: db.read, d: db.dialect, stmts: db.readStmts, statements: &db.statements}
}

// Statements is how many statements the store has sent since the database was opened
// (queries and writes through Q; not transaction control, nor the job queue's own SQL).
func (db *DB) Statements() int64 { return db.statements.Load() }

// InTx runs fn in one transaction on the writer pool, committing when fn returns nil and
// rolling back otherwise.
func (db *DB) InTx(ctx context.Context, fn func(tx Q) error) (err error) {
	state := &txState{}
	// Queries first seen in this transaction are prepared once it has released its
	// connection: deferred first, this runs after the rollback below.
	defer db.prepareUnseen(ctx, state)
	release, err := db.writerTurn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer release()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", outage(err))
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(Q{c: tx, d: db.dialect, tx: state, stmts: db.writeStmts, statements: &db.statements}); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", outage(err))
	}
	release()
	if db.dialect == SQLite {
		db.ckpt.committed()
		// The commit handed the single writer to the next waiting transaction, whose
		// goroutine is now runnable but would wait until this one blocks: let it start
		// before this request goes on with its reads and its answer.
		runtime.Gosched()
	}
	for _, h := range state.afterCommit {
		h()
	}
	return nil
}

// writerTurn waits, in arrival order, until the transaction may take SQLite's single
// writer connection, and returns the function that gives the turn back (it may be called
// more than once). database/sql hands a freed connection to a waiter picked at random, so
// without the turns a write could wait behind dozens of later ones. The few writes that
// do not go through InTx (River's, and the preparing of statements a transaction saw
// first, after it) still take the connection at random; they are rare.
func (db *DB) writerTurn(ctx context.Context) (func(), error) {
	if db.writerTurns == nil {
		return func() {}, nil
	}
	if err := db.writerTurns.Take(ctx); err != nil {
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(db.writerTurns.Give) }, nil
}

// WritersWaiting is the number of transactions waiting for SQLite's writer (0 on PostgreSQL).
func (db *DB) WritersWaiting() int {
	if db.writerTurns == nil {
		return 0
	}
	return db.writerTurns.Waiting()
}

// txState is what the queries of one transaction leave for after it.
type txState struct {
	afterCommit []func()
	unprepared  []string // query texts that ran without a cached statement
}

// prepareUnseen prepares on the writer the query texts a transaction ran unprepared.
func (db *DB) prepareUnseen(ctx context.Context, state *txState) {
	if db.writeStmts == nil {
		return
	}
	for _, query := range state.unprepared {
		db.writeStmts.prepare(context.WithoutCancel(ctx), query)
	}
}

// conn is what *sql.DB and *sql.Tx have in common.
type conn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Q runs the store's queries on a pool or inside a transaction. Its methods live in one
// file per table.
type Q struct {
	c     conn
	d     Dialect
	tx    *txState   // nil outside a transaction
	stmts *stmtCache // nil on PostgreSQL
	// statements is the DB's counter, bumped once per statement sent.
	statements *atomic.Int64
}

// InTx reports whether q runs inside a transaction.
func (q Q) InTx() bool { return q.tx != nil }

// AfterCommit runs fn once the transaction has committed (never if it rolls back): the
// place for side effects such as live notifications. Outside a transaction fn runs at once.
func (q Q) AfterCommit(fn func()) {
	if q.tx == nil {
		fn()
		return
	}
	q.tx.afterCommit = append(q.tx.afterCommit, fn)
}

// counted adds one to the DB's statement count (a Q made by hand in a test has none).
func (q Q) counted() {
	if q.statements != nil {
		q.statements.Add(1)
	}
}

// exec and query mark an outage or a full disk as such (outage.go); errors of a queryRow
// are marked where it is scanned (row.scan).
func (q Q) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q.counted()
	query = q.d.rebind(query)
	if st := q.stmt(ctx, query); st != nil {
		res, err := st.ExecContext(ctx, args...)
		return res, outage(err)
	}
	res, err := q.c.ExecContext(ctx, query, args...)
	return res, outage(err)
}

func (q Q) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q.counted()
	query = q.d.rebind(query)
	if st := q.stmt(ctx, query); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, outage(err)
	}
	rows, err := q.c.QueryContext(ctx, query, args...)
	return rows, outage(err)
}

func (q Q) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	q.counted()
	query = q.d.rebind(query)
	if st := q.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.c.QueryRowContext(ctx, query, args...)
}

// stmt is the cached prepared statement for query on q's connection, or nil to run the
// query text itself: always on PostgreSQL, and inside a transaction the first time a query
// is seen, since preparing needs the connection the transaction holds.
func (q Q) stmt(ctx context.Context, query string) *sql.Stmt {
	if q.stmts == nil {
		return nil
	}
	tx, ok := q.c.(*sql.Tx)
	if !ok {
		return q.stmts.prepare(ctx, query)
	}
	st := q.stmts.get(query)
	if st == nil {
		q.tx.unprepared = append(q.tx.unprepared, query)
		return nil
	}
	return tx.StmtContext(ctx, st)
}

// execOne runs a write that must touch exactly one row; zero rows is apperr.ErrNotFound.
func (q Q) execOne(ctx context.Context, what, query string, args ...any) error {
	res, err := q.exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, q.d.classify(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, errNotFound)
	}
	return nil
}

// JobPool is the pool the job queue (River) runs its own queries on: the writer on SQLite,
// where a single connection serialises all writes, the shared pool on PostgreSQL.
func (db *DB) JobPool() *sql.DB { return db.write }

// SQLTx is the transaction under q, for the job queue to insert a job atomically with the
// rows it serves. It is nil outside a transaction.
func (q Q) SQLTx() *sql.Tx {
	tx, _ := q.c.(*sql.Tx)
	return tx
}

// ResetInterruptedJobs makes jobs that a killed process left "running" available again.
// Only for SQLite, where one process owns the database file, so no running job can belong
// to a live worker; on PostgreSQL River's rescuer does this after its delay, as other
// nodes may be working. It touches River's own table, in River's time format.
func (db *DB) ResetInterruptedJobs(ctx context.Context) (int64, error) {
	if db.dialect != SQLite {
		return 0, nil
	}
	res, err := db.write.ExecContext(ctx, `UPDATE river_job SET state = 'available', scheduled_at = datetime('now', 'subsec') WHERE state = 'running'`)
	if err != nil {
		return 0, fmt.Errorf("reset interrupted jobs: %w", outage(err))
	}
	return res.RowsAffected()
}

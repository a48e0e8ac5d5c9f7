package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// SchemaVersion is the latest migration applied to the database (0 for a new one).
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := db.migrator()
	if err != nil {
		return 0, err
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}

// LatestSchemaVersion is the latest migration this build knows.
func LatestSchemaVersion() int64 {
	versions, err := MigrationVersions(SQLite)
	if err != nil || len(versions) == 0 {
		return 0
	}
	return slices.Max(versions)
}

// MigrateTo applies every pending migration up to and including version.
func (db *DB) MigrateTo(ctx context.Context, version int64) error {
	p, err := db.migrator()
	if err != nil {
		return err
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		return fmt.Errorf("migrate up to %d: %w", version, err)
	}
	return nil
}

// NonEmptyTables names the data tables that hold at least one row.
func (db *DB) NonEmptyTables(ctx context.Context) ([]string, error) {
	tables, err := db.DataTables(ctx)
	if err != nil {
		return nil, err
	}
	var full []string
	for _, t := range tables {
		rows, err := db.read.QueryContext(ctx, `SELECT 1 FROM `+quoteIdent(t.Name)+` LIMIT 1`)
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", t.Name, err)
		}
		if rows.Next() {
			full = append(full, t.Name)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, fmt.Errorf("count %s: %w", t.Name, err)
		}
	}
	return full, nil
}

// EmptyDataTables deletes every row of every data table: how a restore that failed after
// its commit leaves the database as empty as it found it.
func (db *DB) EmptyDataTables(ctx context.Context) error {
	tables, err := db.DataTables(ctx)
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(q Q) error {
		for _, t := range slices.Backward(tables) {
			if _, err := q.c.ExecContext(ctx, `DELETE FROM `+quoteIdent(t.Name)); err != nil {
				return fmt.Errorf("empty %s: %w", t.Name, err)
			}
		}
		return nil
	})
}

// Loader inserts rows of a dump inside one transaction (see DB.Load).
type Loader struct {
	ctx     context.Context
	tx      *sql.Tx
	dialect Dialect
	tables  map[string]Table // the target's tables
	// The batch being gathered: rows of one table, sent as one multi-row INSERT.
	table   Table
	names   []string // the batch's columns
	columns []Column // the target's kinds of the batch's columns
	args    []any
	rows    int
}

// maxBatchArgs bounds one INSERT's parameters (SQLite allows 32,766; PostgreSQL 65,535).
const maxBatchArgs = 4000

// Load runs fn with a Loader in one transaction on the writer, committing when fn returns
// nil: a load that fails leaves no row behind.
func (db *DB) Load(ctx context.Context, fn func(*Loader) error) error {
	tables, err := db.DataTables(ctx)
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(q Q) error {
		l := &Loader{ctx: ctx, tx: q.SQLTx(), dialect: db.dialect, tables: map[string]Table{}}
		for _, t := range tables {
			l.tables[t.Name] = t
		}
		if err := fn(l); err != nil {
			return err
		}
		return l.flush()
	})
}

// Insert adds one row of table with values for columns (each of its kind). A column the
// target does not have, or a value that does not fit its column, is an error.
func (l *Loader) Insert(table string, columns []string, values []any) error {
	if table != l.table.Name || !slices.Equal(columns, l.names) {
		if err := l.flush(); err != nil {
			return err
		}
		t, ok := l.tables[table]
		if !ok {
			return fmt.Errorf("load: the database has no table %s", table)
		}
		l.table, l.names, l.columns = t, slices.Clone(columns), make([]Column, len(columns))
		for i, name := range columns {
			j := slices.IndexFunc(t.Columns, func(c Column) bool { return c.Name == name })
			if j < 0 {
				return fmt.Errorf("load: table %s has no column %s", table, name)
			}
			l.columns[i] = t.Columns[j]
		}
	}
	if len(values) != len(l.columns) {
		return fmt.Errorf("load %s: %d values for %d columns", table, len(values), len(l.columns))
	}
	for i, v := range values {
		arg, err := toKind(l.columns[i].Kind, v)
		if err == nil && l.columns[i].Kind == KindText && arg != nil && l.dialect == Postgres && !utf8.ValidString(arg.(string)) {
			err = errors.New("text that is not UTF-8, which PostgreSQL cannot store")
		}
		if err != nil {
			return fmt.Errorf("load %s.%s: %w", table, l.columns[i].Name, err)
		}
		l.args = append(l.args, arg)
	}
	l.rows++
	if len(l.args)+len(l.columns) > maxBatchArgs {
		return l.flush()
	}
	return nil
}

// flush sends the gathered rows.
func (l *Loader) flush() error {
	if l.rows == 0 {
		return nil
	}
	names := make([]string, len(l.columns))
	for i, c := range l.columns {
		names[i] = quoteIdent(c.Name)
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(l.columns)), ", ") + ")"
	query := `INSERT INTO ` + quoteIdent(l.table.Name) + ` (` + strings.Join(names, ", ") + `) VALUES ` +
		strings.TrimSuffix(strings.Repeat(one+", ", l.rows), ", ")
	if _, err := l.tx.ExecContext(l.ctx, l.dialect.rebind(query), l.args...); err != nil {
		return fmt.Errorf("load %s: %w", l.table.Name, err)
	}
	l.args, l.rows = l.args[:0], 0
	return nil
}

// GeneratingSnapshot names a snapshot whose file is still to be rendered.
type GeneratingSnapshot struct{ RoomID, ID string }

// GeneratingSnapshots lists the snapshots still generating (a restore queues their
// rendering again, as the job queue is not part of a backup).
func (q Q) GeneratingSnapshots(ctx context.Context) ([]GeneratingSnapshot, error) {
	rows, err := q.query(ctx, `SELECT room_id, id FROM snapshots WHERE status = 'generating' AND deleted_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("generating snapshots: %w", err)
	}
	defer rows.Close()
	var out []GeneratingSnapshot
	for rows.Next() {
		var s GeneratingSnapshot
		if err := rows.Scan(&s.RoomID, &s.ID); err != nil {
			return nil, fmt.Errorf("generating snapshots: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

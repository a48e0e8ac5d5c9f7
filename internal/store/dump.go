package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The engine-neutral table dump behind `stshub backup` and `stshub restore` (package
// backup): which tables hold the product's data, one consistent read of all of them, and
// the loading of such a read into an empty database of either engine.
//
// Values cross engines as Go values of five kinds (see Kind): the engines store the same
// column as INTEGER 0/1 or BOOLEAN, as TIMESTAMP text or TIMESTAMPTZ, and the reading and
// the loading here convert each value to what the column of the engine at hand holds.

// Kind is the engine-neutral type of a column.
type Kind string

// The kinds of column and the Go value each is read as (NULL is nil for every kind).
const (
	KindText Kind = "text" // string
	KindInt  Kind = "int"  // int64
	KindReal Kind = "real" // float64
	KindBool Kind = "bool" // bool
	KindTime Kind = "time" // time.Time in UTC
)

// Column is one column of a table.
type Column struct {
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
}

// Table is one table of the product's data, with its columns in schema order.
type Table struct {
	Name    string   `json:"name"`
	Columns []Column `json:"columns"`
	// Key is the primary key's columns (every column when there is none): rows are
	// read in its order, the same on both engines, so a dump is reproducible.
	Key []string `json:"key"`
}

// isDataTable reports whether a table holds the product's data. Left out: the migration
// tools' bookkeeping (goose's version table, which Migrate writes; the engine's own) and
// River's job queue (river_*): its rows are work in flight whose schema River owns and
// which differs between the engines; a restore queues again what a snapshot still
// generating needs (see GeneratingSnapshots).
func isDataTable(name string) bool {
	return name != "goose_db_version" && !strings.HasPrefix(name, "river_") && !strings.HasPrefix(name, "sqlite_")
}

// DataTables lists the tables of the product's data in an order that loads without
// breaking a foreign key (a table after every table it references; ties by name).
func (db *DB) DataTables(ctx context.Context) ([]Table, error) {
	return dataTables(ctx, db.read, db.dialect)
}

// querier is what *sql.DB, *sql.Tx and *sql.Conn have in common for reading.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func dataTables(ctx context.Context, c querier, d Dialect) ([]Table, error) {
	tablesSQL, columnsSQL, refsSQL := `SELECT name FROM sqlite_master WHERE type = 'table'`,
		`SELECT name, type FROM pragma_table_info(?) ORDER BY cid`,
		`SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`
	keySQL := `SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`
	if d == Postgres {
		keySQL = `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`
		tablesSQL = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
		columnsSQL = `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`
		refsSQL = `SELECT DISTINCT confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' AND conrelid = $1::regclass`
	}
	names, err := queryStrings(ctx, c, tablesSQL)
	if err != nil {
		return nil, fmt.Errorf("data tables: %w", err)
	}
	names = slices.DeleteFunc(names, func(n string) bool { return !isDataTable(n) })
	slices.Sort(names)
	byName := map[string]Table{}
	refs := map[string][]string{}
	for _, name := range names {
		t := Table{Name: name}
		rows, err := c.QueryContext(ctx, columnsSQL, name)
		if err != nil {
			return nil, fmt.Errorf("columns of %s: %w", name, err)
		}
		for rows.Next() {
			var col, typ string
			if err := rows.Scan(&col, &typ); err != nil {
				rows.Close()
				return nil, fmt.Errorf("columns of %s: %w", name, err)
			}
			t.Columns = append(t.Columns, Column{Name: col, Kind: kindOf(typ)})
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", name, err)
		}
		if t.Key, err = queryStrings(ctx, c, keySQL, name); err != nil {
			return nil, fmt.Errorf("key of %s: %w", name, err)
		}
		if len(t.Key) == 0 {
			for _, col := range t.Columns {
				t.Key = append(t.Key, col.Name)
			}
		}
		byName[name] = t
		if refs[name], err = queryStrings(ctx, c, refsSQL, name); err != nil {
			return nil, fmt.Errorf("references of %s: %w", name, err)
		}
	}
	// Depth-first: each table after those it references (a table referencing itself
	// loads in one piece; the schema has no cycle between tables).
	ordered := make([]Table, 0, len(names))
	placed := map[string]bool{}
	var place func(string)
	place = func(name string) {
		if placed[name] {
			return
		}
		placed[name] = true
		for _, ref := range refs[name] {
			if _, ok := byName[ref]; ok {
				place(ref)
			}
		}
		ordered = append(ordered, byName[name])
	}
	for _, name := range names {
		place(name)
	}
	return ordered, nil
}

// kindOf maps a declared SQLite type or a PostgreSQL data_type to its Kind.
func kindOf(declared string) Kind {
	t := strings.ToUpper(declared)
	switch {
	case strings.Contains(t, "BOOL"):
		return KindBool
	case strings.Contains(t, "INT"):
		return KindInt
	case strings.Contains(t, "REAL"), strings.Contains(t, "DOUB"), strings.Contains(t, "FLOA"), strings.Contains(t, "NUMERIC"):
		return KindReal
	case strings.Contains(t, "TIME"), strings.Contains(t, "DATE"):
		return KindTime
	}
	return KindText
}

func queryStrings(ctx context.Context, c querier, query string, args ...any) ([]string, error) {
	rows, err := c.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ReadView is one consistent view of the whole database: every read through it sees the
// same committed state, however much is written meanwhile.
type ReadView struct {
	tx      *sql.Tx
	dialect Dialect
	tables  []Table
	version int64
}

// ReadConsistent runs fn on one consistent view of the database: on SQLite a read
// transaction (the write-ahead log gives it a snapshot of its own, and writers go on),
// on PostgreSQL a REPEATABLE READ READ ONLY transaction. Keep fn short: on SQLite an
// open view holds the log from being checkpointed past it.
func (db *DB) ReadConsistent(ctx context.Context, fn func(*ReadView) error) error {
	opts := &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	if db.dialect == SQLite {
		opts = nil // the reader pool is query_only; a deferred transaction's first read fixes its snapshot
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("consistent read: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	v := &ReadView{tx: tx, dialect: db.dialect}
	// The schema version and the table list are read inside the view, so they describe
	// exactly the rows it sees.
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied = `+db.dialect.trueLiteral()).Scan(&v.version); err != nil {
		return fmt.Errorf("consistent read: schema version: %w", err)
	}
	if v.tables, err = dataTables(ctx, tx, db.dialect); err != nil {
		return err
	}
	return fn(v)
}

// SchemaVersion is the latest migration the view's schema has.
func (v *ReadView) SchemaVersion() int64 { return v.version }

// Tables lists the view's data tables in loading order (see DB.DataTables).
func (v *ReadView) Tables() []Table { return v.tables }

// EachRow streams every row of t, its values in t's column order and of their kind, in
// the order of t's key (texts compared byte by byte on both engines).
func (v *ReadView) EachRow(ctx context.Context, t Table, fn func([]any) error) error {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = quoteIdent(c.Name)
	}
	order := make([]string, len(t.Key))
	for i, k := range t.Key {
		order[i] = quoteIdent(k)
		if j := slices.IndexFunc(t.Columns, func(c Column) bool { return c.Name == k }); v.dialect == Postgres && j >= 0 && t.Columns[j].Kind == KindText {
			order[i] += ` COLLATE "C"`
		}
	}
	rows, err := v.tx.QueryContext(ctx, `SELECT `+strings.Join(names, ", ")+` FROM `+quoteIdent(t.Name)+` ORDER BY `+strings.Join(order, ", "))
	if err != nil {
		return fmt.Errorf("read %s: %w", t.Name, err)
	}
	defer rows.Close()
	raw := make([]any, len(t.Columns))
	dest := make([]any, len(t.Columns))
	for i := range raw {
		dest[i] = &raw[i]
	}
	vals := make([]any, len(t.Columns))
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("read %s: %w", t.Name, err)
		}
		for i, c := range t.Columns {
			if vals[i], err = toKind(c.Kind, raw[i]); err != nil {
				return fmt.Errorf("read %s.%s: %w", t.Name, c.Name, err)
			}
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", t.Name, err)
	}
	return nil
}

// BlobRef is a stored file that rows refer to.
type BlobRef struct {
	SHA256 string
	Size   int64
}

// referencedBlobs selects every file the rows need: each document version's, and each
// completed snapshot's that is not deleted (a deleted snapshot's file may be gone).
const referencedBlobs = `SELECT sha256, size FROM document_versions
UNION SELECT file_sha256, file_size FROM snapshots WHERE status = 'completed' AND deleted_at IS NULL AND file_sha256 <> ''
ORDER BY 1`

// Blobs lists the files the view's rows refer to, each once, by hash.
func (v *ReadView) Blobs(ctx context.Context) ([]BlobRef, error) {
	return blobRefs(ctx, v.tx)
}

// Blobs lists the files the database's rows refer to, each once, by hash.
func (db *DB) Blobs(ctx context.Context) ([]BlobRef, error) {
	return blobRefs(ctx, db.read)
}

func blobRefs(ctx context.Context, c querier) ([]BlobRef, error) {
	rows, err := c.QueryContext(ctx, referencedBlobs)
	if err != nil {
		return nil, fmt.Errorf("referenced blobs: %w", err)
	}
	defer rows.Close()
	var out []BlobRef
	for rows.Next() {
		var b BlobRef
		if err := rows.Scan(&b.SHA256, &b.Size); err != nil {
			return nil, fmt.Errorf("referenced blobs: %w", err)
		}
		if n := len(out); n > 0 && out[n-1].SHA256 == b.SHA256 {
			if out[n-1].Size != b.Size {
				return nil, fmt.Errorf("referenced blobs: %s is recorded with sizes %d and %d", b.SHA256, out[n-1].Size, b.Size)
			}
			continue
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// toKind converts a value as the driver scanned it to the Go value of kind k. SQLite's
// columns are loosely typed, so each kind takes the forms SQLite may hand back.
func toKind(k Kind, v any) (any, error) {
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	if v == nil {
		return nil, nil
	}
	switch k {
	case KindText:
		switch x := v.(type) {
		case string:
			return x, nil
		case time.Time:
			return x.UTC().Format(time.RFC3339Nano), nil
		}
		return fmt.Sprint(v), nil
	case KindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		case float64:
			if x == float64(int64(x)) {
				return int64(x), nil
			}
		}
	case KindReal:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	case KindBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		}
	case KindTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case string:
			return parseStoredTime(x)
		}
	}
	return nil, fmt.Errorf("a %T value (%v) in a %s column", v, v, k)
}

// storedTimeLayouts are the text forms of a time a SQLite file may hold: the store's own
// (db.go), the older one migration 00009 replaced, and those SQLite's functions write.
var storedTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999 -0700 MST",
	"2006-01-02 15:04:05.999999999-07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

func parseStoredTime(s string) (time.Time, error) {
	for _, layout := range storedTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time", s)
}

// quoteIdent quotes a table or column name read from the schema.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

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

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The engine-neutral table dump behind `stshub backup` and `stshub restore` (package
// backup): which tables hold the product's data and their columns (this file), one
// consistent read of all of them (dump_read.go), and the loading of such a read into an
// empty database of either engine (dump_load.go).
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

package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

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

// StoredBlob is a stored file that rows refer to, as a backup copies it.
type StoredBlob struct {
	SHA256 string
	Size   int64
}

// referencedBlobs selects every file the rows need: each document version's, and each
// completed snapshot's that is not deleted (a deleted snapshot's file may be gone).
const referencedBlobs = `SELECT sha256, size FROM document_versions
UNION SELECT file_sha256, file_size FROM snapshots WHERE status = 'completed' AND deleted_at IS NULL AND file_sha256 <> ''
ORDER BY 1`

// Blobs lists the files the view's rows refer to, each once, by hash.
func (v *ReadView) Blobs(ctx context.Context) ([]StoredBlob, error) {
	return blobRefs(ctx, v.tx)
}

// Blobs lists the files the database's rows refer to, each once, by hash.
func (db *DB) Blobs(ctx context.Context) ([]StoredBlob, error) {
	return blobRefs(ctx, db.read)
}

func blobRefs(ctx context.Context, c querier) ([]StoredBlob, error) {
	rows, err := c.QueryContext(ctx, referencedBlobs)
	if err != nil {
		return nil, fmt.Errorf("referenced blobs: %w", err)
	}
	defer rows.Close()
	var out []StoredBlob
	for rows.Next() {
		var b StoredBlob
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

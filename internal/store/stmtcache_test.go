package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func openSQLiteForTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), Options{SQLitePath: filepath.Join(t.TempDir(), "stmt.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.write.Exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// inTxWithin runs db.InTx and fails the test when it does not return in time: a
// transaction that kept the single writer connection while preparing would never return.
func inTxWithin(t *testing.T, db *DB, fn func(Q) error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- errors.New("panicked")
			}
		}()
		done <- db.InTx(context.Background(), fn)
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("InTx did not return: the writer connection is stuck")
		return nil
	}
}

func TestStatementCacheOnSQLite(t *testing.T) {
	ctx := context.Background()
	db := openSQLiteForTest(t)
	const insert = `INSERT INTO items (name) VALUES (?)`
	const count = `SELECT COUNT(*) FROM items`

	// First seen inside a transaction that fails: it runs unprepared, the rollback
	// releases the writer, and only then is the statement prepared.
	failure := errors.New("changed my mind")
	err := inTxWithin(t, db, func(q Q) error {
		if _, err := q.exec(ctx, insert, "rolled back"); err != nil {
			return err
		}
		if db.writeStmts.get(insert) != nil {
			t.Error("a statement was prepared while its transaction held the writer")
		}
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatalf("InTx = %v, want the function's error", err)
	}
	if db.writeStmts.get(insert) == nil {
		t.Fatal("the statement first seen in a transaction was not prepared after it")
	}

	// A panic rolls back as well, and the writer is free afterwards.
	_ = inTxWithin(t, db, func(q Q) error {
		if _, err := q.exec(ctx, `DELETE FROM items WHERE name = ?`, "x"); err != nil {
			return err
		}
		panic("boom")
	})

	// The prepared statement serves later transactions, on the same connection.
	for _, name := range []string{"kept", "kept too"} {
		if err := inTxWithin(t, db, func(q Q) error { _, err := q.exec(ctx, insert, name); return err }); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.Read().queryRow(ctx, count).Scan(&n); err != nil || n != 2 {
		t.Fatalf("rows = %d, %v; want 2 (the rolled-back insert gone)", n, err)
	}
	if db.readStmts.get(count) == nil {
		t.Fatal("a read was not prepared on the reader pool")
	}
	if err := db.Read().queryRow(ctx, count).Scan(&n); err != nil || n != 2 {
		t.Fatalf("second read through the cached statement = %d, %v", n, err)
	}
}

func TestAnalyzeKeepsNoValueSamplesOnSQLite(t *testing.T) {
	ctx := context.Background()
	db := openSQLiteForTest(t)
	if _, err := db.write.Exec(`CREATE INDEX items_name ON items (name)`); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if err := db.InTx(ctx, func(q Q) error {
			_, err := q.exec(ctx, `INSERT INTO items (name) VALUES (?)`, string(rune('a'+i%5)))
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	var stat1, stat4 int
	if err := db.write.QueryRow(`SELECT (SELECT COUNT(*) FROM sqlite_stat1), (SELECT COUNT(*) FROM sqlite_stat4)`).Scan(&stat1, &stat4); err != nil {
		t.Fatal(err)
	}
	if stat1 == 0 || stat4 != 0 {
		t.Fatalf("after Analyze: %d sqlite_stat1 rows (want some), %d sqlite_stat4 rows (want none)", stat1, stat4)
	}
}

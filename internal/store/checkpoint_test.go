package store

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

func TestCheckpointsHappenBesideTheWriter(t *testing.T) {
	ctx := context.Background()
	db := openSQLiteForTest(t)
	var path string
	if err := db.write.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	var auto int
	if err := db.write.QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("the writer checkpoints by itself every %d pages (%v); it must leave it to the checkpointer", auto, err)
	}
	// Many more pages than SQLite's automatic threshold (1,000), in many commits.
	payload := strings.Repeat("x", 3000)
	for range 50 {
		err := db.InTx(ctx, func(q Q) error {
			for range 40 {
				if _, err := q.exec(ctx, `INSERT INTO items (name) VALUES (?)`, payload); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The database file grows only when a checkpoint copies pages into it from the log,
	// and here sooner than the checkpointer's periodic round: the commits woke it.
	const committed = 2000 * 3000
	deadline := time.Now().Add(checkpointEvery / 2)
	for mainFileSize(t, path) < committed {
		if time.Now().After(deadline) {
			t.Fatalf("after %s the database file has %d bytes of the %d committed: the commits did not wake the checkpointer",
				checkpointEvery/2, mainFileSize(t, path), committed)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func mainFileSize(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

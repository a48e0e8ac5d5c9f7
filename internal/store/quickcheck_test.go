package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenRefusesADamagedSQLiteFile damages pages of a database file (as a copy taken
// while the server wrote, or a failing disk, does) and expects Open to refuse it.
func TestOpenRefusesADamagedSQLiteFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "stshub.db")
	db, err := Open(ctx, Options{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if db, err = Open(ctx, Options{SQLitePath: path}); err != nil {
		t.Fatalf("a sound file is refused: %v", err)
	}
	db.Close()

	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	garbage := []byte(strings.Repeat("\xa5", 4096))
	for off := int64(8192); off+4096 < st.Size(); off += 3 * 4096 { // every third page after the first two
		if _, err := f.WriteAt(garbage, off); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	db, err = Open(ctx, Options{SQLitePath: path})
	if err == nil {
		db.Close()
		t.Fatal("Open accepted a damaged database file")
	}
	if !strings.Contains(err.Error(), "integrity check") || !strings.Contains(err.Error(), "stshub restore") {
		t.Errorf("the refusal does not say what is wrong and what to do: %v", err)
	}
	t.Log(err)
}

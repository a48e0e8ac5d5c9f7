package files

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestRemoveStaleSpool: the spool files of a live owner, this one or another, stay; those
// of an owner whose lock is free (its process died) go with its owner file; a file without
// an owner goes once it is older than StaleSpoolAge.
func TestRemoveStaleSpool(t *testing.T) {
	dir := t.TempDir()
	self, live := newSpooler(""), newSpooler("")
	mine, err := self.create(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer mine.Close()
	theirs, err := live.create(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer theirs.Close()
	write := func(name string, age time.Duration) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-age)
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	write("owner-0123456789abcdef.lock", 0) // nobody holds its lock: its process died
	write("put-0123456789abcdef-1", 0)
	write("put-0123456789abcdef-2", 0)
	write("put-fedcba9876543210-1", 0)           // owner file gone: by age only
	write("put-fedcba9876543210-2", 2*time.Hour) // … and old enough
	write("put-12345", 0)                        // an older version's name, recent
	write("put-67890", 2*time.Hour)              // … and old
	write("unrelated", 2*time.Hour)
	n, err := self.removeStale(dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := []string{filepath.Base(mine.Name()), filepath.Base(theirs.Name()), self.ownerName(self.token), live.ownerName(live.token),
		"put-fedcba9876543210-1", "put-12345", "unrelated"}
	slices.Sort(want)
	if n != 4 || !slices.Equal(left, want) {
		t.Fatalf("removed %d, left %v\nwant left %v", n, left, want)
	}
}

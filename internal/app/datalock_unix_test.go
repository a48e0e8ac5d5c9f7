//go:build unix

package app

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestDataFolderLockRefusesASecondHolder(t *testing.T) {
	dir := t.TempDir()
	release, err := lockDataDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// A second open file description of the lock file, as a second process would have.
	if _, err := lockDataDir(dir); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
		t.Fatalf("a second lock on a held folder: %v; want a refusal naming pid %d", err, os.Getpid())
	}
	release()
	again, err := lockDataDir(dir)
	if err != nil {
		t.Fatalf("the folder stays locked after release: %v", err)
	}
	again()
}

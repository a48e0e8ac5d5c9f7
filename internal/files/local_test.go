package files_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/files/filestest"
)

func TestLocal(t *testing.T) {
	root := t.TempDir()
	s, err := files.NewLocal(root)
	if err != nil {
		t.Fatal(err)
	}
	filestest.Run(t, s)
	// Nothing half-written is left behind in the temp folder.
	left, _ := os.ReadDir(filepath.Join(root, "tmp"))
	if len(left) != 0 {
		t.Fatalf("temp files left: %d", len(left))
	}
}

package files_test

import (
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
	// Nothing half-written is left behind in the temp folder (only the store's owner file).
	left, _ := filepath.Glob(filepath.Join(root, "tmp", "put-*"))
	if len(left) != 0 {
		t.Fatalf("temp files left: %v", left)
	}
}

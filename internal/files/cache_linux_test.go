//go:build linux

package files_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/stshub/stshub/internal/files"
)

// A stored blob's pages leave the page cache once it is on disk, and the blob still
// reads back whole (from the disk).
func TestLocalPutLeavesNothingInThePageCache(t *testing.T) {
	root := t.TempDir()
	var fs unix.Statfs_t
	if err := unix.Statfs(root, &fs); err != nil {
		t.Fatal(err)
	}
	if fs.Type == unix.TMPFS_MAGIC {
		t.Skip("the temp folder is on tmpfs, whose pages are the storage itself")
	}
	s, err := files.NewLocal(root)
	if err != nil {
		t.Fatal(err)
	}
	content := make([]byte, 1<<20)
	rand.Read(content)
	blob, err := s.Put(context.Background(), bytes.NewReader(content), 2<<20)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, blob.SHA256[:2], blob.SHA256)
	if n := residentPages(t, path, len(content)); n != 0 {
		t.Fatalf("%d of %d pages of the blob are still in the page cache", n, len(content)/os.Getpagesize())
	}
	back, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back, content) {
		t.Fatal("the blob does not read back as written")
	}
}

// residentPages counts the pages of a file that are in the page cache (mincore).
func residentPages(t *testing.T, path string, size int) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	vec := make([]byte, (size+os.Getpagesize()-1)/os.Getpagesize())
	if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		t.Fatal(errno)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n
}

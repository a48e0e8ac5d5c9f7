//go:build unix

package app

import (
	"path/filepath"
	"syscall"
)

// freeBytes is the space an unprivileged process may still write on the file system of
// dir (or of its nearest existing parent); ok is false when it cannot be told.
func freeBytes(dir string) (free uint64, ok bool) {
	for {
		var st syscall.Statfs_t
		err := syscall.Statfs(dir, &st)
		if err == nil {
			return uint64(st.Bavail) * uint64(st.Bsize), true
		}
		parent := filepath.Dir(dir)
		if err != syscall.ENOENT || parent == dir {
			return 0, false
		}
		dir = parent
	}
}

//go:build linux

package files

import (
	"os"

	"golang.org/x/sys/unix"
)

// DropFromCache asks the kernel to evict f's pages from the page cache once they are on
// disk (call it after Sync). A blob is written once and read rarely, so its pages would
// only push the database's pages out of the cache; dropping them also hands the same
// memory to the next upload instead of growing the cache into memory the machine has
// not touched yet, which on a virtual machine costs more than the write itself. The
// advice cannot lose data (pages still dirty are not dropped), so its error is returned
// only for the caller to ignore or log.
func DropFromCache(f *os.File) error {
	raw, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var adviseErr error
	if err := raw.Control(func(fd uintptr) {
		adviseErr = unix.Fadvise(int(fd), 0, 0, unix.FADV_DONTNEED)
	}); err != nil {
		return err
	}
	return adviseErr
}

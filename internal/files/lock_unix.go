//go:build unix

package files

import (
	"errors"
	"os"
	"syscall"
)

// lockSupported says whether tryLockFile can tell a dead owner.
const lockSupported = true

// lockFile takes an exclusive lock on f (waiting for a clean-up that holds it), held until
// f is closed or the process ends.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
}

// tryLockFile takes an exclusive lock on f if nobody holds one.
func tryLockFile(f *os.File) (bool, error) {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	return err == nil, err
}

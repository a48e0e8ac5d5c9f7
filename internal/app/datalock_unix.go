//go:build unix

package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockFileName is the lock file in the data folder.
const lockFileName = "stshub.lock"

// lockDataDir takes the data folder for this process: an exclusive flock on
// DIR/stshub.lock, held until release is called or the process ends (the kernel drops it
// then, so a killed process leaves no stale lock). A folder another process holds is
// refused, naming that process. The file records the holder's PID for that message.
func lockDataDir(dir string) (release func(), err error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	path := filepath.Join(dir, lockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, fmt.Errorf("lock the data folder: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			pid := strings.TrimSpace(string(holder))
			if _, convErr := strconv.Atoi(pid); convErr != nil {
				pid = "unknown"
			}
			return nil, fmt.Errorf("the data folder %s is in use by another stshub process (pid %s, holding %s); stop it first", dir, pid, path)
		}
		return nil, fmt.Errorf("lock the data folder: %w", err)
	}
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() { f.Close() }, nil
}

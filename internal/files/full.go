package files

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/stshub/stshub/internal/apperr"
)

// diskFull marks an error of writing a file for want of space (ENOSPC, or EDQUOT for a
// quota) as apperr.ErrStorageFull, so the client is told storage is full (507) rather than
// of an internal error; any other error is returned as it is.
func diskFull(err error) error {
	if err == nil || errors.Is(err, apperr.ErrStorageFull) {
		return err
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return fmt.Errorf("%w: %w", apperr.ErrStorageFull, err)
	}
	return err
}

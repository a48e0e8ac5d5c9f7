//go:build !unix

package files

import "os"

// lockSupported says whether tryLockFile can tell a dead owner: not here, so spool files
// are only removed by age.
const lockSupported = false

func lockFile(*os.File) error { return nil }

func tryLockFile(*os.File) (bool, error) { return false, nil }

//go:build !linux

package files

import "os"

// DropFromCache does nothing where posix_fadvise is not available: the page cache keeps
// the blob's pages until it needs the memory.
func DropFromCache(*os.File) error { return nil }

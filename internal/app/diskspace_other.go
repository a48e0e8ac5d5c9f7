//go:build !unix

package app

// freeBytes cannot tell the free space where statfs is missing: the check is skipped.
func freeBytes(string) (uint64, bool) { return 0, false }

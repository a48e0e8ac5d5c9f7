package app

import (
	"fmt"
)

// lowDiskSpace says which of dirs has less than minFree bytes free, in words for /readyz
// ("" when all have enough, when minFree is 0, or where free space cannot be told). A
// folder not created yet is judged by the nearest existing one above it.
func lowDiskSpace(dirs []string, minFree int64) string {
	if minFree <= 0 {
		return ""
	}
	for _, dir := range dirs {
		free, ok := freeBytes(dir)
		if ok && free < uint64(minFree) {
			return fmt.Sprintf("storage is nearly full: %s has %s free, under the minimum of %s (STSHUB_MIN_FREE_BYTES); writes may fail until space is freed",
				dir, mib(int64(min(free, 1<<62))), mib(minFree))
		}
	}
	return ""
}

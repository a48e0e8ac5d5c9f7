// Package waitfor lets a test wait until something another goroutine does has happened.
package waitfor

import (
	"testing"
	"time"
)

// Until polls cond every millisecond until it holds, and fails the test, naming what it
// waited for, when it still does not after 10 seconds.
func Until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

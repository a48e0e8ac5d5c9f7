package bench_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/bench"
)

// TestMainCommandLine checks the exit codes of the command line that end before a server is
// opened (the opener is nil): help 0, a wrong command line 2, a failed run 1.
func TestMainCommandLine(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--help"}, 0, "--verify-audit"},
		{[]string{"--bogus"}, 2, "flag provided but not defined"},
		{[]string{"--quick", "extra"}, 2, "unexpected arguments: extra"},
		{[]string{"--ops", "nope"}, 1, `unknown operation "nope"`},
	} {
		var stdout, stderr bytes.Buffer
		if code := bench.Main(c.args, &stdout, &stderr, nil); code != c.code || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("stshub-bench %v: exit %d, want %d; stderr lacks %q:\n%s", c.args, code, c.code, c.want, stderr.String())
		}
	}
}

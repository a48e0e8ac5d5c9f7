package app_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/app"
)

// TestHelp runs every command's --help and -h: each prints its usage, naming its flags, to
// stdout and exits 0 without touching a database; an unknown flag exits 2 with the usage on
// stderr.
func TestHelp(t *testing.T) {
	t.Chdir(t.TempDir()) // a command that wrongly went ahead would create ./data here
	storage := []string{"-data", "-database-url", "-log-format", "-log-level"}
	cases := []struct {
		args []string
		want []string
	}{
		{nil, []string{"stshub serve", "stshub admin create", "stshub migrate up|down|status", "stshub audit verify", "stshub fsck", "stshub demo", "stshub backup FILE", "stshub restore FILE"}},
		{[]string{"serve"}, append([]string{"stshub serve", "-addr", "-session-ttl", "-max-body-bytes", "-max-upload-bytes",
			"-shutdown-timeout", "-sqlite-synchronous", "-record-retention", "STSHUB_RECORD_RETENTION", "STSHUB_ADDR",
			"-single-node", "STSHUB_SINGLE_NODE", "-min-free-bytes", "STSHUB_MIN_FREE_BYTES"}, storage...)},
		{[]string{"admin"}, append([]string{"stshub admin create", "-email", "-password", "-name"}, storage...)},
		{[]string{"admin", "create"}, append([]string{"stshub admin create", "-email", "-password", "-name", "-promote"}, storage...)},
		{[]string{"migrate"}, append([]string{"stshub migrate up|down|status"}, storage...)},
		{[]string{"migrate", "status"}, append([]string{"stshub migrate up|down|status"}, storage...)},
		{[]string{"audit"}, append([]string{"stshub audit verify", "-room"}, storage...)},
		{[]string{"audit", "verify"}, append([]string{"stshub audit verify", "-room"}, storage...)},
		{[]string{"demo"}, append([]string{"stshub demo"}, storage...)},
		{[]string{"backup"}, append([]string{"stshub backup FILE"}, storage...)},
		{[]string{"restore"}, append([]string{"stshub restore FILE"}, storage...)},
		{[]string{"fsck"}, append([]string{"stshub fsck", "SHA-256"}, storage...)},
	}
	for _, c := range cases {
		for _, help := range []string{"--help", "-h"} {
			args := append(append([]string{}, c.args...), help)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				usage := runMain(t, args, 0, "stderr")
				for _, w := range c.want {
					if !strings.Contains(usage, w) {
						t.Errorf("usage lacks %q:\n%s", w, usage)
					}
				}
			})
		}
		if len(c.args) == 0 {
			continue
		}
		args := append(append([]string{}, c.args...), "--no-such-flag")
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			usage := runMain(t, args, 2, "stdout")
			if !strings.Contains(usage, "usage: ") || !strings.Contains(usage, c.want[0]) {
				t.Errorf("stderr lacks the usage:\n%s", usage)
			}
		})
	}
	if _, err := os.Stat("data"); !os.IsNotExist(err) {
		t.Errorf("a help or usage error created ./data (stat: %v)", err)
	}
}

// runMain runs the command line and checks its exit code and that the stream named quiet
// ("stdout" or "stderr") stayed empty; it returns what the other stream received.
func runMain(t *testing.T, args []string, wantCode int, quiet string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := app.Main(args, &stdout, &stderr); code != wantCode {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, wantCode, &stdout, &stderr)
	}
	said, silent := stdout.String(), stderr.String()
	if quiet == "stdout" {
		said, silent = silent, said
	}
	if silent != "" {
		t.Errorf("%s not empty:\n%s", quiet, silent)
	}
	return said
}

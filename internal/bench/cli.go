package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const usage = `stshub-bench — load test of the STS Clearance Hub against a bare net/http + database/sql reference

Usage:
  stshub-bench [--database-url URL] [--quick] [--concurrency 50] [--duration 10s] [--ops a,b]
               [--json FILE] [--cpuprofile FILE] [--verify-audit] [--keep]

It seeds a throwaway database (SQLite in a temporary folder, or a schema of its own on the
PostgreSQL server of --database-url, dropped afterwards) and takes no storage settings from
the environment. It exits 1 when a target was missed.

Flags:
`

// Main is the stshub-bench command: it parses args (without the program name), runs the
// bench on the app open builds and returns the exit code: 0 when it ran and met every
// target, 1 when it failed or missed a target, 2 when the command line was wrong.
func Main(args []string, stdout, stderr io.Writer, open Opener) int {
	fs := flag.NewFlagSet("stshub-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	var opts Options
	opts.Bind(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "stshub-bench: unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal, restore the default handling: a second one ends the process
	// at once instead of waiting for the clean-up (which drops the PostgreSQL schema).
	go func() { <-ctx.Done(); stop() }()
	rep, err := Run(ctx, opts, open, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "stshub-bench:", err)
		return 1
	}
	if rep.Failed() {
		fmt.Fprintln(stderr, "stshub-bench: some targets were missed (see the table)")
		return 1
	}
	return 0
}

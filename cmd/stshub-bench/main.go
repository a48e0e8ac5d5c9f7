// Command stshub-bench measures the STS Clearance Hub under load against a bare net/http +
// database/sql reference, on a throwaway database (see package bench, and the README's
// Performance section). It is a tool of the source tree, not part of the product binary.
package main

import (
	"context"
	"io"
	"os"

	"github.com/stshub/stshub/internal/app"
	"github.com/stshub/stshub/internal/bench"
	"github.com/stshub/stshub/internal/config"
)

func main() {
	os.Exit(bench.Main(os.Args[1:], os.Stdout, os.Stderr, open))
}

// open builds the app under test as `stshub serve` does (app.New: migrated database,
// services, routes); the bench serves its handler itself and starts no background work.
func open(ctx context.Context, cfg config.Config, log io.Writer) (bench.Server, error) {
	a, err := app.New(ctx, cfg, app.NewLogger(log, cfg.LogFormat, cfg.LogLevel))
	if err != nil {
		return nil, err // not a nil *app.App in a non-nil interface
	}
	return a, nil
}

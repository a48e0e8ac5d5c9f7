package app

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
	"time"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/config"
	"github.com/stshub/stshub/internal/service"
)

const usage = `stshub — STS Clearance Hub

Usage:
  stshub serve [--addr 127.0.0.1:8080] [--data ./data] [--database-url URL]
  stshub admin create --email E --password P [--name N]
  stshub migrate up|down|status
  stshub audit verify [--room ID]
  stshub demo

Every command that touches the database takes --data and --database-url
(STSHUB_DATA, STSHUB_DATABASE_URL). Run "stshub COMMAND --help" for its flags.
`

// Main runs the command line with args (without the program name) and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(stderr, "stshub:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal, restore the default handling: a second one ends the process
	// at once instead of waiting out the drain.
	go func() { <-ctx.Done(); stop() }()
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		err = runServe(ctx, cfg, rest, stderr)
	case "admin":
		err = runAdmin(ctx, cfg, rest, stdout, stderr)
	case "migrate":
		err = runMigrate(ctx, cfg, rest, stdout, stderr)
	case "audit":
		err = runAudit(ctx, cfg, rest, stdout, stderr)
	case "demo":
		err = runDemo(ctx, cfg, rest, stdout, stderr)
	case "bench":
		fmt.Fprintln(stderr, "stshub: the benchmark is not part of the product binary; run it from the source tree: go run ./cmd/stshub-bench --quick")
		return 2
	default:
		fmt.Fprintf(stderr, "stshub: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		fmt.Fprintln(stderr, "stshub:", err)
		return 1
	}
}

// errUsage means the command line was wrong and the flag set has already said why.
var errUsage = errors.New("usage")

// parseFlags parses args into fs, which prints its own errors and usage to stderr.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		return errUsage
	}
	return nil
}

func runServe(ctx context.Context, cfg config.Config, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("stshub serve", flag.ContinueOnError)
	cfg.BindServeFlags(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	log := NewLogger(stderr, cfg.LogFormat, cfg.LogLevel)
	a, err := New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Serve(ctx)
}

// withService opens and migrates the database, validates cfg and runs fn with a service.
func withService(ctx context.Context, cfg config.Config, stderr io.Writer, fn func(*service.Service) error) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := service.New(db, service.Options{SessionTTL: cfg.SessionTTL, Logger: NewLogger(stderr, cfg.LogFormat, cfg.LogLevel)})
	if err != nil {
		return err
	}
	return fn(svc)
}

func runAdmin(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "usage: stshub admin create --email E --password P [--name N]")
		return errUsage
	}
	fs := flag.NewFlagSet("stshub admin create", flag.ContinueOnError)
	cfg.BindStorageFlags(fs)
	email := fs.String("email", "", "the admin's e-mail (required)")
	password := fs.String("password", "", "the admin's password, at least 12 characters (required)")
	name := fs.String("name", "", "the admin's display name")
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		return err
	}
	if *email == "" || *password == "" {
		fmt.Fprintln(stderr, "--email and --password are required")
		return errUsage
	}
	return withService(ctx, cfg, stderr, func(svc *service.Service) error {
		created, err := svc.EnsureAdmin(ctx, *email, *password, *name, true)
		if err != nil {
			return err
		}
		if created {
			fmt.Fprintf(stdout, "created admin %s\n", strings.ToLower(strings.TrimSpace(*email)))
		} else {
			fmt.Fprintf(stdout, "reset the password of %s and made it an admin\n", strings.ToLower(strings.TrimSpace(*email)))
		}
		return nil
	})
}

func runMigrate(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "up" && args[0] != "down" && args[0] != "status") {
		fmt.Fprintln(stderr, "usage: stshub migrate up|down|status [--data DIR] [--database-url URL]")
		return errUsage
	}
	fs := flag.NewFlagSet("stshub migrate "+args[0], flag.ContinueOnError)
	cfg.BindStorageFlags(fs)
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "up":
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "migrated up")
	case "down":
		rolled, err := db.MigrateDown(ctx)
		if err != nil {
			return err
		}
		if rolled {
			fmt.Fprintln(stdout, "rolled back the latest migration")
		} else {
			fmt.Fprintln(stdout, "nothing to roll back")
		}
	case "status":
		statuses, err := db.MigrationStatuses(ctx)
		if err != nil {
			return err
		}
		for _, s := range statuses {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Fprintf(stdout, "%05d  %-8s %s\n", s.Version, state, s.Name)
		}
	}
	return nil
}

func runAudit(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "usage: stshub audit verify [--room ID]")
		return errUsage
	}
	fs := flag.NewFlagSet("stshub audit verify", flag.ContinueOnError)
	cfg.BindStorageFlags(fs)
	room := fs.String("room", "", "verify only this room's chain (default: every chain, the platform's too)")
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		return err
	}
	return withService(ctx, cfg, stderr, func(svc *service.Service) error {
		reports, err := svc.VerifyAudit(ctx, *room)
		for _, r := range reports {
			fmt.Fprintf(stdout, "ok  %-36s %6d entries  head %s\n", r.Scope, r.Entries, r.Head.Hash)
		}
		var broken *audit.BrokenError
		if errors.As(err, &broken) {
			fmt.Fprintf(stdout, "BAD %s\n", broken.Error())
			return fmt.Errorf("audit trail verification failed")
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "verified %d chain(s)\n", len(reports))
		return nil
	})
}

func runDemo(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("stshub demo", flag.ContinueOnError)
	cfg.BindStorageFlags(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	a, err := New(ctx, cfg, NewLogger(stderr, cfg.LogFormat, "warn"))
	if err != nil {
		return err
	}
	defer a.Close()
	return LoadDemo(ctx, a.Service(), stdout, time.Now())
}

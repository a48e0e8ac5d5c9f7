package app

import (
	"bytes"
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
  stshub admin create --email E --password P [--name N] [--promote]
  stshub migrate up|down|status
  stshub audit verify [--room ID]
  stshub fsck
  stshub demo
  stshub backup FILE
  stshub restore FILE

Every command that touches the database takes --data and --database-url
(STSHUB_DATA, STSHUB_DATABASE_URL). Run "stshub COMMAND --help" for its flags.
`

// Main runs the command line with args (without the program name) and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if isHelp(args[0]) || args[0] == "help" {
		fmt.Fprint(stdout, usage)
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
		err = runServe(ctx, cfg, rest, stdout, stderr)
	case "admin":
		err = runAdmin(ctx, cfg, rest, stdout, stderr)
	case "migrate":
		err = runMigrate(ctx, cfg, rest, stdout, stderr)
	case "audit":
		err = runAudit(ctx, cfg, rest, stdout, stderr)
	case "fsck":
		err = runFsck(ctx, cfg, rest, stdout, stderr)
	case "demo":
		err = runDemo(ctx, cfg, rest, stdout, stderr)
	case "backup":
		err = runBackup(ctx, cfg, rest, stdout, stderr)
	case "restore":
		err = runRestore(ctx, cfg, rest, stdout, stderr)
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

// isHelp reports whether arg asks for help (-h, --help, -help).
func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "-help" }

// newFlagSet is the flag set of one command: its usage is the synopsis, what the command
// does, and its flags with their defaults and environment variables.
func newFlagSet(name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s\n\n%s\n\nflags:\n", synopsis, about)
		fs.PrintDefaults()
	}
	return fs
}

// parseArgs parses args into fs. Asked for help, it prints the usage to stdout and returns
// flag.ErrHelp (exit 0); a wrong command line gets the flag set's complaint and usage on
// stderr and errUsage (exit 2).
func parseArgs(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	var out bytes.Buffer
	fs.SetOutput(&out)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		_, _ = out.WriteTo(stdout)
		return err
	case err != nil:
		_, _ = out.WriteTo(stderr)
		return errUsage
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "unexpected arguments: %s\n", strings.Join(fs.Args(), " "))
		fs.Usage()
		return errUsage
	}
	return nil
}

// subcommandUsage answers a command group (admin, migrate, audit) called without a known
// subcommand: with the usage of fs on stdout for a help flag (flag.ErrHelp, exit 0), else
// on stderr (errUsage, exit 2).
func subcommandUsage(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && (isHelp(args[0]) || args[0] == "help") {
		fs.SetOutput(stdout)
		fs.Usage()
		return flag.ErrHelp
	}
	if len(args) > 0 {
		fmt.Fprintf(stderr, "unknown subcommand %q\n", args[0])
	}
	fs.SetOutput(stderr)
	fs.Usage()
	return errUsage
}

func runServe(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stshub serve", "stshub serve [flags]",
		"Runs the server (web UI at /, JSON API under /api/v1) on the database and files the flags\n"+
			"select, migrating the database first. SIGTERM or SIGINT drains in-flight requests and jobs,\n"+
			"then exits 0.")
	cfg.BindServeFlags(fs)
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if err := cfg.CheckNodes(); err != nil {
		return err
	}
	// One server per data folder: a second one would share its SQLite file and files.
	release, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return err
	}
	defer release()
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
	fs := newFlagSet("stshub admin create", "stshub admin create --email E --password P [--name N] [--promote] [flags]",
		"Creates a platform admin in the database the flags select, or resets the password of an\n"+
			"existing admin (its sessions end). An existing user who is not an admin is refused unless\n"+
			"--promote is given: then its password is reset and it becomes an admin.")
	cfg.BindStorageFlags(fs)
	email := fs.String("email", "", "the admin's e-mail (required)")
	password := fs.String("password", "", "the admin's password, at least 12 characters (required)")
	name := fs.String("name", "", "the admin's display name")
	promote := fs.Bool("promote", false, "make an existing user who is not an admin a platform admin (and reset its password)")
	if len(args) == 0 || args[0] != "create" {
		return subcommandUsage(fs, args, stdout, stderr)
	}
	if err := parseArgs(fs, args[1:], stdout, stderr); err != nil {
		return err
	}
	if *email == "" || *password == "" {
		fmt.Fprintln(stderr, "--email and --password are required")
		fs.Usage()
		return errUsage
	}
	return withService(ctx, cfg, stderr, func(svc *service.Service) error {
		mode := service.ResetAdmin
		if *promote {
			mode = service.PromoteUser
		}
		created, err := svc.EnsureAdmin(ctx, *email, *password, *name, mode)
		if err != nil {
			return err
		}
		who := strings.ToLower(strings.TrimSpace(*email))
		switch {
		case created:
			fmt.Fprintf(stdout, "created admin %s\n", who)
		case *promote:
			fmt.Fprintf(stdout, "reset the password of %s, a platform admin now; its sessions ended\n", who)
		default:
			fmt.Fprintf(stdout, "reset the password of admin %s; its sessions ended\n", who)
		}
		return nil
	})
}

func runMigrate(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stshub migrate", "stshub migrate up|down|status [flags]",
		"Schema migrations of the database the flags select: up applies every pending one, down\n"+
			"rolls back the latest, status lists each with applied or pending.")
	cfg.BindStorageFlags(fs)
	if len(args) == 0 || (args[0] != "up" && args[0] != "down" && args[0] != "status") {
		return subcommandUsage(fs, args, stdout, stderr)
	}
	if err := parseArgs(fs, args[1:], stdout, stderr); err != nil {
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
	fs := newFlagSet("stshub audit verify", "stshub audit verify [--room ID] [flags]",
		"Recomputes the audit trail's hash chains in the database the flags select. Exits 1 and\n"+
			"names the first bad entry when anything in a chain was altered.")
	cfg.BindStorageFlags(fs)
	room := fs.String("room", "", "verify only this room's chain (default: every chain, the platform's too)")
	if len(args) == 0 || args[0] != "verify" {
		return subcommandUsage(fs, args, stdout, stderr)
	}
	if err := parseArgs(fs, args[1:], stdout, stderr); err != nil {
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

func runFsck(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stshub fsck", "stshub fsck [flags]",
		"Checks that every document version (current and old) and every completed snapshot in the\n"+
			"database the flags select has its file in the file store (the data folder's, or the\n"+
			"STSHUB_S3_* bucket), with the size and SHA-256 its row records, reading every file. Prints\n"+
			"a BAD line naming each one that does not and exits 1 if there is any. Safe while serving.")
	cfg.BindStorageFlags(fs)
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	fileStore, err := openFiles(ctx, cfg)
	if err != nil {
		return err
	}
	svc, err := service.New(db, service.Options{Logger: NewLogger(stderr, cfg.LogFormat, cfg.LogLevel), Files: fileStore})
	if err != nil {
		return err
	}
	c, err := svc.CheckFiles(ctx, func(f service.FileFault) { fmt.Fprintf(stdout, "BAD %s\n", f) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "checked %d version(s) and %d snapshot(s): %d fault(s)\n", c.Versions, c.Snapshots, c.Faults)
	if c.Faults > 0 {
		return fmt.Errorf("file check failed: %d file(s) missing or damaged", c.Faults)
	}
	return nil
}

func runDemo(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stshub demo", "stshub demo [flags]",
		"Loads the Malta crude STS demo operation (docs/domain.md) with one user per role into the\n"+
			"database the flags select and prints their logins. Run again, it only prints them.")
	cfg.BindStorageFlags(fs)
	if err := parseArgs(fs, args, stdout, stderr); err != nil {
		return err
	}
	a, err := New(ctx, cfg, NewLogger(stderr, cfg.LogFormat, "warn"))
	if err != nil {
		return err
	}
	defer a.Close()
	return LoadDemo(ctx, a.Service(), stdout, time.Now())
}

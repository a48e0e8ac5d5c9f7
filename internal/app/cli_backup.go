package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/stshub/stshub/internal/backup"
	"github.com/stshub/stshub/internal/config"
)

// parseWithFile parses a command line of flags and one FILE, in any order ("-" starts
// a flag; a flag that takes a value and has no "=" takes the next argument).
func parseWithFile(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (string, error) {
	var file string
	var flags, extra []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			if takesValue(fs, a) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		case file == "":
			file = a
		default:
			extra = append(extra, a)
		}
	}
	// Extra arguments go last, after the flags, for parseArgs to refuse them.
	if err := parseArgs(fs, append(flags, extra...), stdout, stderr); err != nil {
		return "", err
	}
	if file == "" {
		fmt.Fprintln(stderr, "FILE is required")
		fs.Usage()
		return "", errUsage
	}
	return file, nil
}

// takesValue reports whether arg is a non-boolean flag of fs given without "=value".
func takesValue(fs *flag.FlagSet, arg string) bool {
	name := strings.TrimLeft(arg, "-")
	if strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

func runBackup(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stshub backup", "stshub backup FILE [flags]",
		"Writes a consistent backup of the database and of every file its rows refer to into FILE\n"+
			"(a tar archive; gzip-compressed when FILE ends in .gz or .tgz), while the server may go on\n"+
			"serving. The archive restores into either engine (stshub restore).")
	cfg.BindStorageFlags(fs)
	file, err := parseWithFile(fs, args, stdout, stderr)
	if err != nil {
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
	blobs, err := openFiles(ctx, cfg)
	if err != nil {
		return err
	}
	st, err := backup.Create(ctx, db, blobs, file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %d tables (%d rows) and %d files (%s) from %s to %s: %s in %.2fs, %s/s\n",
		st.Tables, st.Rows, st.Blobs, mib(st.BlobBytes), db.Dialect(), file, mib(st.ArchiveBytes), st.Elapsed.Seconds(),
		mib(int64(float64(st.ArchiveBytes)/max(st.Elapsed.Seconds(), 1e-6))))
	return nil
}

func runRestore(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stshub restore", "stshub restore FILE [flags]",
		"Restores the backup FILE (stshub backup) into the empty database and file store the flags\n"+
			"select: a new --data folder, or with --database-url an empty PostgreSQL database. It checks\n"+
			"every table and file against the archive's SHA-256s and verifies the audit chains; a damaged\n"+
			"archive or a target holding data is refused and nothing is kept. Exits 1 then.")
	cfg.BindStorageFlags(fs)
	file, err := parseWithFile(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	release, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return err
	}
	defer release()
	created := false
	if !cfg.IsPostgres() {
		_, err := os.Stat(cfg.SQLitePath())
		created = errors.Is(err, os.ErrNotExist)
	}
	st, err := restoreInto(ctx, cfg, file)
	if err != nil {
		if created {
			// The database file is this restore's own: remove it, so the folder is as it was.
			for _, suffix := range []string{"", "-wal", "-shm"} {
				_ = os.Remove(cfg.SQLitePath() + suffix)
			}
		}
		return err
	}
	engine := "sqlite " + cfg.SQLitePath()
	if cfg.IsPostgres() {
		engine = "postgres"
	}
	fmt.Fprintf(stdout, "restored %d tables (%d rows) and %d files (%s) from %s into %s in %.2fs; every checksum and audit chain verified\n",
		st.Tables, st.Rows, st.Blobs, mib(st.BlobBytes), file, engine, st.Elapsed.Seconds())
	return nil
}

func restoreInto(ctx context.Context, cfg config.Config, file string) (backup.Stats, error) {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return backup.Stats{}, err
	}
	defer db.Close()
	blobs, err := openFiles(ctx, cfg)
	if err != nil {
		return backup.Stats{}, err
	}
	return backup.Restore(ctx, db, blobs, file, NewLogger(io.Discard, cfg.LogFormat, cfg.LogLevel))
}

// mib formats a byte count in MiB.
func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// Package bench is the stshub-bench command (cmd/stshub-bench), which is not part of the
// product binary: it starts the server in-process on a throwaway database (SQLite in a
// temporary folder, or a fresh schema on a given PostgreSQL server), seeds a realistic
// volume of rooms and users through the store's bulk inserts, and drives the JSON API over
// loopback with concurrent clients. Each operation's throughput and latency is measured
// against a bare net/http + database/sql reference running the same requests on the same
// connection pools in the same run, so every figure comes with its ratio to what this
// machine can do at all.
//
// The load generator runs in the same process as the server, so they share the CPUs: the
// absolute figures are lower than a separate client machine would see, the ratios are not
// affected (the reference pays the same).
//
// SQL: the bench's own database work goes through the store like the product's: the
// throwaway PostgreSQL schema and its drop (store.FreshPostgresSchema), seeding
// (store.Q.CountRooms to insist on an empty database, CreateDocumentType and AppendAudit
// for the bench's document types, ListDocumentTypes, ListChecklistTemplates, then the bulk
// inserts SeedUsers, SeedSessions and SeedRooms), the planner's statistics after seeding (store.DB.Analyze), settling the database before each
// slice (store.DB.Settle), putting approved documents back under review between slices
// (store.Q.ReopenReview) and reading a rendered snapshot back (store.Q.SnapshotByID);
// --verify-audit is the service's own check (service.VerifyAudit). The one exception is
// the bare reference's request handling in reference.go: its statements (session look-up,
// membership, the documents list, the approval's, sign-off's and upload's writes with their
// audit appends) are written there on database/sql and run on the store's own connection
// pools (store.DB.Pools). They bypass the store by design: the reference is the yardstick
// the product is measured against, and one that went through the store would measure the
// product against itself. (reference_upload.go, the reference's form reading and file
// writing, runs no SQL.)
package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/config"
	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store"
)

// Options are the settings of one bench run. Zero values take the defaults (full or quick).
type Options struct {
	// DatabaseURL selects PostgreSQL: the bench creates a schema of its own on that server and
	// drops it afterwards. Empty means SQLite in a temporary folder.
	DatabaseURL string
	Quick       bool // a smoke run of about a minute: 200 rooms, 500 users, 3 s per operation
	Rooms       int  // default 2000 (200 with Quick)
	Users       int  // default 5000 (500 with Quick)
	Concurrency int  // client connections, default 50
	Duration    time.Duration
	Warmup      time.Duration
	Ops         string // comma-separated operation keys to run (default all)
	JSONFile    string
	CPUProfile  string
	Keep        bool // keep the data folder (and PostgreSQL schema) and print where they are
	VerifyAudit bool // recompute every audit chain after the run
	// QuietRetries is how often an operation is run again when other processes used more
	// than a tenth of the machine meanwhile (default 2; -1: never).
	QuietRetries int
}

// Bind registers the options as flags on fs.
func (o *Options) Bind(fs *flag.FlagSet) {
	fs.StringVar(&o.DatabaseURL, "database-url", o.DatabaseURL, "PostgreSQL server to bench on (a schema is created and dropped); empty: SQLite in a temporary folder")
	fs.BoolVar(&o.Quick, "quick", o.Quick, "smoke run of about a minute: 200 rooms, 500 users, 3s per operation")
	fs.IntVar(&o.Rooms, "rooms", o.Rooms, "rooms to seed (default 2000, 200 with --quick)")
	fs.IntVar(&o.Users, "users", o.Users, "users to seed (default 5000, 500 with --quick)")
	fs.IntVar(&o.Concurrency, "concurrency", o.Concurrency, "concurrent client connections (default 50)")
	fs.DurationVar(&o.Duration, "duration", o.Duration, "measured time per operation (default 10s, 3s with --quick)")
	fs.DurationVar(&o.Warmup, "warmup", o.Warmup, "unmeasured run before each operation (default 1s, 500ms with --quick)")
	fs.StringVar(&o.Ops, "ops", o.Ops, "comma-separated operations to run (default all): "+strings.Join(opKeys(), ","))
	fs.StringVar(&o.JSONFile, "json", o.JSONFile, "also write the results as JSON to this file")
	fs.StringVar(&o.CPUProfile, "cpuprofile", o.CPUProfile, "write a CPU profile of the measured runs (server and load generator) to this file")
	fs.BoolVar(&o.Keep, "keep", o.Keep, "keep the seeded database and files, and say where they are")
	fs.BoolVar(&o.VerifyAudit, "verify-audit", o.VerifyAudit, "recompute every audit chain after the run (stshub audit verify)")
	fs.IntVar(&o.QuietRetries, "quiet-retries", o.QuietRetries, "run an operation again (keeping the quietest run) while other processes used >10% of the machine (default 2, -1 never)")
}

func (o *Options) defaults() error {
	pick := func(v *int, full, quick int) {
		if *v == 0 {
			*v = full
			if o.Quick {
				*v = quick
			}
		}
	}
	pick(&o.Rooms, 2000, 200)
	pick(&o.Users, 5000, 500)
	pick(&o.Concurrency, 50, 50)
	pick(&o.QuietRetries, 2, 1)
	o.QuietRetries = max(0, o.QuietRetries)
	if o.Duration == 0 {
		o.Duration = 10 * time.Second
		if o.Quick {
			o.Duration = 3 * time.Second
		}
	}
	if o.Warmup == 0 {
		o.Warmup = time.Second
		if o.Quick {
			o.Warmup = 500 * time.Millisecond
		}
	}
	if o.Rooms < 1 || o.Users < 1 || o.Concurrency < 1 || o.Duration < 0 || o.Warmup < 0 {
		return errors.New("rooms, users and concurrency must be positive")
	}
	for _, k := range splitOps(o.Ops) {
		if !slices.Contains(opKeys(), k) {
			return fmt.Errorf("unknown operation %q (have %s)", k, strings.Join(opKeys(), ", "))
		}
	}
	return nil
}

func splitOps(s string) []string {
	var out []string
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// Server is the application under test as the composition root builds it (*app.App is
// one): its HTTP surface, its service layer (the bench renders snapshots and verifies the
// audit trail through it) and its database.
type Server interface {
	Handler() http.Handler
	Service() *service.Service
	DB() *store.DB
	Close() error
}

// Opener builds the application for cfg, logging to log. The bench serves its handler
// itself and does not start the background work (job queue, housekeeping): the expiry scan
// would add noise, and snapshots are rendered by calling the job's work directly, timed.
type Opener func(ctx context.Context, cfg config.Config, log io.Writer) (Server, error)

// Run seeds, loads and reports. The report is printed to stdout; progress goes to stderr.
func Run(ctx context.Context, opts Options, open Opener, stdout, stderr io.Writer) (*Report, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", args...) }
	dir, err := os.MkdirTemp("", "stshub-bench-*")
	if err != nil {
		return nil, err
	}
	var cleanups []func()
	defer func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}()
	if opts.Keep {
		defer logf("kept the data folder %s", dir)
	} else {
		cleanups = append(cleanups, func() { os.RemoveAll(dir) })
	}

	cfg := config.Defaults()
	cfg.DataDir, cfg.Addr, cfg.LogFormat, cfg.LogLevel = dir, "127.0.0.1:0", "json", "info"
	engine := "sqlite"
	if opts.DatabaseURL != "" {
		engine = "postgres"
		schemaURL, drop, err := store.FreshPostgresSchema(ctx, opts.DatabaseURL, "stshub_bench_")
		if err != nil {
			return nil, err
		}
		cfg.DatabaseURL = schemaURL
		if opts.Keep {
			defer logf("kept the PostgreSQL schema: --database-url '%s'", schemaURL)
		} else {
			cleanups = append(cleanups, func() {
				if err := drop(); err != nil {
					logf("could not drop the bench schema: %v", err)
				}
			})
		}
	}
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, func() { logFile.Close() })

	logf("starting the server on %s (data in %s)", engine, dir)
	srv, err := open(ctx, cfg, logFile)
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, func() { srv.Close() })
	fileStore, err := files.NewLocal(cfg.FilesDir())
	if err != nil {
		return nil, err
	}

	logf("seeding %d rooms and %d users", opts.Rooms, opts.Users)
	w, err := seed(ctx, srv.DB(), fileStore, opts.Rooms, opts.Users, logf)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	analyzeStart := time.Now()
	if err := srv.DB().Analyze(ctx); err != nil {
		return nil, err
	}
	logf("seeded %d rows in %.1fs (%.0f rows/s); ANALYZE %.1fs", w.counts.Rows, w.counts.Seconds, w.counts.RowsPerSec, time.Since(analyzeStart).Seconds())

	product, err := serve(srv.Handler())
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, product.stop)
	pools := srv.DB().Pools()
	ref := &reference{read: pools["reader"], write: pools["writer"], postgres: engine == "postgres", blobs: cfg.FilesDir()}
	if ref.read == nil {
		ref.read, ref.write = pools["main"], pools["main"]
	}
	refHandler, err := ref.handler(ctx)
	if err != nil {
		return nil, err
	}
	bare, err := serve(refHandler)
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, bare.stop)

	b := &run{opts: opts, w: w, svc: srv.Service(), db: srv.DB(), api: product.url + "/api/v1", ref: bare.url, files: cfg.FilesDir(), dir: dir, logf: logf}
	rep := &Report{Engine: engine, GoVersion: runtime.Version(), GOMAXPROCS: runtime.GOMAXPROCS(0), NumCPU: runtime.NumCPU(),
		Concurrency: opts.Concurrency, Duration: opts.Duration.String(), Seed: w.counts, InProcess: true}
	if err := b.checkLogin(ctx, rep); err != nil {
		return nil, err
	}

	runtime.GC()
	debug.FreeOSMemory()
	rep.Memory.HWMReset = resetHWM()
	before := readMem()
	rep.Memory.BeforeMiB = mib(before.RSS)
	if opts.CPUProfile != "" {
		f, err := os.Create(opts.CPUProfile)
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, err
		}
		cleanups = append(cleanups, func() { pprof.StopCPUProfile(); f.Close() })
	}
	if err := b.operations(ctx, rep); err != nil {
		return nil, err
	}
	if opts.CPUProfile != "" {
		pprof.StopCPUProfile()
	}
	after := readMem()
	rep.Memory.AfterMiB, rep.Memory.PeakMiB = mib(after.RSS), mib(after.HWM)
	runtime.GC()
	debug.FreeOSMemory()
	rep.Memory.AfterGCMiB = mib(readMem().RSS)
	rep.Memory.judge()

	if opts.VerifyAudit {
		start := time.Now()
		reports, err := srv.Service().VerifyAudit(ctx, "")
		var entries int64
		for _, r := range reports {
			entries += r.Entries
		}
		rep.Audit = &AuditCheck{Chains: len(reports), Entries: entries, Seconds: time.Since(start).Seconds(), OK: err == nil}
		if err != nil {
			rep.Audit.Error = err.Error()
		}
	}
	rep.Print(stdout)
	if opts.JSONFile != "" {
		if err := rep.WriteJSON(opts.JSONFile); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// listener is a running loopback HTTP server.
type listener struct {
	url  string
	stop func()
}

func serve(h http.Handler) (*listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(ln) }()
	return &listener{url: "http://" + ln.Addr().String(), stop: func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}}, nil
}

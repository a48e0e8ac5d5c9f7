// Package app is the composition root: it turns a Config into a running server (database,
// migrations, services, HTTP routes, background work) and runs the command-line tools.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/stshub/stshub/internal/api"
	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/config"
	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/httpx"
	"github.com/stshub/stshub/internal/jobs"
	"github.com/stshub/stshub/internal/live"
	"github.com/stshub/stshub/internal/mail"
	"github.com/stshub/stshub/internal/secret"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/web"
)

// Version is the product version shown in the OpenAPI description.
const Version = "0.1.0"

// App is a configured server: its database is open and migrated.
type App struct {
	cfg     config.Config
	log     *slog.Logger
	db      *store.DB
	svc     *service.Service
	jobs    *jobs.Queue
	events  *live.Broker
	handler http.Handler
	metrics http.Handler // GET /metrics, on the main listener or on cfg.MetricsAddr
}

// openDB opens and migrates the database cfg selects.
func openDB(ctx context.Context, cfg config.Config) (*store.DB, error) {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := jobs.Migrate(ctx, db.JobPool(), db.Dialect() == store.SQLite); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Option adjusts how New builds the app (for tests).
type Option func(*service.Options)

// WithPasswordParams sets the argon2id cost; tests use a cheap one.
func WithPasswordParams(p secret.Params) Option {
	return func(o *service.Options) { o.PasswordParams = p }
}

// WithClock replaces the service clock; tests move time forward with it.
func WithClock(now func() time.Time) Option {
	return func(o *service.Options) { o.Now = now }
}

// New opens everything the server needs. Close releases it.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opts ...Option) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	fileStore, err := openFiles(ctx, cfg)
	if err != nil {
		db.Close()
		return nil, err
	}
	// The queue's workers call the service, which inserts the queue's jobs: the renderer
	// reaches the service through a variable set just below.
	var svc *service.Service
	render := func(ctx context.Context, roomID, snapshotID string, final bool) error {
		return svc.RenderSnapshot(ctx, roomID, snapshotID, final)
	}
	handlers := jobs.Handlers{Render: render}
	if cfg.SMTP.Enabled() {
		sender, err := mail.NewSender(cfg.SMTP)
		if err != nil {
			db.Close()
			return nil, err
		}
		handlers.Send = sender.Send
		log.Info("e-mail is on", "via", cfg.SMTP.String(), "links", cfg.BaseURL())
		if cfg.PublicURL == "" {
			log.Warn("e-mail links use the listen address; set STSHUB_PUBLIC_URL to the address people reach the server at", "links", cfg.BaseURL())
		}
	} else {
		log.Info("e-mail is off (set STSHUB_SMTP_URL to send it): invitation and reset links are shown only to the platform admins who send them")
	}
	queue, err := jobs.New(db.JobPool(), db.Dialect() == store.SQLite, handlers, 2, log)
	if err != nil {
		db.Close()
		return nil, err
	}
	events := live.NewBroker(log.With("component", "live"))
	svcOpts := service.Options{SessionTTL: cfg.SessionTTL, Logger: log, Files: fileStore, MaxUploadBytes: cfg.MaxUploadBytes,
		Jobs: queue, Events: events, RecordRetention: cfg.RecordRetention, MailEnabled: cfg.SMTP.Enabled(), BaseURL: cfg.BaseURL()}
	for _, o := range opts {
		o(&svcOpts)
	}
	svc, err = service.New(db, svcOpts)
	if err == nil {
		err = svc.SeedCatalogue(ctx)
	}
	if err == nil {
		err = svc.SeedChecklistTemplates(ctx)
	}
	if err == nil {
		err = svc.SeedCoastalAreas(ctx)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	if cfg.AdminEmail != "" {
		created, err := svc.EnsureAdmin(ctx, cfg.AdminEmail, cfg.AdminPassword, "", service.KeepExisting)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("first-start admin: %w", err)
		}
		if created {
			log.Info("created platform admin from STSHUB_ADMIN_EMAIL", "email", cfg.AdminEmail)
		}
	}
	a := &App{cfg: cfg, log: log, db: db, svc: svc, jobs: queue, events: events}
	if a.handler, err = a.routes(); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// Handler is the whole HTTP surface, middleware included.
func (a *App) Handler() http.Handler { return a.handler }

// Service is the app's service layer (for tests and tools in this module).
func (a *App) Service() *service.Service { return a.svc }

// Events is the app's live notification broker (for the web layer and tests).
func (a *App) Events() *live.Broker { return a.events }

// DB is the app's database (for tests in this module).
func (a *App) DB() *store.DB { return a.db }

// Close releases the database.
func (a *App) Close() error { return a.db.Close() }

// routes mounts the JSON API under /api/, the probes and metrics, and the web UI on every
// other path. It fails when the UI's templates do not parse.
func (a *App) routes() (http.Handler, error) {
	mux := http.NewServeMux()
	// Four reads per CPU at work at once keep the CPUs busy while some wait on the
	// database; more only lengthen the slowest answers (measured with cmd/stshub-bench).
	// Probes, metrics and static files answer at once, however busy the server is.
	reads := httpx.NewFairQueue(4*runtime.GOMAXPROCS(0), "/healthz", "/readyz", "/metrics", "/static/")
	metrics := httpx.NewMetrics(a.db.Pools())
	metrics.Gauge("stshub_http_reads_waiting", "GET and HEAD requests waiting for their turn.",
		func() float64 { return float64(reads.Waiting()) })
	metrics.Gauge("stshub_http_reads_working", "GET and HEAD requests holding a turn (at most 4 per CPU).",
		func() float64 { return float64(reads.Working()) })
	metrics.Gauge("stshub_db_writes_waiting", "Transactions waiting for SQLite's single writer (0 on PostgreSQL).",
		func() float64 { return float64(a.db.WritersWaiting()) })
	metrics.CounterFunc("stshub_db_statements_total", "Statements the store has sent to the database.",
		func() float64 { return float64(a.db.Statements()) })
	describeOperations(api.New(mux, a.svc, a.log, Version, a.cfg.MaxUploadBytes).OpenAPI())
	ui, err := web.New(a.svc, a.events, a.log.With("component", "web"), web.Options{MaxUploadBytes: a.cfg.MaxUploadBytes, SecureCookies: a.cfg.HTTPS()})
	if err != nil {
		return nil, err
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}` + "\n"))
	})
	mux.HandleFunc("GET /readyz", a.ready)
	a.metrics = protectMetrics(metrics.Handler(), a.cfg.MetricsToken)
	if a.cfg.MetricsAddr == "" {
		mux.Handle("GET /metrics", a.metrics)
	}
	// Unknown API paths stay problem+json, and a known path asked with another method is 405
	// with Allow; everything else is the web UI's (its own 404 is HTML).
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if allow := allowedMethods(mux, r, "/api/"); allow != "" {
			w.Header().Set("Allow", allow)
			httpx.WriteProblem(w, httpx.NewProblem(r.Context(), http.StatusMethodNotAllowed, r.Method+" is not allowed here; use "+allow))
			return
		}
		httpx.WriteProblem(w, httpx.NewProblem(r.Context(), http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path))
	})
	mux.Handle("/", ui)
	return httpx.Chain(mux,
		httpx.RequestInfo(a.cfg.TrustedProxies),
		httpx.AccessLog(a.log),
		metrics.Middleware,
		httpx.Recover(a.log),
		httpx.SecurityHeaders(a.cfg.HTTPS()),
		httpx.Compress,
		httpx.MinBodyRate(httpx.DefaultBodyRate),
		httpx.LimitBody(a.cfg.MaxBodyBytes, isUpload),
		httpx.CleanText,
		reads.Middleware,
	), nil
}

// allowedMethods lists the methods mux serves r's path with, besides through fallback (the
// catch-all pattern), as an Allow header says them; "" for none.
func allowedMethods(mux *http.ServeMux, r *http.Request, fallback string) string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != fallback {
			allow = append(allow, m)
		}
	}
	return strings.Join(allow, ", ")
}

// ready answers 200 when the database answers, its schema is current and the data folder
// has its minimum free space (config.MinFreeBytes), 503 saying which is not so otherwise.
func (a *App) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.db.Ping(ctx); err != nil {
		a.log.WarnContext(ctx, "not ready: database", "err", err)
		httpx.WriteProblem(w, httpx.NewProblem(ctx, http.StatusServiceUnavailable, "database unreachable"))
		return
	}
	current, err := a.db.MigrationsCurrent(ctx)
	if err != nil || !current {
		httpx.WriteProblem(w, httpx.NewProblem(ctx, http.StatusServiceUnavailable, "database schema is not current"))
		return
	}
	if low := lowDiskSpace(a.cfg.LocalFolders(), a.cfg.MinFreeBytes); low != "" {
		a.log.WarnContext(ctx, "not ready: "+low)
		httpx.WriteProblem(w, httpx.NewProblem(ctx, http.StatusServiceUnavailable, low))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ready","database":"` + a.db.Dialect().String() + `"}` + "\n"))
}

// Serve listens on the configured address until ctx is cancelled, then stops accepting,
// lets in-flight requests finish (bounded by ShutdownTimeout) and returns nil. Requests
// still running near the end of the timeout — say a client that stopped sending mid-upload
// — are cut off: their connections are closed, so their reads fail and their handlers clean
// up (an upload removes its temp file) before Serve returns.
func (a *App) Serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return err
	}
	return a.ServeListener(ctx, ln)
}

// ServeListener is Serve on an existing listener.
func (a *App) ServeListener(ctx context.Context, ln net.Listener) error {
	var running atomic.Int64 // requests in their handler, for the cut-off at shutdown
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			running.Add(1)
			defer running.Add(-1)
			a.handler.ServeHTTP(w, r)
		}),
		// Headers must arrive within 10 s; bodies at a minimum rate (httpx.DefaultBodyRate).
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	stopMetrics, err := a.serveMetrics()
	if err != nil {
		return err
	}
	defer stopMetrics()
	stopBackground, err := a.StartBackground(ctx)
	if err != nil {
		return err
	}
	// Requests drain first, then running jobs; only then is the server stopped.
	defer func() {
		stopBackground()
		a.log.Info("stopped")
	}()

	a.log.Info("listening", "addr", ln.Addr().String(), "database", a.db.Dialect().String(), "data", a.cfg.DataDir)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down: draining in-flight requests", "timeout", a.cfg.ShutdownTimeout)
	a.events.Close() // end the live streams, which would otherwise hold the drain open
	if err := drain(srv, a.cfg.ShutdownTimeout, &running, a.log); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// drain shuts srv down within timeout: requests have nine tenths of it to finish; those
// still running then are cut off (their connections closed) and have the rest to return.
// It fails only when a handler does not return even then.
func drain(srv *http.Server, timeout time.Duration, running *atomic.Int64, log *slog.Logger) error {
	deadline := time.Now().Add(timeout)
	shutCtx, cancel := context.WithDeadline(context.Background(), deadline.Add(-timeout/10))
	defer cancel()
	err := srv.Shutdown(shutCtx)
	if err == nil {
		return nil
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Warn("shutting down: cutting off requests still running", "requests", running.Load())
	_ = srv.Close()
	for running.Load() > 0 {
		if time.Now().After(deadline) {
			return fmt.Errorf("shutdown: %d requests still running after %v", running.Load(), timeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

// StartBackground starts the job queue and the periodic housekeeping. The returned stop
// function lets running jobs finish (bounded by ShutdownTimeout) and waits for both. On a
// full disk the queue cannot start (it writes as it does): the server serves without it,
// and the queue starts by itself once there is space again.
func (a *App) StartBackground(ctx context.Context) (stop func(), err error) {
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	jobsStarted := make(chan struct{})
	if err := a.startJobs(workCtx); errors.Is(err, apperr.ErrStorageFull) {
		a.log.Warn("job queue not started: storage is full; snapshots wait until there is space again", "err", err)
		go func() {
			defer close(jobsStarted)
			a.retryStartJobs(workCtx)
		}()
	} else if err != nil {
		stopWork()
		return nil, err
	} else {
		close(jobsStarted)
	}
	done := make(chan struct{})
	go a.housekeeping(workCtx, done)
	bridgeDone := make(chan struct{})
	go func() {
		defer close(bridgeDone)
		if a.cfg.IsPostgres() {
			// Live notifications reach the pages open on every node.
			if err := a.events.RunPostgresBridge(workCtx, a.cfg.DatabaseURL); err != nil {
				a.log.Error("live bridge", "err", err)
			}
		}
	}()
	return func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
		defer cancel()
		select {
		case <-jobsStarted:
		default: // still waiting for space: give up starting
			stopWork()
			<-jobsStarted
		}
		if err := a.jobs.Stop(stopCtx); err != nil {
			a.log.Warn("stop job queue", "err", err)
		}
		stopWork()
		<-done
		<-bridgeDone
	}, nil
}

// startJobs makes the jobs a killed process left running available again and starts the
// queue.
func (a *App) startJobs(ctx context.Context) error {
	if n, err := a.db.ResetInterruptedJobs(ctx); err != nil {
		return err
	} else if n > 0 {
		a.log.Info("resuming jobs interrupted by the last stop", "count", n)
	}
	return store.Outage(a.jobs.Start(ctx))
}

// jobsRetry is how often a queue that could not start for a full disk tries again.
const jobsRetry = 2 * time.Second

// retryStartJobs tries startJobs every jobsRetry until it works or ctx ends.
func (a *App) retryStartJobs(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(jobsRetry):
		}
		err := a.startJobs(ctx)
		if err == nil {
			a.log.Info("job queue started: there is space again")
			return
		}
		if ctx.Err() == nil && !errors.Is(err, apperr.ErrStorageFull) {
			a.log.Warn("job queue not started", "err", err)
		}
	}
}

// housekeeping runs the periodic work until ctx ends, then closes done: every few minutes
// it records documents whose validity has ended (at start too), every hour it deletes
// expired sessions and upload keys past their window, and every hour (at start too) it sweeps the blobs nothing keeps and
// the spool files of dead uploads; every ten minutes (at start too) it sends the day's
// notification digests due (one per user and day, decided by the database). The first two are idempotent, so several nodes may run
// them side by side; the sweep takes turns through a lease.
func (a *App) housekeeping(ctx context.Context, done chan<- struct{}) {
	defer close(done)
	scan := time.NewTicker(5 * time.Minute)
	defer scan.Stop()
	purge := time.NewTicker(time.Hour)
	defer purge.Stop()
	sweep := time.NewTicker(time.Hour)
	defer sweep.Stop()
	digest := time.NewTicker(10 * time.Minute)
	defer digest.Stop()
	a.scanExpired(ctx)
	a.sweepBlobs(ctx)
	a.sendDigests(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-scan.C:
			a.scanExpired(ctx)
		case <-digest.C:
			a.sendDigests(ctx)
		case <-sweep.C:
			a.sweepBlobs(ctx)
		case <-purge.C:
			if n, err := a.svc.PurgeExpiredSessions(ctx); err != nil {
				a.log.Warn("purge expired sessions", "err", err)
			} else if n > 0 {
				a.log.Info("purged expired sessions", "count", n)
			}
			if n, err := a.svc.PurgeUploadKeys(ctx); err != nil {
				a.log.Warn("purge upload idempotency keys", "err", err)
			} else if n > 0 {
				a.log.Info("purged upload idempotency keys past their window", "count", n)
			}
		}
	}
}

// sweepBlobs removes the spool files that uploads cut off by a crash left (a dead
// process's, never a live one's) and sweeps the blobs.
func (a *App) sweepBlobs(ctx context.Context) {
	if n, err := a.svc.RemoveStaleSpool(ctx); err != nil && ctx.Err() == nil {
		a.log.Warn("remove stale upload spool files", "err", err)
	} else if n > 0 {
		a.log.Info("removed stale upload spool files", "count", n)
	}
	rep, err := a.svc.SweepBlobs(ctx)
	if err != nil && ctx.Err() == nil {
		a.log.Warn("blob sweep", "err", err)
	}
	if rep.Deleted > 0 || rep.Expired > 0 {
		a.log.Info("swept blobs", "listed", rep.Listed, "deleted", rep.Deleted, "expired_marks", rep.Expired)
	}
}

// sendDigests sends the day's notification digests not sent yet (by any node: the
// database keeps one per user and day).
func (a *App) sendDigests(ctx context.Context) {
	if _, err := a.svc.SendDigests(ctx); err != nil && ctx.Err() == nil {
		a.log.Warn("notification digests", "err", err)
	}
}

func (a *App) scanExpired(ctx context.Context) {
	n, err := a.svc.ScanExpired(ctx)
	if err != nil && ctx.Err() == nil {
		a.log.Warn("expiry scan", "err", err)
	}
	if n > 0 {
		a.log.Info("documents expired", "count", n)
	}
}

// openFiles opens the file store cfg selects: S3 when a bucket is configured, else a folder.
func openFiles(ctx context.Context, cfg config.Config) (files.Store, error) {
	if !cfg.LocalFiles() {
		return files.NewS3(ctx, files.S3Config{Endpoint: cfg.S3.Endpoint, Region: cfg.S3.Region, Bucket: cfg.S3.Bucket,
			AccessKey: cfg.S3.AccessKey, SecretKey: cfg.S3.SecretKey, Prefix: cfg.S3.Prefix, PathStyle: cfg.S3.PathStyle})
	}
	return files.NewLocal(cfg.FilesDir())
}

// openStore opens the database cfg selects without migrating it (for `stshub migrate`).
func openStore(ctx context.Context, cfg config.Config) (*store.DB, error) {
	return store.Open(ctx, store.Options{PostgresURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath(), SQLiteSynchronous: cfg.SQLiteSynchronous})
}

// uploadRoutes are the routes that stream a file in a multipart/form-data body (the API's
// and the web's document upload); every other route refuses multipart unread.
var uploadRoutes = func() *http.ServeMux {
	mux := http.NewServeMux()
	for _, pattern := range []string{"POST /api/v1/rooms/{room_id}/documents", "POST /rooms/{room}/documents/{doc}/upload"} {
		mux.Handle(pattern, http.NotFoundHandler())
	}
	return mux
}()

// isUpload reports whether r is sent to an upload route.
func isUpload(r *http.Request) bool {
	_, pattern := uploadRoutes.Handler(r)
	return pattern != ""
}

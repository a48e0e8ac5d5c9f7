// Package jobs is the durable background work queue: River, on the same database as
// everything else (SQLite through riversqlite, PostgreSQL through riverdatabasesql, both on
// database/sql). A job is inserted in the transaction of the rows it serves, so it exists
// exactly when they do; it survives restarts and is retried with back-off.
//
// Both engines run River poll-only (database/sql offers no LISTEN), checking for new jobs
// every PollInterval.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/stshub/stshub/internal/mail"
	"github.com/stshub/stshub/internal/store"
)

// Settings of the queue.
const (
	// PollInterval is how often idle workers look for new jobs.
	PollInterval = 200 * time.Millisecond
	// MaxAttempts is how often a job runs before it is given up.
	MaxAttempts = 5
	// jobTimeout bounds one run; rendering the largest snapshot takes well under a second.
	jobTimeout = 30 * time.Second
	// rescueAfter is when River's rescuer (which looks every 30 s; it must exceed
	// jobTimeout) takes a job still "running" to belong to a dead process and runs it again:
	// a fallback. On PostgreSQL the nodes' leases (lease.go) give a dead node's jobs back
	// within seconds; on SQLite, where one process serves, the next start does
	// (ResetInterruptedJobs).
	rescueAfter = time.Minute
)

// SnapshotArgs asks for a snapshot to be rendered.
type SnapshotArgs struct {
	SnapshotID string `json:"snapshot_id"`
	RoomID     string `json:"room_id"`
}

// Kind names the job type in River's table.
func (SnapshotArgs) Kind() string { return "render_snapshot" }

// InsertOpts gives snapshot jobs their attempt budget.
func (SnapshotArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: MaxAttempts} }

// EmailArgs asks for one e-mail to be sent. The message, links included, waits in the
// job's row until it is sent; finished jobs, sent or given up on, are deleted soon after
// (finishedRetention).
type EmailArgs struct {
	Message mail.Message `json:"message"`
}

// Kind names the job type in River's table.
func (EmailArgs) Kind() string { return "send_email" }

// InsertOpts gives e-mail more attempts than snapshots: a mail server may be away for a
// while, and the back-off reaches its 5-minute cap after the ninth try (about half an hour
// in all).
func (EmailArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: emailAttempts} }

const (
	emailAttempts = 12
	// finishedRetention is how long River keeps the row of a job that is done with: completed
	// (its default is a day), discarded after its last attempt or cancelled (7 days by
	// default). An e-mail's row holds its links in plain text, which must not outlive the
	// sending, nor a failed one (only their hashes are stored elsewhere); the logs keep the
	// failure.
	finishedRetention = 5 * time.Minute
)

// Handlers do the work of each job kind. A nil handler leaves its kind unworked (a
// process that only queues jobs, such as restore).
type Handlers struct {
	Render Renderer
	Send   Sender
}

// Sender delivers one e-mail; an error is retried.
type Sender func(ctx context.Context, m mail.Message) error

// Renderer does the work of a snapshot job. final is true on the last attempt: a renderer
// that fails then records the failure, since no retry will follow.
type Renderer func(ctx context.Context, roomID, snapshotID string, final bool) error

// Queue is the process's River client.
type Queue struct {
	client *river.Client[*sql.Tx]
	lease  *lease

	stopLease func() // ends the lease's renewal and waits for it; nil while not started
}

func driver(db *sql.DB, sqlite bool) riverdriver.Driver[*sql.Tx] {
	if sqlite {
		return riversqlite.New(db)
	}
	return riverdatabasesql.New(db)
}

// Migrate brings River's own tables up to date. It runs with the application's migrations.
func Migrate(ctx context.Context, db *sql.DB, sqlite bool) error {
	m, err := rivermigrate.New(driver(db, sqlite), nil)
	if err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrate up: %w", err)
	}
	return nil
}

// New returns a queue on db whose workers call the handlers. workers is the number of jobs
// run at once by this process.
func New(db *sql.DB, sqlite bool, h Handlers, workers int, log *slog.Logger) (*Queue, error) {
	l := &lease{id: newNodeID(), ttl: leaseTTL, fenceAge: leaseFence, beat: leaseBeat, log: log.With("component", "jobs"),
		running: map[int]context.CancelFunc{}}
	if !sqlite {
		l.db = db
	}
	ws := river.NewWorkers()
	river.AddWorker(ws, &snapshotWorker{render: h.Render, lease: l})
	river.AddWorker(ws, &emailWorker{send: h.Send, lease: l, log: log.With("component", "mail")})
	client, err := river.NewClient(driver(db, sqlite), &river.Config{
		ID:                          l.id,
		Queues:                      map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: workers}},
		Workers:                     ws,
		PollOnly:                    true,
		FetchPollInterval:           PollInterval,
		FetchCooldown:               PollInterval / 2,
		JobTimeout:                  jobTimeout,
		RescueStuckJobsAfter:        rescueAfter,
		RetryPolicy:                 backoff{},
		CompletedJobRetentionPeriod: finishedRetention,
		DiscardedJobRetentionPeriod: finishedRetention,
		CancelledJobRetentionPeriod: finishedRetention,
		Logger:                      log.With("component", "jobs"),
	})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return &Queue{client: client, lease: l}, nil
}

// Start begins working jobs; on PostgreSQL it takes the node's lease first and renews it
// until Stop.
func (q *Queue) Start(ctx context.Context) error {
	if q.lease.db != nil && q.stopLease == nil {
		if err := q.lease.record(ctx); err != nil {
			return err
		}
		leaseCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		done := make(chan struct{})
		go func() {
			defer close(done)
			q.lease.keep(leaseCtx)
		}()
		q.stopLease = func() { cancel(); <-done }
	}
	err := q.client.Start(ctx)
	if err != nil {
		q.endLease()
	}
	return err
}

// Stop lets running jobs finish (bounded by ctx), then stops and gives up the lease.
func (q *Queue) Stop(ctx context.Context) error {
	defer q.endLease()
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return q.client.StopAndCancel(context.Background())
	}
	return err
}

func (q *Queue) endLease() {
	if q.stopLease != nil {
		q.stopLease()
		q.stopLease = nil
	}
}

// InsertTx adds a job inside tx: it becomes visible to workers when tx commits.
func (q *Queue) InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs) error {
	if _, err := q.client.InsertTx(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

type snapshotWorker struct {
	river.WorkerDefaults[SnapshotArgs]
	render Renderer
	lease  *lease
}

func (w *snapshotWorker) Work(ctx context.Context, job *river.Job[SnapshotArgs]) (err error) {
	ctx, done, err := w.lease.enter(ctx)
	if err != nil {
		return err
	}
	defer done()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("render panicked: %v", p)
		}
	}()
	return w.render(ctx, job.Args.RoomID, job.Args.SnapshotID, job.Attempt >= job.MaxAttempts)
}

type emailWorker struct {
	river.WorkerDefaults[EmailArgs]
	send  Sender
	lease *lease // a node that lost its lease sends nothing: another will send it
	log   *slog.Logger
}

func (w *emailWorker) Work(ctx context.Context, job *river.Job[EmailArgs]) error {
	ctx, done, err := w.lease.enter(ctx)
	if err != nil {
		return err
	}
	defer done()
	if w.send == nil {
		// Queued while e-mail was on, worked after it was turned off: nothing can send it.
		w.log.Warn("e-mail is off: a queued message is dropped", "to", job.Args.Message.To, "subject", job.Args.Message.Subject)
		return nil
	}
	err = w.send(ctx, job.Args.Message)
	if err != nil && job.Attempt >= job.MaxAttempts {
		w.log.Error("e-mail given up after its last attempt", "to", job.Args.Message.To, "subject", job.Args.Message.Subject,
			"attempts", job.Attempt, "err", err)
	}
	return err
}

// backoff retries after 1, 2, 4, 8… seconds (capped at 5 minutes): a transient failure
// (a file store hiccup) clears quickly, and a snapshot is failed within a minute.
type backoff struct{}

func (backoff) NextRetry(job *rivertype.JobRow) time.Time {
	delay := time.Duration(math.Min(math.Pow(2, float64(job.Attempt-1)), 300)) * time.Second
	return time.Now().Add(delay)
}

// EnqueueSnapshot queues the rendering of a snapshot inside the transaction that created it.
func (q *Queue) EnqueueSnapshot(ctx context.Context, tx store.Q, roomID, snapshotID string) error {
	sqlTx := tx.SQLTx()
	if sqlTx == nil {
		return errors.New("enqueue snapshot: not in a transaction")
	}
	return q.InsertTx(ctx, sqlTx, SnapshotArgs{SnapshotID: snapshotID, RoomID: roomID})
}

// EnqueueEmail queues m inside the transaction of the change it tells of: it is sent
// exactly when that change commits.
func (q *Queue) EnqueueEmail(ctx context.Context, tx store.Q, m mail.Message) error {
	sqlTx := tx.SQLTx()
	if sqlTx == nil {
		return errors.New("enqueue e-mail: not in a transaction")
	}
	return q.InsertTx(ctx, sqlTx, EmailArgs{Message: m})
}

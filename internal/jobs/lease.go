package jobs

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"
)

// Leases (PostgreSQL only). Several nodes work one queue, and River's rescuer gives a job
// whose node died back to the queue only after rescueAfter, looking every 30 s. So each
// node keeps a lease instead: every leaseBeat it records that it is alive (job_nodes) and
// gives back to the queue the running jobs of every node not seen for leaseTTL, which
// another node then runs: a render whose node was killed completes within about
// leaseTTL + leaseBeat + PollInterval (≈ 7 s), not a minute and more.
//
// A job never runs on two live nodes at once: a node works only while its lease is fresh.
// When it has not managed to record itself for leaseFence (well inside leaseTTL, on its own
// clock) it cancels the jobs it is running and refuses new ones until it records itself
// again, so by the time another node takes its jobs (after leaseTTL, on the database's
// clock) it has let them go.
const (
	leaseBeat  = time.Second
	leaseTTL   = 6 * time.Second
	leaseFence = leaseTTL / 2
	// leaseForget is when the record of a node not seen is removed.
	leaseForget = 24 * time.Hour
)

// errFenced is a job refused or cut off because this node's lease lapsed.
var errFenced = errors.New("this node could not renew its job lease; the job is left to a node that holds one")

// lease is one node's lease and the jobs it runs under it.
type lease struct {
	db            *sql.DB // nil on SQLite: no lease, jobs always run
	id            string  // the River client ID, as attempted_by records it
	ttl, fenceAge time.Duration
	beat          time.Duration
	log           *slog.Logger

	mu      sync.Mutex
	renewed time.Time                  // when the lease was last recorded
	running map[int]context.CancelFunc // jobs running under the lease
	next    int
}

// newNodeID names this node's River client: its host and a random part, so two processes on
// one host (or a restarted one) never share an ID.
func newNodeID() string {
	host, _ := os.Hostname()
	host = strings.Map(func(r rune) rune {
		if r < '!' || r > '~' {
			return -1
		}
		return r
	}, host)
	if len(host) > 40 {
		host = host[:40]
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "stshub_" + host + "_" + hex.EncodeToString(b)
}

// record records the node as alive and gives back to the queue the running jobs of the
// nodes not seen for the lease's TTL.
func (l *lease) record(ctx context.Context) error {
	if _, err := l.db.ExecContext(ctx, `INSERT INTO job_nodes (client_id, seen_at) VALUES ($1, now())
		ON CONFLICT (client_id) DO UPDATE SET seen_at = now()`, l.id); err != nil {
		return fmt.Errorf("job lease: %w", err)
	}
	l.mu.Lock()
	l.renewed = time.Now()
	l.mu.Unlock()
	res, err := l.db.ExecContext(ctx, `UPDATE river_job SET state = 'available', scheduled_at = now()
		WHERE state = 'running' AND NOT EXISTS (SELECT 1 FROM job_nodes n
			WHERE n.client_id = river_job.attempted_by[array_upper(river_job.attempted_by, 1)]
			AND n.seen_at > now() - make_interval(secs => $1))`, l.ttl.Seconds())
	if err != nil {
		return fmt.Errorf("job lease: give back the jobs of dead nodes: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		l.log.Info("running jobs of a node that stopped renewing its lease are queued again", "count", n)
	}
	if _, err := l.db.ExecContext(ctx, `DELETE FROM job_nodes WHERE seen_at < now() - make_interval(secs => $1)`, leaseForget.Seconds()); err != nil {
		return fmt.Errorf("job lease: %w", err)
	}
	return nil
}

// keep renews the lease every beat until ctx ends, cutting off the running jobs whenever
// it has not been renewed for fenceAge; then it removes the node's record.
func (l *lease) keep(ctx context.Context) {
	t := time.NewTicker(l.beat)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			end, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			_, _ = l.db.ExecContext(end, `DELETE FROM job_nodes WHERE client_id = $1`, l.id)
			return
		case <-t.C:
		}
		if err := l.record(ctx); err != nil && ctx.Err() == nil {
			l.log.Warn("could not renew the job lease", "err", err)
		}
		if !l.fresh() {
			l.cutOff()
		}
	}
}

// fresh reports whether the lease was renewed within fenceAge (always, without a lease).
func (l *lease) fresh() bool {
	if l.db == nil {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return time.Since(l.renewed) < l.fenceAge
}

// cutOff cancels every job running under the lease.
func (l *lease) cutOff() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.running) > 0 {
		l.log.Warn("job lease lapsed: cutting off the running jobs", "count", len(l.running))
	}
	for _, cancel := range l.running {
		cancel()
	}
}

// enter runs a job under the lease: its context is cancelled if the lease lapses. It fails
// with errFenced while the lease is not fresh. The caller calls done when the job ends.
func (l *lease) enter(ctx context.Context) (jobCtx context.Context, done func(), err error) {
	if l.db == nil {
		return ctx, func() {}, nil
	}
	if !l.fresh() {
		return nil, nil, errFenced
	}
	jobCtx, cancel := context.WithCancelCause(ctx)
	l.mu.Lock()
	n := l.next
	l.next++
	l.running[n] = func() { cancel(errFenced) }
	l.mu.Unlock()
	return jobCtx, func() {
		l.mu.Lock()
		delete(l.running, n)
		l.mu.Unlock()
		cancel(nil)
	}, nil
}

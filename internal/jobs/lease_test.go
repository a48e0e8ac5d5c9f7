package jobs

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestDeadNodesJobIsRunAgainWithinSeconds (PostgreSQL): a render left running by a node
// that died a moment ago (its lease last renewed just now, then never again) is given back
// to the queue and completed by another node within seconds; a render a live node runs
// (its lease kept fresh) is left to it.
func TestDeadNodesJobIsRunAgainWithinSeconds(t *testing.T) {
	if os.Getenv(storetest.EnvPostgresURL) == "" {
		t.Skip(storetest.EnvPostgresURL + " is not set")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.Options(t, "postgres", t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pool := db.JobPool()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, pool, false); err != nil {
		t.Fatal(err)
	}
	rendered := make(chan string, 4)
	q, err := New(pool, false, Handlers{Render: func(_ context.Context, _, snapshotID string, _ bool) error {
		rendered <- snapshotID
		return nil
	}}, 2, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := pool.ExecContext(ctx, query, args...); err != nil {
			t.Fatal(err)
		}
	}
	leftRunning := func(snapshotID, node string) int64 {
		t.Helper()
		res, err := q.client.Insert(ctx, SnapshotArgs{SnapshotID: snapshotID, RoomID: "room"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		exec(`UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now(), attempted_by = ARRAY[$2::text] WHERE id = $1`, res.Job.ID, node)
		exec(`INSERT INTO job_nodes (client_id, seen_at) VALUES ($1, now())`, node)
		return res.Job.ID
	}
	leftRunning("killed-node-render", "stshub_killed_node")
	live := leftRunning("live-node-render", "stshub_live_node")
	liveCtx, stopLive := context.WithCancel(ctx)
	defer stopLive()
	go func() { // the live node renews its lease
		for t := time.NewTicker(200 * time.Millisecond); liveCtx.Err() == nil; <-t.C {
			_, _ = pool.ExecContext(liveCtx, `UPDATE job_nodes SET seen_at = now() WHERE client_id = 'stshub_live_node'`)
		}
	}()

	start := time.Now()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = q.Stop(ctx) }()
	select {
	case id := <-rendered:
		if id != "killed-node-render" {
			t.Fatalf("rendered %s, the live node's job", id)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the killed node's render was not run again within 10 s")
	}
	t.Logf("the killed node's render ran again %v after the new node started (lease %v)", time.Since(start).Round(10*time.Millisecond), leaseTTL)
	time.Sleep(2 * leaseBeat)
	select {
	case id := <-rendered:
		t.Fatalf("rendered %s as well", id)
	default:
	}
	var state string
	if err := pool.QueryRowContext(ctx, `SELECT state FROM river_job WHERE id = $1`, live).Scan(&state); err != nil || state != "running" {
		t.Fatalf("the live node's job: %q, %v; want it left running", state, err)
	}
}

// TestLeaseFence: a lease not renewed for its fence age cuts off the jobs running under it
// and refuses new ones until renewed.
func TestLeaseFence(t *testing.T) {
	l := &lease{db: new(sql.DB), // never used: only a lease with a database is fenced
		fenceAge: time.Minute, running: map[int]context.CancelFunc{}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	l.renewed = time.Now()
	ctx, done, err := l.enter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	l.renewed = time.Now().Add(-2 * time.Minute)
	if l.fresh() {
		t.Fatal("a lease past its fence age is fresh")
	}
	l.cutOff()
	if context.Cause(ctx) != errFenced {
		t.Fatalf("the running job was not cut off: %v", context.Cause(ctx))
	}
	if _, _, err := l.enter(context.Background()); err != errFenced {
		t.Fatalf("a new job under a lapsed lease: %v", err)
	}
}

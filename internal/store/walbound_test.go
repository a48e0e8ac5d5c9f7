package store

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestWALStaysBoundedUnderSustainedLoad writes without pause while readers keep reading
// (always one on an older page of the log, which is what kept a PASSIVE-only checkpointer
// from ever starting the log over: with truncateAbove out of reach the log passes 100 MiB
// here), prints the log's size over time, and holds it to the
// checkpointer's bound under load and to nothing within seconds of the load ending.
func TestWALStaysBoundedUnderSustainedLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("sustained load for several seconds")
	}
	ctx := context.Background()
	db := openSQLiteForTest(t)
	// A lower bound than WALBound so the test reaches it in seconds; the mechanism is the same.
	// (At 4 MiB a machine busy with the other packages' tests wrote 30 MiB in one round.)
	const bound = 8 << 20
	db.ckpt.truncateAbove = bound
	payload := strings.Repeat("x", 4000)
	var stop atomic.Bool
	var wg sync.WaitGroup
	var commits atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !stop.Load() {
			err := db.InTx(ctx, func(q Q) error {
				for range 10 {
					if _, err := q.exec(ctx, `INSERT INTO items (name) VALUES (?)`, payload); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Error(err)
				return
			}
			commits.Add(1)
		}
	}()
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				var n int
				// Short reads, as the product's are, but never a moment without one.
				if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT name FROM items ORDER BY id DESC LIMIT 200)`).Scan(&n); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wal := db.ckpt.walSize
	var peak int64
	var above time.Duration // how long the log has been over the bound without a break
	const load, sample = 6 * time.Second, 250 * time.Millisecond
	start := time.Now()
	for time.Since(start) < load {
		time.Sleep(sample)
		size := wal()
		peak = max(peak, size)
		if size > bound {
			above += sample
		} else {
			above = 0
		}
		// A truncation that finds a reader still on older pages is tried again after
		// truncateBackoff: two failures in a row are the most a busy machine should see.
		if above > 2*(truncateWait+truncateBackoff) {
			t.Errorf("the log has stayed over its bound (%d bytes) for %s under load: it is not being cut back", bound, above)
		}
		t.Logf("load  %5.2fs  wal %7.2f MiB  commits %d", time.Since(start).Seconds(), float64(size)/(1<<20), commits.Load())
	}
	stop.Store(true)
	wg.Wait()
	// Beyond the bound goes only what is written during one round (a PASSIVE copy and a
	// truncating checkpoint's wait for readers, or its back-off after a failed one): here,
	// writing as fast as one writer can, a few MiB to a few tens. Without truncation the
	// log passes 100 MiB in these 6 s.
	if limit := int64(8 * bound); peak > limit {
		t.Errorf("under load the log reached %d bytes, more than 8× the bound of %d", peak, bound)
	}
	// It is truncated about a second after the writes stop; the margin is for a machine
	// busy with other tests (CI runs packages side by side on two cores).
	eased := time.Now()
	for wal() > 0 {
		if time.Since(eased) > 10*time.Second {
			t.Fatalf("10 s after the load ended the log still holds %d bytes; it should be truncated", wal())
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("eased %5.2fs  wal %7.2f MiB  (peak under load %.2f MiB)", time.Since(eased).Seconds(), float64(wal())/(1<<20), float64(peak)/(1<<20))
}

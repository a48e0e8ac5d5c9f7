package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// worker is one client of the load generator: it sends one request at a time over its own
// keep-alive connection (the shared transport keeps one idle connection per worker).
type worker struct {
	id     int
	rng    *rand.Rand
	client *http.Client
	buf    bytes.Buffer // scratch for request bodies
	n      int          // requests sent, for unique upload contents
}

// call sends one request of an operation and returns how many bytes it moved (response
// body, or bytes written), or an error when the outcome is not the expected one.
type call func(ctx context.Context, w *worker) (int64, error)

// errStop ends a worker's run early (its operation has nothing left to act on).
type errStop struct{ reason string }

func (e errStop) Error() string { return e.reason }

// loadResult is what one timed run of an operation measured.
type loadResult struct {
	Requests   int
	Errors     int
	FirstError string
	Elapsed    time.Duration
	Latencies  []time.Duration // successful calls, sorted
	Bytes      int64
	CPU        time.Duration // process CPU time (user + system) during the run
	DBCPU      time.Duration // CPU time the PostgreSQL server's processes used meanwhile (-1: unknown or SQLite)
	OthersCPU  time.Duration // CPU time every other process used meanwhile (-1: unknown)
	PeakRSS    int64         // highest VmRSS sampled during the run
	StartRSS   int64
	EndRSS     int64
}

// add adds the figures of another run of the same operation (a later slice) to r; first
// says r is still empty. Latencies are left unsorted.
func (r *loadResult) add(o loadResult, first bool) {
	if first {
		*r = o
		return
	}
	r.Requests += o.Requests
	r.Errors += o.Errors
	if r.FirstError == "" {
		r.FirstError = o.FirstError
	}
	r.Elapsed += o.Elapsed
	r.Latencies = append(r.Latencies, o.Latencies...)
	r.Bytes += o.Bytes
	r.CPU += o.CPU
	r.DBCPU = addKnown(r.DBCPU, o.DBCPU)
	r.OthersCPU = addKnown(r.OthersCPU, o.OthersCPU)
	r.PeakRSS = max(r.PeakRSS, o.PeakRSS)
	r.EndRSS = o.EndRSS
}

// addKnown adds two CPU times of which either may be unknown (-1).
func addKnown(a, b time.Duration) time.Duration {
	if a < 0 || b < 0 {
		return -1
	}
	return a + b
}

func (r loadResult) percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	return r.Latencies[int(p*float64(len(r.Latencies)-1)+0.5)]
}

func (r loadResult) rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(len(r.Latencies)) / r.Elapsed.Seconds()
}

func (r loadResult) mean() time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	var sum time.Duration
	for _, l := range r.Latencies {
		sum += l
	}
	return sum / time.Duration(len(r.Latencies))
}

// runLoad runs do on every worker for warmup (results dropped), then ready (when not nil),
// then do again for dur, and measures that second run: each worker loops until the
// deadline; the run lasts until the last call in flight at the deadline has finished.
func runLoad(ctx context.Context, workers []*worker, warmup, dur time.Duration, postgres bool, do call, ready func() error) (loadResult, error) {
	if warmup > 0 {
		loop(ctx, workers, warmup, do)
	}
	if ready != nil {
		if err := ready(); err != nil {
			return loadResult{}, err
		}
	}
	stopSampling := make(chan struct{})
	var peak, startRSS int64
	startRSS = readMem().RSS
	peak = startRSS
	var sampler sync.WaitGroup
	sampler.Go(func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stopSampling:
				return
			case <-t.C:
				peak = max(peak, readMem().RSS)
			}
		}
	})
	cpu0 := cpuTime()
	busy0, okBusy := machineBusy()
	db0, okDB := processCPU("postgres")
	res := loop(ctx, workers, dur, do)
	res.CPU = cpuTime() - cpu0
	res.DBCPU, res.OthersCPU = -1, -1
	db1, _ := processCPU("postgres")
	if postgres && okDB {
		res.DBCPU = max(0, db1-db0)
	}
	if busy1, ok := machineBusy(); ok && okBusy {
		res.OthersCPU = max(0, busy1-busy0-res.CPU-max(0, res.DBCPU))
	}
	close(stopSampling)
	sampler.Wait()
	res.StartRSS, res.EndRSS = startRSS, readMem().RSS
	res.PeakRSS = max(peak, res.EndRSS)
	return res, nil
}

func loop(ctx context.Context, workers []*worker, dur time.Duration, do call) loadResult {
	type partial struct {
		lat      []time.Duration
		bytes    int64
		errors   int
		firstErr string
	}
	parts := make([]partial, len(workers))
	start := time.Now()
	deadline := start.Add(dur)
	var wg sync.WaitGroup
	for i, w := range workers {
		wg.Go(func() {
			p := &parts[i]
			for ctx.Err() == nil && time.Now().Before(deadline) {
				t0 := time.Now()
				n, err := do(ctx, w)
				lat := time.Since(t0)
				w.n++
				if err != nil {
					if _, stop := err.(errStop); stop {
						if p.firstErr == "" {
							p.firstErr = err.Error()
						}
						return
					}
					p.errors++
					if p.firstErr == "" {
						p.firstErr = err.Error()
					}
					continue
				}
				p.lat = append(p.lat, lat)
				p.bytes += n
			}
		})
	}
	wg.Wait()
	res := loadResult{Elapsed: time.Since(start)}
	for _, p := range parts {
		res.Latencies = append(res.Latencies, p.lat...)
		res.Bytes += p.bytes
		res.Errors += p.errors
		if res.FirstError == "" {
			res.FirstError = p.firstErr
		}
	}
	res.Requests = len(res.Latencies) + res.Errors
	slices.Sort(res.Latencies)
	return res
}

// newWorkers returns n workers sharing one client whose transport keeps a connection per
// worker alive.
func newWorkers(n int, seed uint64) []*worker {
	// No overall cap on idle connections: each worker keeps one to the product and one to
	// the reference, between which a pair's slices alternate.
	tr := &http.Transport{MaxIdleConnsPerHost: n, IdleConnTimeout: 5 * time.Minute, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 2 * time.Minute}
	out := make([]*worker, n)
	for i := range out {
		out[i] = &worker{id: i, rng: rand.New(rand.NewPCG(seed, uint64(i))), client: client}
	}
	return out
}

// closeWorkers drops the workers' idle connections.
func closeWorkers(ws []*worker) {
	if len(ws) > 0 {
		ws[0].client.CloseIdleConnections()
	}
}

// send does one HTTP exchange and reads the whole response; a status other than want is an
// error quoting the start of the body.
func send(w *worker, req *http.Request, want int) (int64, error) {
	res, err := w.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if res.StatusCode != want {
		body, _ := io.ReadAll(io.LimitReader(res.Body, 300))
		_, _ = io.Copy(io.Discard, res.Body)
		return 0, fmt.Errorf("%s %s: status %d: %s", req.Method, req.URL.Path, res.StatusCode, strings.TrimSpace(string(body)))
	}
	return io.Copy(io.Discard, res.Body)
}

func newRequest(ctx context.Context, method, url, token string, body []byte, contentType string) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req, nil
}

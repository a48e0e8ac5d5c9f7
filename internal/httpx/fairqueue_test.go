package httpx

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/waitfor"
)

// queueRig is a one-turn queue in front of a handler that blocks on /hold until released
// and records the order in which requests started their work.
type queueRig struct {
	q       *FairQueue
	h       http.Handler
	release chan struct{}
	mu      sync.Mutex
	started []string
}

func newQueueRig(exempt ...string) *queueRig {
	rig := &queueRig{q: NewFairQueue(1, exempt...), release: make(chan struct{})}
	rig.h = rig.q.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rig.mu.Lock()
		rig.started = append(rig.started, r.Method+" "+r.URL.Path)
		rig.mu.Unlock()
		switch r.URL.Path {
		case "/hold":
			<-rig.release
		case "/stream": // like a live stream: headers out first, then a long wait
			w.WriteHeader(http.StatusOK)
			<-rig.release
		case "/flush": // a stream that flushes before writing anything
			if err := http.NewResponseController(w).Flush(); err != nil {
				panic(err)
			}
			<-rig.release
		}
		_, _ = w.Write([]byte("ok"))
	}))
	return rig
}

// serve runs one request in the background and returns a channel closed when it is done.
func (rig *queueRig) serve(ctx context.Context, method, path string) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		rig.h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequestWithContext(ctx, method, path, nil))
	}()
	return done
}

func (rig *queueRig) startedSoFar() []string {
	rig.mu.Lock()
	defer rig.mu.Unlock()
	return append([]string(nil), rig.started...)
}

func TestFairQueueAdmitsReadsInArrivalOrder(t *testing.T) {
	rig := newQueueRig()
	held := rig.serve(t.Context(), http.MethodGet, "/hold")
	waitfor.Until(t, "the first read holds the turn", func() bool { return len(rig.startedSoFar()) == 1 })
	order := []string{"/b", "/c", "/d", "/e", "/f"}
	var done []<-chan struct{}
	for i, p := range order {
		done = append(done, rig.serve(t.Context(), http.MethodGet, p))
		waitfor.Until(t, p+" queues", func() bool { return rig.q.Waiting() == i+1 })
	}
	if got := rig.startedSoFar(); len(got) != 1 {
		t.Fatalf("reads started while the only turn was held: %v", got)
	}
	close(rig.release)
	<-held
	for _, d := range done {
		<-d
	}
	got := rig.startedSoFar()
	for i, p := range order {
		if got[i+1] != "GET "+p {
			t.Fatalf("reads worked in the order %v, want /hold then %v", got, order)
		}
	}
	if rig.q.Waiting() != 0 || rig.q.Working() != 0 {
		t.Fatalf("after the queue drained: %d waiting, %d working", rig.q.Waiting(), rig.q.Working())
	}
}

func TestFairQueueGivesTheTurnBackOnceTheAnswerStarts(t *testing.T) {
	for _, path := range []string{"/stream", "/flush"} {
		t.Run(path, func(t *testing.T) {
			rig := newQueueRig()
			defer close(rig.release)
			stream := rig.serve(t.Context(), http.MethodGet, path)
			waitfor.Until(t, "the stream starts its answer", func() bool { return rig.q.Working() == 0 && len(rig.startedSoFar()) == 1 })
			select {
			case <-rig.serve(t.Context(), http.MethodGet, "/next"):
			case <-time.After(5 * time.Second):
				t.Fatal("a read waited behind a stream that had started its answer")
			}
			select {
			case <-stream:
				t.Fatal("the stream ended early")
			default:
			}
		})
	}
}

func TestFairQueueLetsProbesAndStaticFilesPass(t *testing.T) {
	rig := newQueueRig("/healthz", "/static/")
	held := rig.serve(t.Context(), http.MethodGet, "/hold")
	waitfor.Until(t, "the read holds the turn", func() bool { return rig.q.Working() == 1 })
	for _, path := range []string{"/healthz", "/static/app.css"} {
		select {
		case <-rig.serve(t.Context(), http.MethodGet, path):
		case <-time.After(5 * time.Second):
			t.Fatalf("GET %s waited for a read's turn", path)
		}
	}
	queued := rig.serve(t.Context(), http.MethodGet, "/healthzz") // not exempt: a prefix only counts with its "/"
	waitfor.Until(t, "a path that is not exempt queues", func() bool { return rig.q.Waiting() == 1 })
	close(rig.release)
	<-held
	<-queued
}

func TestFairQueueLetsRequestsWithBodiesPass(t *testing.T) {
	rig := newQueueRig()
	held := rig.serve(t.Context(), http.MethodGet, "/hold")
	waitfor.Until(t, "the read holds the turn", func() bool { return rig.q.Working() == 1 })
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		select {
		case <-rig.serve(t.Context(), method, "/write"):
		case <-time.After(5 * time.Second):
			t.Fatalf("%s waited for a read's turn", method)
		}
	}
	close(rig.release)
	<-held
}

func TestFairQueueForgetsACallerWhoLeaves(t *testing.T) {
	rig := newQueueRig()
	held := rig.serve(t.Context(), http.MethodGet, "/hold")
	waitfor.Until(t, "the read holds the turn", func() bool { return rig.q.Working() == 1 })
	ctx, cancel := context.WithCancel(t.Context())
	left, answer := make(chan struct{}), httptest.NewRecorder()
	go func() {
		defer close(left)
		rig.h.ServeHTTP(answer, httptest.NewRequestWithContext(ctx, http.MethodGet, "/gone", nil))
	}()
	waitfor.Until(t, "the second read queues", func() bool { return rig.q.Waiting() == 1 })
	cancel()
	<-left
	if answer.Code != StatusClientClosedRequest {
		t.Errorf("the caller who left is logged as %d, want %d", answer.Code, StatusClientClosedRequest)
	}
	if rig.q.Waiting() != 0 {
		t.Fatalf("%d reads still waiting after the caller left", rig.q.Waiting())
	}
	close(rig.release)
	<-held
	<-rig.serve(t.Context(), http.MethodGet, "/after")
	if got := rig.startedSoFar(); len(got) != 2 || got[1] != "GET /after" {
		t.Fatalf("handlers ran for %v, want /hold and /after only", got)
	}
	if rig.q.Working() != 0 {
		t.Fatalf("%d turns still held", rig.q.Working())
	}
}

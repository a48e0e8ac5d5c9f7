package httpx

import (
	"net/http"
	"sync"
	"sync/atomic"
)

// FairQueue lets at most n reads (GET and HEAD requests) do their work at once and makes
// the others wait their turn in arrival order.
//
// Without it, a burst of reads all start at once and fight over the CPUs and the
// database's connections, and database/sql hands a freed connection to a waiter picked at
// random: under load some requests wait many turns while others wait none, and the
// slowest 1 % take several times the average. Queued in order, every request waits about
// as long as the others, for the same throughput.
//
// A read gives its turn back as soon as it starts writing its answer (or returns), so a
// slow client downloading a file or following a live stream never holds one. Requests
// with bodies are not queued: reading an upload from a slow client takes as long as the
// client makes it. A caller that goes away while waiting leaves the queue unanswered.
type FairQueue struct {
	turns   chan struct{} // one token per read at work; blocked senders queue in order
	waiting atomic.Int64
}

// NewFairQueue makes a queue that lets n reads work at once.
func NewFairQueue(n int) *FairQueue {
	return &FairQueue{turns: make(chan struct{}, max(1, n))}
}

// Waiting is the number of reads waiting for their turn.
func (q *FairQueue) Waiting() int { return int(q.waiting.Load()) }

// Working is the number of reads holding a turn.
func (q *FairQueue) Working() int { return len(q.turns) }

// Middleware queues the reads that go through next.
func (q *FairQueue) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		q.waiting.Add(1)
		select {
		case q.turns <- struct{}{}:
			q.waiting.Add(-1)
		case <-r.Context().Done():
			q.waiting.Add(-1)
			return
		}
		tw := &turnWriter{ResponseWriter: w, queue: q}
		defer tw.release()
		next.ServeHTTP(tw, r)
	})
}

// turnWriter gives its request's turn back on the first header or byte written.
type turnWriter struct {
	http.ResponseWriter
	queue *FairQueue
	once  sync.Once
}

func (t *turnWriter) release() { t.once.Do(func() { <-t.queue.turns }) }

func (t *turnWriter) WriteHeader(code int) {
	t.release()
	t.ResponseWriter.WriteHeader(code)
}

func (t *turnWriter) Write(b []byte) (int, error) {
	t.release()
	return t.ResponseWriter.Write(b)
}

// Unwrap exposes the underlying writer to http.ResponseController.
func (t *turnWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

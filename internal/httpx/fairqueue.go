package httpx

import (
	"bufio"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/stshub/stshub/internal/turns"
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
// A read gives its turn back as soon as it starts its answer (a header, a byte, a flush)
// or returns, so a slow client downloading a file or following a live stream never holds
// one. Requests with bodies are not queued: reading an upload from a slow client takes as
// long as the client makes it. Neither are the paths given as exempt (probes and
// metrics, which must answer when the server is busiest) nor those under an exempt
// prefix ending in "/". A caller that goes away while waiting is answered 499, for the log.
type FairQueue struct {
	turns  *turns.Queue
	exempt []string
}

// NewFairQueue makes a queue that lets n reads work at once.
func NewFairQueue(n int, exempt ...string) *FairQueue {
	return &FairQueue{turns: turns.New(n), exempt: exempt}
}

// Waiting is the number of reads waiting for their turn.
func (q *FairQueue) Waiting() int { return q.turns.Waiting() }

// Working is the number of reads holding a turn.
func (q *FairQueue) Working() int { return q.turns.Working() }

func (q *FairQueue) exempts(path string) bool {
	return slices.ContainsFunc(q.exempt, func(e string) bool {
		return path == e || strings.HasSuffix(e, "/") && strings.HasPrefix(path, e)
	})
}

// Middleware queues the reads that go through next.
func (q *FairQueue) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead || q.exempts(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		if q.turns.Take(r.Context()) != nil {
			// The caller went away while waiting: nothing reads the answer, but the access
			// log and the metrics should say what happened.
			w.WriteHeader(StatusClientClosedRequest)
			return
		}
		tw := &turnWriter{ResponseWriter: w, queue: q.turns}
		defer tw.release()
		next.ServeHTTP(tw, r)
	})
}

// turnWriter gives its request's turn back when the answer starts.
type turnWriter struct {
	http.ResponseWriter
	queue *turns.Queue
	once  sync.Once
}

func (t *turnWriter) release() { t.once.Do(t.queue.Give) }

func (t *turnWriter) WriteHeader(code int) {
	t.release()
	t.ResponseWriter.WriteHeader(code)
}

func (t *turnWriter) Write(b []byte) (int, error) {
	t.release()
	return t.ResponseWriter.Write(b)
}

// FlushError sends what is buffered (the headers at least): the answer has started.
func (t *turnWriter) FlushError() error {
	t.release()
	return http.NewResponseController(t.ResponseWriter).Flush()
}

// Hijack hands the connection over: whatever follows is no longer a queued read.
func (t *turnWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	t.release()
	return http.NewResponseController(t.ResponseWriter).Hijack()
}

// Unwrap exposes the underlying writer to http.ResponseController.
func (t *turnWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }

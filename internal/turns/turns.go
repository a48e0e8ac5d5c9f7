// Package turns hands out a fixed number of turns to whoever asks, in the order they
// asked: a first-in, first-out semaphore that can say how many wait.
//
// database/sql hands a freed connection to a waiter picked at random, and Go's mutexes
// promise no order either; under load that lets some callers wait many turns while
// others wait none. A Queue in front of a scarce resource (the CPUs for the API's reads,
// SQLite's single writer) makes every caller wait about as long as the others.
package turns

import (
	"container/list"
	"context"
	"sync"
)

// Queue lets at most n holders have a turn at once; the others wait in arrival order.
type Queue struct {
	mu      sync.Mutex
	free    int
	size    int
	waiters list.List // of chan struct{}, closed when its turn comes
}

// New returns a queue of n turns (at least 1).
func New(n int) *Queue {
	n = max(1, n)
	return &Queue{free: n, size: n}
}

// Take waits for a turn and returns nil once the caller has it, or ctx's error if ctx
// ends first (the caller then has no turn and must not Give one back).
func (q *Queue) Take(ctx context.Context) error {
	q.mu.Lock()
	if q.free > 0 && q.waiters.Len() == 0 {
		q.free--
		q.mu.Unlock()
		return nil
	}
	turn := make(chan struct{})
	place := q.waiters.PushBack(turn)
	q.mu.Unlock()
	select {
	case <-turn:
		return nil
	case <-ctx.Done():
		q.mu.Lock()
		select {
		case <-turn: // handed over as ctx ended: pass it on
			q.mu.Unlock()
			q.Give()
		default:
			q.waiters.Remove(place)
			q.mu.Unlock()
		}
		return ctx.Err()
	}
}

// Give hands the caller's turn to the longest waiter, or frees it.
func (q *Queue) Give() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if first := q.waiters.Front(); first != nil {
		close(q.waiters.Remove(first).(chan struct{}))
		return
	}
	q.free++
}

// Waiting is the number of callers waiting for a turn.
func (q *Queue) Waiting() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.waiters.Len()
}

// Working is the number of turns held.
func (q *Queue) Working() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.size - q.free
}

package turns

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/waitfor"
)

func TestTurnsGoInArrivalOrder(t *testing.T) {
	q := New(1)
	if err := q.Take(t.Context()); err != nil {
		t.Fatal(err)
	}
	const n = 10
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := q.Take(context.Background()); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			q.Give()
		})
		waitfor.Until(t, "the next caller queues", func() bool { return q.Waiting() == i+1 })
	}
	q.Give()
	wg.Wait()
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}; !slices.Equal(order, want) {
		t.Fatalf("turns went in the order %v, want %v", order, want)
	}
	if q.Waiting() != 0 || q.Working() != 0 {
		t.Fatalf("drained queue: %d waiting, %d working", q.Waiting(), q.Working())
	}
}

func TestACallerWhoLeavesLosesItsPlaceAndNothingElse(t *testing.T) {
	q := New(1)
	if err := q.Take(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	left := make(chan error, 1)
	go func() { left <- q.Take(ctx) }()
	waitfor.Until(t, "the leaver queues", func() bool { return q.Waiting() == 1 })
	got := make(chan error, 1)
	go func() { got <- q.Take(context.Background()) }()
	waitfor.Until(t, "the second caller queues", func() bool { return q.Waiting() == 2 })
	cancel()
	if err := <-left; !errors.Is(err, context.Canceled) {
		t.Fatalf("the leaver got %v, want context.Canceled", err)
	}
	if q.Waiting() != 1 {
		t.Fatalf("%d waiting after the leaver left, want 1", q.Waiting())
	}
	q.Give()
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	q.Give()
	if q.Working() != 0 {
		t.Fatalf("%d turns held at the end", q.Working())
	}
}

// Callers that give up at random moments, some just as their turn comes, never let more
// than n hold a turn and leave no turn behind.
func TestTurnsSurviveCallersGivingUp(t *testing.T) {
	const n = 3
	q := New(n)
	var holding, most atomic.Int64
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			for range 200 {
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rand.IntN(200))*time.Microsecond)
				if q.Take(ctx) == nil {
					h := holding.Add(1)
					for m := most.Load(); h > m && !most.CompareAndSwap(m, h); m = most.Load() {
					}
					holding.Add(-1)
					q.Give()
				}
				cancel()
			}
		})
	}
	wg.Wait()
	if most.Load() > n {
		t.Fatalf("%d callers held a turn at once, want at most %d", most.Load(), n)
	}
	if q.Working() != 0 || q.Waiting() != 0 {
		t.Fatalf("after everyone left: %d working, %d waiting", q.Working(), q.Waiting())
	}
}

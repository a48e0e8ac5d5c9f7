package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
	"github.com/stshub/stshub/internal/waitfor"
)

// waitForWriters waits until n transactions wait for SQLite's writer.
func waitForWriters(t *testing.T, db *store.DB, n int) {
	t.Helper()
	waitfor.Until(t, fmt.Sprintf("%d transactions wait for the writer", n), func() bool { return db.WritersWaiting() == n })
}

// holdWriter starts a transaction that keeps SQLite's writer until release is closed.
func holdWriter(t *testing.T, db *store.DB) (release chan struct{}, done <-chan error) {
	t.Helper()
	release, holding, result := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		result <- db.InTx(context.Background(), func(store.Q) error { close(holding); <-release; return nil })
	}()
	<-holding
	return release, result
}

func TestWritesTakeTheWriterInArrivalOrder(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	release, held := holdWriter(t, db)
	const n = 8
	var mu sync.Mutex
	var order []int
	results := make(chan error, n)
	for i := range n {
		go func() {
			results <- db.InTx(context.Background(), func(store.Q) error {
				mu.Lock()
				defer mu.Unlock()
				order = append(order, i)
				return nil
			})
		}()
		waitForWriters(t, db, i+1)
	}
	close(release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	for range n {
		if err := <-results; err != nil {
			t.Fatal(err)
		}
	}
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7}; !slices.Equal(order, want) {
		t.Fatalf("transactions took the writer in the order %v, want %v", order, want)
	}
}

func TestAWriteThatGivesUpWaitingLeavesNoTrace(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	release, held := holdWriter(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	ran := false
	gaveUp := make(chan error, 1)
	go func() { gaveUp <- db.InTx(ctx, func(store.Q) error { ran = true; return nil }) }()
	waitForWriters(t, db, 1)
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("a write whose caller left while waiting: %v (ran: %v), want context.Canceled without running", err, ran)
	}
	waitForWriters(t, db, 0)
	close(release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	// The writer is free for the next one: the turn given up was not kept.
	ctx, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	if err := db.InTx(ctx, func(store.Q) error { return nil }); err != nil {
		t.Fatalf("a write after one gave up: %v", err)
	}
}

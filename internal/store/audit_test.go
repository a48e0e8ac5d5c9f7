package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestAuditConcurrentAppendsNeverFork has many writers append to one chain at once; the
// stored chain must verify and hold every entry exactly once.
func TestAuditConcurrentAppendsNeverFork(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, engine)
			const writers, each = 8, 15
			var wg sync.WaitGroup
			errs := make(chan error, writers*each)
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range each {
						err := db.InTx(ctx, func(tx store.Q) error {
							_, err := tx.AppendAudit(ctx, audit.Entry{
								ID: uuid.NewString(), Scope: "room-1", TS: time.Now().UTC().Truncate(time.Microsecond),
								ActorID: fmt.Sprint("w", w), Action: audit.ActionRoomUpdated, TargetType: "room",
								TargetID: "room-1", Meta: []byte(fmt.Sprintf(`{"i":%d}`, i)),
							})
							return err
						})
						if err != nil {
							errs <- err
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			v := audit.NewVerifier("room-1")
			if err := db.Read().EachAudit(ctx, "room-1", v.Next); err != nil {
				t.Fatal(err)
			}
			head, err := db.Read().AuditHead(ctx, "room-1")
			if err != nil {
				t.Fatal(err)
			}
			if v.Head() != head || head.Seq != writers*each {
				t.Fatalf("verified head %+v, stored head %+v, want seq %d", v.Head(), head, writers*each)
			}
			page, err := db.Read().ListAudit(ctx, "room-1", store.AuditFilter{ActorID: "w3", Limit: 100})
			if err != nil || len(page) != each {
				t.Fatalf("filter by actor: %d entries, %v", len(page), err)
			}
			for i := 1; i < len(page); i++ {
				if page[i].Seq >= page[i-1].Seq {
					t.Fatal("page is not newest first")
				}
			}
		})
	}
}

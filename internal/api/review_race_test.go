package api_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestReviewsRacingUploads: approvals of a document while new versions of it keep
// arriving. A review judges the version it read before its transaction and writes only if
// that is still the latest, so each approval either approves a version (200) or answers
// 409 (already approved, or overtaken by uploads three times); nothing fails, every
// upload lands, and the trail stays whole.
func TestReviewsRacingUploads(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newDocFixture(t, env)
		q88 := []string{"type", "Q88", "vessel_id", f.vessel}
		id := must(t, env.Upload(f.room, f.owner, q88, "q88.pdf", apptest.PDF("Q88 v1")), 201)["id"].(string)

		const uploads, approvals = 8, 16
		var wg sync.WaitGroup
		var mu sync.Mutex
		statuses := map[int]int{}
		for u := range uploads {
			wg.Go(func() {
				res := env.Upload(f.room, f.owner, q88, "q88.pdf", apptest.PDF(fmt.Sprintf("Q88 v%d", u+2)))
				mu.Lock()
				defer mu.Unlock()
				if res.Status != 201 {
					t.Errorf("upload %d: %d %s", u, res.Status, res.Body)
				}
			})
		}
		for range approvals {
			wg.Go(func() {
				res := env.Do("POST", docURL(f.room, id, "/approve"), f.charterer, nil)
				mu.Lock()
				defer mu.Unlock()
				statuses[res.Status]++
				if res.Status == 200 && res.Map()["status"] != "approved" {
					t.Errorf("an approval answered %s", res.Body)
				}
			})
		}
		wg.Wait()
		if statuses[200]+statuses[409] != approvals {
			t.Errorf("approvals answered %v, want 200s and 409s only", statuses)
		}
		doc := must(t, env.Do("GET", docURL(f.room, id, ""), f.owner, nil), 200)
		if n := len(doc["versions"].([]any)); n != 1+uploads {
			t.Errorf("%d versions, want %d", n, 1+uploads)
		}
		// Once nothing races it, the latest version can be approved (if it is not already).
		switch doc["status"] {
		case "under_review":
			must(t, env.Do("POST", docURL(f.room, id, "/approve"), f.charterer, nil), 200)
		case "approved":
		default:
			t.Errorf("after the race the document is %v", doc["status"])
		}
		if _, err := env.App.Service().VerifyAudit(t.Context(), f.room); err != nil {
			t.Errorf("trail: %v", err)
		}
	})
}

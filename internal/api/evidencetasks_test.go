package api_test

import (
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
)

// TestEvidenceLapsingDuringTheOperation (review T, "lapses during the operation"): a SIRE
// report reaching its age limit a second before the operation window ends is its owner's
// task to renew; one reaching it exactly at the end, or a second after, is valid through the
// operation and no task.
func TestEvidenceLapsingDuringTheOperation(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newDocFixture(t, env)
		eta := env.Now().UTC().Truncate(time.Hour).AddDate(0, 0, 5)
		end := eta.Add(36 * time.Hour)
		room := must(t, env.Do("POST", "/api/v1/rooms", f.broker, map[string]any{"title": "Window", "location": "Hurd's Bank, Malta",
			"sts_eta": eta.Format(time.RFC3339), "sts_end": end.Format(time.RFC3339)}), 201)["id"].(string)
		addParty(t, env, f.broker, room, chartererEmail, "charterer")
		party := addParty(t, env, f.broker, room, ownerEmail, "owner")
		ships := map[string]time.Duration{"9372145": -time.Second, "9380362": 0, "9321483": time.Second}
		vessel := map[string]string{}
		for imo, offset := range ships {
			vessel[imo] = addVessel(t, env, f.broker, room, "MT "+imo, imo, party)
			performed := end.Add(offset).AddDate(0, 0, -180) // SIRE's acceptable age is 180 days
			d := must(t, env.Upload(room, f.owner, []string{"type", "SIRE", "vessel_id", vessel[imo], "performed_at", performed.Format(time.RFC3339)},
				"sire.pdf", apptest.PDF("SIRE")), 201)
			body := map[string]any{}
			if offset < 0 {
				body = map[string]any{"acknowledge_lapse": true, "note": "re-inspected before commencement"}
			}
			must(t, env.Do("POST", docURL(room, d["id"].(string), "/approve"), f.charterer, body), 200)
		}
		var list struct {
			Items []taskItem `json:"items"`
		}
		res := env.Do("GET", "/api/v1/rooms/"+room+"/tasks", f.owner, nil)
		if res.Status != 200 {
			t.Fatalf("tasks: %d %s", res.Status, res.Body)
		}
		res.JSON(&list)
		for imo, offset := range ships {
			want := offset < 0
			if got := hasTask(list.Items, "renew_document", "SIRE", vessel[imo]); got != want {
				t.Errorf("SIRE valid until the window's end %+v: a renewal task %v, want %v: %+v", offset, got, want, list.Items)
			}
		}
	})
}

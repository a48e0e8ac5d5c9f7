package api_test

import (
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestDocumentFilters: the documents list's query parameters narrow it (combined), an
// empty match is an empty list, and a value not in its list is 422 naming the parameter.
func TestDocumentFilters(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		m := newMatrixEnv(t, env)
		f := m.newRoom(t)
		list := func(query, caller string) []map[string]any {
			t.Helper()
			res := m.Do("GET", "/api/v1/rooms/"+f.room+"/documents?"+query, m.tokens[caller], nil)
			if res.Status != 200 {
				t.Fatalf("?%s: %d %s", query, res.Status, res.Body)
			}
			var out struct {
				Items []map[string]any `json:"items"`
			}
			res.JSON(&out)
			return out.Items
		}
		codes := func(items []map[string]any) string {
			var out []string
			for _, d := range items {
				out = append(out, d["type"].(map[string]any)["code"].(string))
			}
			return strings.Join(out, ",")
		}
		all := list("", "broker")
		cases := []struct{ query, caller, want string }{
			{"status=under_review", "broker", "Q88"},
			{"q=Q88.PDF", "broker", "Q88"},                                   // a version's file name, any case
			{"q=tanker+questionnaire", "broker", "Q88,Q88"},                  // the type's name, both ships
			{"status=under_review&vessel_id=" + f.spareVessel, "broker", ""}, // combined: nothing
			{"needs_me=true&status=under_review", "charterer", "Q88"},
			// The owner does not review, but the fixture's question on its Q88 awaits its answer.
			{"needs_me=true&status=under_review", "owner", "Q88"},
			{"supplier=charterer&vessel_id=" + f.vessel, "broker", "AIS,SANCTIONS,VETTING"},
		}
		for _, c := range cases {
			if got := codes(list(c.query, c.caller)); got != c.want {
				t.Errorf("?%s as %s: %q, want %q", c.query, c.caller, got, c.want)
			}
		}
		room := list("vessel_id=room", "broker")
		for _, d := range room {
			if d["vessel_id"] != nil {
				t.Errorf("vessel_id=room kept a vessel's document: %v", d)
			}
		}
		if len(room) == 0 {
			t.Error("vessel_id=room kept nothing: the operation has documents of its own")
		}
		if n := len(list("criticality=high", "broker")); n == 0 || n >= len(all) {
			t.Errorf("criticality=high kept %d of %d", n, len(all))
		}
		for param, query := range map[string]string{"status": "status=lost", "criticality": "criticality=urgent", "supplier": "supplier=viewer"} {
			res := m.Do("GET", "/api/v1/rooms/"+f.room+"/documents?"+query, m.tokens["broker"], nil)
			if res.Status != 422 || !strings.Contains(string(res.Body), `"`+param) {
				t.Errorf("?%s: %d %s, want 422 naming %s", query, res.Status, res.Body, param)
			}
		}
	})
}

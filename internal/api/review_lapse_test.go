package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
)

// acknowledgeLapse is the body that approves a document lapsing before the operation
// window ends (tests that approve one on purpose send it).
var acknowledgeLapse = map[string]any{"acknowledge_lapse": true, "note": "The renewed certificate follows before the ships meet."}

// TestApproveLapsingNeedsAcknowledgement: a certificate that lapses during the operation
// is approved only with acknowledge_lapse and a note, which the trail keeps; one valid
// throughout is approved as before, with no body; an upload whose expiry is past is taken
// and says it has expired.
func TestApproveLapsingNeedsAcknowledgement(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser(brokerEmail)
		env.CreateUser(chartererEmail)
		env.CreateUser(ownerEmail)
		broker := env.Login(brokerEmail)
		eta := env.Now().Add(24 * time.Hour).UTC().Truncate(time.Hour)
		room := roomAt(t, env, broker, "Tomorrow's transfer", eta)
		addParty(t, env, broker, room, chartererEmail, "charterer")
		vessel := addVessel(t, env, broker, room, "MT AEGEAN SERENITY", "9372145", addParty(t, env, broker, room, ownerEmail, "owner"))
		charterer, owner := env.Login(chartererEmail), env.Login(ownerEmail)
		upload := func(code, expires string) map[string]any {
			t.Helper()
			return must(t, env.Upload(room, owner, []string{"type", code, "vessel_id", vessel, "expires_on", expires}, code+".pdf", apptest.PDF(code)), 201)
		}
		fit := func(doc map[string]any) (string, string) {
			v, _ := doc["validity"].(map[string]any)
			f, _ := v["fit"].(string)
			text, _ := v["text"].(string)
			return f, text
		}

		// The P&I entry ends at 12:00 GMT the day after the ships meet: inside the 48 h window.
		pi := upload("PI_COE", isoDate(eta.AddDate(0, 0, 1)))
		id := pi["id"].(string)
		if f, text := fit(pi); f != "lapses_during_operation" || !strings.Contains(text, "Lapses during the operation") || !strings.Contains(text, "12:00 GMT") {
			t.Fatalf("the lapsing certificate's validity: %q %q", f, text)
		}
		approve := func(body any) *apptest.Response { return env.Do("POST", docURL(room, id, "/approve"), charterer, body) }
		res := approve(nil)
		assertProblem(t, "approve it with no body", res, 409, "")
		if d := res.Map()["detail"]; !strings.Contains(d.(string), "Lapses during the operation") || !strings.Contains(d.(string), "acknowledge_lapse") {
			t.Errorf("the refusal does not say why and how: %v", d)
		}
		assertProblem(t, "a note without the acknowledgement", approve(map[string]any{"note": "fine"}), 409, "")
		assertProblem(t, "the acknowledgement without a note", approve(map[string]any{"acknowledge_lapse": true}), 422, "note")
		assertProblem(t, "the acknowledgement with a blank note", approve(map[string]any{"acknowledge_lapse": true, "note": "  "}), 422, "note")
		assertProblem(t, "a note too long", approve(map[string]any{"acknowledge_lapse": true, "note": strings.Repeat("n", 2001)}), 422, "note")
		if doc := must(t, env.Do("GET", docURL(room, id, ""), charterer, nil), 200); doc["status"] != "under_review" {
			t.Fatalf("a refused approval changed the document: %v", doc["status"])
		}
		note := "P&I renews on 20 February; the owner sends the new entry before the ships meet."
		doc := must(t, approve(map[string]any{"acknowledge_lapse": true, "note": note}), 200)
		if doc["status"] != "approved" || doc["expires_during_operation"] != true {
			t.Fatalf("approved with the acknowledgement: %v", doc)
		}

		// A certificate valid for years: approved with no body, as before.
		class := upload("CLASS", isoDate(eta.AddDate(2, 0, 0)))
		if f, _ := fit(class); f != "valid_throughout" {
			t.Errorf("a certificate valid for two years: fit %q", f)
		}
		must(t, env.Do("POST", docURL(room, class["id"].(string), "/approve"), charterer, nil), 200)

		// The trail keeps the note and the acknowledgement with the approval.
		acts := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities", broker, nil), 200)
		approvals := map[string]map[string]any{}
		for _, it := range acts["items"].([]any) {
			e := it.(map[string]any)
			if e["action"] == "document_approved" {
				meta := e["meta"].(map[string]any)
				approvals[meta["type"].(string)] = meta
			}
		}
		if m := approvals["PI_COE"]; m == nil || m["note"] != note || m["acknowledged_lapse"] != true {
			t.Errorf("the trail entry of the acknowledged approval: %v", m)
		}
		if m := approvals["CLASS"]; m == nil || m["acknowledged_lapse"] != nil || m["note"] != nil {
			t.Errorf("the trail entry of a plain approval: %v", m)
		}

		// An upload whose expiry date is long past is taken, and says it has expired.
		old := upload("IOPP", "2020-05-01")
		if f, text := fit(old); old["status"] != "under_review" || f != "expired" || text != "Already expired: its expiry date was 2020-05-01." {
			t.Errorf("an upload that expired in 2020: status %v, validity %q %q", old["status"], f, text)
		}
		assertProblem(t, "approve the expired upload", env.Do("POST", docURL(room, old["id"].(string), "/approve"), charterer, acknowledgeLapse), 409, "")
	})
}

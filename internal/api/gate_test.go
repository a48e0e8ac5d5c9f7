package api_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
)

// gateRoom is a room in clearing outside any territorial sea (no coastal notice asked),
// with a discharging and a receiving vessel, whose only required documents are the
// discharging vessel's Q88 and P&I certificate, with a charterer, an owner (acting for both
// ships) and a buyer who sign off.
type gateRoom struct {
	id, vessel, receiving           string
	broker, charterer, owner, buyer string
	q88, pi                         string // document IDs
	buyerParty, ownerParty          string
	eta                             time.Time
}

func newGateRoom(t *testing.T, env *apptest.Env, tag string) gateRoom {
	t.Helper()
	g := gateRoom{eta: env.Now().Add(5 * 24 * time.Hour).UTC().Truncate(time.Hour)}
	tokens := map[string]*string{"broker": &g.broker, "charterer": &g.charterer, "owner": &g.owner, "buyer": &g.buyer}
	for _, role := range []string{"broker", "charterer", "owner", "buyer"} {
		email := role + "-" + tag + "@gate.test"
		env.CreateUser(email)
		*tokens[role] = env.Login(email)
	}
	g.id = must(t, env.Do("POST", "/api/v1/rooms", g.broker, map[string]any{"title": "Skaw STS " + tag, "location": "Skaw",
		"sts_eta": g.eta.Format(time.RFC3339), "coastal_area": "HIGH_SEAS"}), 201)["id"].(string)
	for _, role := range []string{"charterer", "owner", "buyer"} {
		p := must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/parties", g.broker, map[string]string{"email": role + "-" + tag + "@gate.test", "role": role}), 201)
		switch role {
		case "buyer":
			g.buyerParty = p["id"].(string)
		case "owner":
			g.ownerParty = p["id"].(string)
		}
	}
	g.vessel = must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/vessels", g.broker, map[string]any{"name": "MT AEGEAN SERENITY", "imo": "9372145", "role": "discharging",
		"party_ids": []string{g.ownerParty}}), 201)["id"].(string)
	g.receiving = must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/vessels", g.broker, map[string]any{"name": "MT LEVANT PIONEER", "imo": "9455832",
		"role": "receiving", "party_ids": []string{g.ownerParty}}), 201)["id"].(string)
	var docs struct {
		Items []struct {
			ID   string `json:"id"`
			Type struct {
				Code string `json:"code"`
			} `json:"type"`
			VesselID string `json:"vessel_id"`
			Required bool   `json:"required"`
		} `json:"items"`
	}
	env.Do("GET", "/api/v1/rooms/"+g.id+"/documents", g.broker, nil).JSON(&docs)
	for _, d := range docs.Items {
		switch {
		case d.Type.Code == "Q88" && d.VesselID == g.vessel:
			g.q88 = d.ID
		case d.Type.Code == "PI_COE" && d.VesselID == g.vessel:
			g.pi = d.ID
		default:
			if d.Required {
				must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+d.ID+"/waive", g.broker, map[string]string{"reason": "not in this test"}), 200)
			}
		}
	}
	must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/status", g.broker, map[string]string{"status": "clearing"}), 200)
	return g
}

func (g gateRoom) upload(t *testing.T, env *apptest.Env, code, expires string) {
	t.Helper()
	fields := []string{"type", code, "vessel_id", g.vessel}
	if expires != "" {
		fields = append(fields, "expires_on", expires)
	}
	must(t, env.Upload(g.id, g.owner, fields, code+".pdf", apptest.PDF(code)), 201)
}

// clearAll uploads both required documents (the P&I certificate valid a year past the
// ETA), approves them and has every signing party approve: what clears the room.
func (g gateRoom) clearAll(t *testing.T, env *apptest.Env) {
	t.Helper()
	g.upload(t, env, "Q88", "")
	g.upload(t, env, "PI_COE", g.eta.AddDate(1, 0, 0).Format(time.DateOnly))
	must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+g.q88+"/approve", g.charterer, nil), 200)
	must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+g.pi+"/approve", g.charterer, nil), 200)
	for _, tok := range []string{g.charterer, g.owner, g.buyer} {
		signOff(t, env, g.id, tok, "approved", "")
	}
}

func (g gateRoom) summary(t *testing.T, env *apptest.Env) map[string]any {
	t.Helper()
	return must(t, env.Do("GET", "/api/v1/rooms/"+g.id+"/summary", g.broker, nil), 200)
}

func blockerText(s map[string]any) string {
	var parts []string
	for _, b := range s["blockers"].([]any) {
		parts = append(parts, b.(map[string]any)["reason"].(string))
	}
	return strings.Join(parts, " | ")
}

// gateBlockers are the blockers of a summary that belong to gate.
func gateBlockers(s map[string]any, gate string) []map[string]any {
	var out []map[string]any
	for _, b := range s["blockers"].([]any) {
		if b := b.(map[string]any); b["gate"] == gate {
			out = append(out, b)
		}
	}
	return out
}

func signOff(t *testing.T, env *apptest.Env, room, token, status, notes string) {
	t.Helper()
	must(t, env.Do("POST", "/api/v1/rooms/"+room+"/approvals", token, map[string]string{"status": status, "notes": notes}), 201)
}

// TestClearanceGate walks the domain's scenarios: clearance is won when the last blocker
// goes, lost when a sign-off is withdrawn or a party replaced, never won with a rejected
// SIRE or a P&I certificate that lapses mid-operation.
func TestClearanceGate(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		g := newGateRoom(t, env, "a")
		later := g.eta.AddDate(0, 6, 0).Format(time.DateOnly)
		g.upload(t, env, "Q88", "")
		g.upload(t, env, "PI_COE", later)
		must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+g.q88+"/approve", g.charterer, nil), 200)
		must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+g.pi+"/approve", g.charterer, nil), 200)
		signOff(t, env, g.id, g.charterer, "approved", "")
		signOff(t, env, g.id, g.owner, "approved", "")
		if s := g.summary(t, env); s["status"] != "clearing" || !strings.Contains(blockerText(s), "buyer-a@gate.test (buyer): awaited") {
			t.Fatalf("before the buyer signs: %v %s", s["status"], blockerText(s))
		}
		signOff(t, env, g.id, g.buyer, "approved", "")
		s := g.summary(t, env)
		if s["status"] != "cleared" || s["cleared"] != true || len(gateBlockers(s, "clearance")) != 0 {
			t.Fatalf("everything approved and signed: %v %s", s["status"], blockerText(s))
		}
		changes := must(t, env.Do("GET", "/api/v1/rooms/"+g.id+"/activities?action=room_status_changed&limit=1", g.broker, nil), 200)["items"].([]any)
		if meta := fmt.Sprint(changes[0].(map[string]any)["meta"]); !strings.Contains(meta, "automatic:true") || !strings.Contains(meta, "to:cleared") {
			t.Fatalf("automatic move not recorded: %s", meta)
		}

		// A withdrawn sign-off takes clearance away, visibly.
		signOff(t, env, g.id, g.owner, "withdrawn", "")
		if s := g.summary(t, env); s["status"] != "clearing" || !strings.Contains(blockerText(s), "owner-a@gate.test (owner): awaited") {
			t.Fatalf("after the owner withdrew: %v %s", s["status"], blockerText(s))
		}
		signOff(t, env, g.id, g.owner, "approved", "back on")
		if s := g.summary(t, env); s["status"] != "cleared" {
			t.Fatalf("after the owner approved again: %v %s", s["status"], blockerText(s))
		}

		// The buyer is replaced mid-operation: it loses access at once, its sign-off stays
		// in the history as no longer counting, and the new buyer must sign.
		must(t, env.Do("DELETE", "/api/v1/rooms/"+g.id+"/parties/"+g.buyerParty, g.broker, nil), 204)
		must(t, env.Do("GET", "/api/v1/rooms/"+g.id, g.buyer, nil), 404)
		env.CreateUser("buyer-new@gate.test")
		must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/parties", g.broker, map[string]string{"email": "buyer-new@gate.test", "role": "buyer"}), 201)
		s = g.summary(t, env)
		if s["status"] != "clearing" || !strings.Contains(blockerText(s), "buyer-new@gate.test (buyer): awaited") {
			t.Fatalf("after the buyer was replaced: %v %s", s["status"], blockerText(s))
		}
		history := must(t, env.Do("GET", "/api/v1/rooms/"+g.id+"/approvals", g.broker, nil), 200)["items"].([]any)
		found := false
		for _, h := range history {
			a := h.(map[string]any)
			if a["email"] == "buyer-a@gate.test" {
				found = true
				if a["party_removed"] != true || a["counts"] != false {
					t.Fatalf("the removed buyer's sign-off: %v", a)
				}
			}
		}
		if !found {
			t.Fatal("the removed buyer's sign-off vanished from the history")
		}
		newBuyer := env.Login("buyer-new@gate.test")
		signOff(t, env, g.id, newBuyer, "approved", "")

		// A rejected SIRE keeps the room in clearing.
		must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/requirements", g.broker, map[string]string{"type": "SIRE", "vessel_id": g.vessel}), 201)
		if s := g.summary(t, env); s["status"] != "clearing" || !strings.Contains(blockerText(s), "SIRE 2.0 inspection report — MT AEGEAN SERENITY: missing") {
			t.Fatalf("a SIRE required again: %v %s", s["status"], blockerText(s))
		}
		old := env.Now().AddDate(0, -8, 0).UTC().Format(time.RFC3339)
		must(t, env.Upload(g.id, g.owner, []string{"type", "SIRE", "vessel_id", g.vessel, "performed_at", old}, "sire.pdf", apptest.PDF("SIRE")), 201)
		var docs struct {
			Items []struct {
				ID   string `json:"id"`
				Type struct {
					Code string `json:"code"`
				} `json:"type"`
				VesselID string `json:"vessel_id"`
			} `json:"items"`
		}
		env.Do("GET", "/api/v1/rooms/"+g.id+"/documents", g.broker, nil).JSON(&docs)
		for _, d := range docs.Items {
			if d.Type.Code == "SIRE" && d.VesselID == g.vessel {
				must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+d.ID+"/reject", g.charterer, map[string]string{"reason": "report older than 6 months"}), 200)
				if s := g.summary(t, env); s["status"] != "clearing" || !strings.Contains(blockerText(s), "SIRE 2.0 inspection report — MT AEGEAN SERENITY: rejected") {
					t.Fatalf("a rejected SIRE: %v %s", s["status"], blockerText(s))
				}
				must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+d.ID+"/waive", g.broker, map[string]string{"reason": "accepted on the 2025 report"}), 200)
			}
		}
		if s := g.summary(t, env); s["status"] != "cleared" {
			t.Fatalf("SIRE waived: %v %s", s["status"], blockerText(s))
		}

		// A P&I certificate that lapses during the operation window blocks clearance. It
		// expires on the ETA's own date: valid to the end of that day, at most 24 h into the
		// 48 h window whatever the hour of the ETA. (The day after the ETA's date ends exactly
		// with the window when the ETA falls at midnight, which rightly does not block.)
		g.upload(t, env, "PI_COE", g.eta.Format(time.DateOnly))
		must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+g.pi+"/approve", g.charterer, acknowledgeLapse), 200)
		s = g.summary(t, env)
		if s["status"] != "clearing" || !strings.Contains(blockerText(s), "before the operation ends") {
			t.Fatalf("P&I lapsing mid-operation: %v %s", s["status"], blockerText(s))
		}
	})
}

// TestRoomLifecycle: the transitions and their conditions, and an operation from clearing
// through every milestone to completed.
func TestRoomLifecycle(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		g := newGateRoom(t, env, "b")
		env.CreateUser("poac-b@gate.test")
		poac := env.Login("poac-b@gate.test")
		must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/parties", g.broker, map[string]string{"email": "poac-b@gate.test", "role": "sts_provider"}), 201)
		status := func(to, reason string, want int) map[string]any {
			t.Helper()
			return must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/status", g.broker, map[string]string{"status": to, "reason": reason}), want)
		}
		milestone := func(m string, want int, says ...string) map[string]any {
			t.Helper()
			res := env.Do("POST", "/api/v1/rooms/"+g.id+"/milestones", poac, map[string]string{"milestone": m})
			if res.Status != want {
				t.Fatalf("milestone %s: %d %s, want %d", m, res.Status, res.Body, want)
			}
			for _, s := range says {
				if !strings.Contains(string(res.Body), s) {
					t.Fatalf("milestone %s: %s does not say %q", m, res.Body, s)
				}
			}
			var out map[string]any
			res.JSON(&out)
			return out
		}
		status("completed", "", 409)
		status("cleared", "", 409) // blockers remain
		status("in_operation", "", 409)
		status("bogus", "", 422)
		status("on_hold", "", 422) // a hold needs its reason
		held := status("on_hold", "sanctions screening of the receiving vessel's manager shows a red flag", 200)
		if held["status"] != "on_hold" || held["status_reason"] == "" {
			t.Fatalf("on hold: %v", held)
		}
		status("cleared", "", 409)
		// Clear everything, then release the hold: the room is cleared at once.
		g.clearAll(t, env)
		signOff(t, env, g.id, poac, "approved", "")
		if released := status("clearing", "screening cleared", 200); released["status"] != "cleared" {
			t.Fatalf("released from hold: %v", released["status"])
		}
		// No milestone before the operation commences.
		milestone("mooring_started", 409, "the room is cleared")
		// Starting the operation needs checklists 1 and 2 of both vessels complete: answered,
		// and signed by both ships' sides and the POAC; the ships' side alone is not enough.
		res := env.Do("POST", "/api/v1/rooms/"+g.id+"/status", g.broker, map[string]string{"status": "in_operation"})
		if res.Status != 409 || !strings.Contains(string(res.Body), "checklist 1") || !strings.Contains(string(res.Body), "checklist 2") {
			t.Fatalf("start without checklists: %d %s", res.Status, res.Body)
		}
		signChecklists(t, env, g, "", 1, 2)
		res = env.Do("POST", "/api/v1/rooms/"+g.id+"/status", g.broker, map[string]string{"status": "in_operation"})
		if res.Status != 409 || !strings.Contains(string(res.Body), "awaits the signature of the POAC") {
			t.Fatalf("start without the POAC's signatures: %d %s", res.Status, res.Body)
		}
		signChecklists(t, env, g, poac, 1, 2)
		status("in_operation", "", 200)

		// Every milestone waits for its checklist, and they come in order.
		op := must(t, env.Do("GET", "/api/v1/rooms/"+g.id+"/milestones", g.buyer, nil), 200)
		if next := op["next_milestone"].(map[string]any); next["milestone"] != "mooring_started" || next["checklist_phase"] != 3.0 ||
			len(next["lacking"].([]any)) != 2 {
			t.Fatalf("before mooring: %v", op)
		}
		milestone("transfer_started", 409, "run-in and mooring started comes first")
		milestone("mooring_started", 409, "waits for checklist 3")
		signChecklists(t, env, g, poac, 3)
		milestone("mooring_started", 201)
		milestone("mooring_started", 409, "already recorded")
		milestone("transfer_started", 409, "waits for checklist 4")
		signChecklists(t, env, g, poac, 4)
		milestone("transfer_started", 201)
		res = env.Do("POST", "/api/v1/rooms/"+g.id+"/status", g.broker, map[string]string{"status": "completed"})
		if res.Status != 409 || !strings.Contains(string(res.Body), "not recorded as unmoored") || !strings.Contains(string(res.Body), "checklist 5") {
			t.Fatalf("complete mid-transfer: %d %s", res.Status, res.Body)
		}
		milestone("transfer_completed", 201)
		milestone("unmoored", 409, "waits for checklist 5")
		signChecklists(t, env, g, poac, 5)
		done := milestone("unmoored", 201)
		if done["next_milestone"] != nil || len(done["milestones"].([]any)) != 4 {
			t.Fatalf("after unmooring: %v", done)
		}
		// Only the ships' and the POAC's side report milestones; the summary shows them.
		must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/milestones", g.broker, map[string]string{"milestone": "unmoored"}), 403)
		s := g.summary(t, env)
		if ms := s["operation"].(map[string]any)["milestones"].([]any); len(ms) != 4 ||
			ms[0].(map[string]any)["recorded_by"].(map[string]any)["email"] != "poac-b@gate.test" {
			t.Fatalf("summary operation: %v", s["operation"])
		}
		status("completed", "", 200)
		if n := clCount(clTrail(t, env, g.id, g.broker), "milestone_recorded"); n != 4 {
			t.Fatalf("%d milestone entries", n)
		}
		// The record is closed: no more uploads, reviews or sign-offs; snapshots still work.
		res = env.Upload(g.id, g.owner, []string{"type", "Q88", "vessel_id", g.vessel}, "late.pdf", apptest.PDF("late"))
		if res.Status != 409 {
			t.Fatalf("upload into a completed room: %d", res.Status)
		}
		must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/approvals", g.owner, map[string]string{"status": "withdrawn"}), 409)
		status("cancelled", "too late", 409)

		// The record holds the whole operation: every checklist with its answers and
		// signatures, the milestones, people by name and e-mail.
		snap := must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/snapshots", g.broker, map[string]string{"snapshot_type": "json"}), 202)
		var record struct {
			Room struct {
				CreatedBy struct{ Name, Email string } `json:"created_by"`
			} `json:"room"`
			Checklists []struct {
				Phase      int                       `json:"phase"`
				Complete   bool                      `json:"complete"`
				Items      []struct{ Answer string } `json:"items"`
				Signatures []struct {
					SideName string                        `json:"side_name"`
					SignedBy *struct{ Name, Email string } `json:"signed_by"`
				} `json:"signatures"`
			} `json:"checklists"`
			Milestones []struct {
				Milestone  string                       `json:"milestone"`
				RecordedBy struct{ Name, Email string } `json:"recorded_by"`
			} `json:"milestones"`
			Notices []any `json:"notices"`
		}
		if err := json.Unmarshal(download(t, env, g.broker, waitSnapshot(t, env, g.broker, g.id, snap["id"].(string))), &record); err != nil {
			t.Fatal(err)
		}
		if record.Room.CreatedBy.Email != "broker-b@gate.test" || record.Room.CreatedBy.Name == "" || len(record.Checklists) != 10 ||
			len(record.Milestones) != 4 || record.Milestones[3].Milestone != "unmoored" || record.Milestones[0].RecordedBy.Email != "poac-b@gate.test" ||
			record.Notices == nil {
			t.Fatalf("the JSON record: %+v", record)
		}
		for _, c := range record.Checklists {
			if !c.Complete || len(c.Signatures) != 3 || c.Signatures[2].SideName != "the POAC" || c.Signatures[2].SignedBy == nil ||
				c.Signatures[2].SignedBy.Email != "poac-b@gate.test" || c.Signatures[2].SignedBy.Name == "" || c.Items[0].Answer != "yes" {
				t.Fatalf("checklist %d in the record: %+v", c.Phase, c)
			}
		}
		csvSnap := must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/snapshots", g.broker, map[string]string{"snapshot_type": "csv"}), 202)
		table := string(download(t, env, g.broker, waitSnapshot(t, env, g.broker, g.id, csvSnap["id"].(string))))
		for _, want := range []string{"\r\nChecklist items\r\n", "\r\nChecklist signatures\r\n", "\r\nMilestones\r\n", "\r\nSign-offs\r\n", "unmoored,unmoored,"} {
			if !strings.Contains(table, want) {
				t.Fatalf("the CSV record lacks %q", want)
			}
		}
	})
}

// signChecklists completes both vessels' checklists of phases: the owner (bound to both
// ships) answers them when nobody has signed yet and signs for each ship; poac, unless "",
// signs for the POAC.
func signChecklists(t *testing.T, env *apptest.Env, g gateRoom, poac string, phases ...int) {
	t.Helper()
	lists := clListAll(t, env, g.id, g.owner)
	for _, vessel := range []string{g.vessel, g.receiving} {
		for _, phase := range phases {
			c := clPick(t, lists, vessel, phase)
			path := "/api/v1/rooms/" + g.id + "/checklists/" + c["id"].(string)
			if len(c["signatures"].([]any)) > 0 && c["signatures"].([]any)[0].(map[string]any)["signed"] == true {
				must(t, env.Do("POST", path+"/sign", poac, nil), 200)
				continue
			}
			var signers []clSigner
			for _, side := range []string{g.vessel, g.receiving} {
				signers = append(signers, clSigner{token: g.owner, side: side})
			}
			if poac != "" {
				signers = append(signers, clSigner{token: poac})
			}
			clComplete(t, env, g.id, c, g.owner, signers...)
		}
	}
}

// TestGateUnderConcurrency: parties sign off and documents are approved and rejected at
// once; afterwards the stored status agrees with the gate computed from the data, every time.
func TestGateUnderConcurrency(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		for round := range 4 {
			g := newGateRoom(t, env, fmt.Sprint("c", round))
			g.upload(t, env, "Q88", "")
			g.upload(t, env, "PI_COE", g.eta.AddDate(1, 0, 0).Format(time.DateOnly))
			// In odd rounds one reviewer rejects the Q88 right after approving it, racing the rest.
			actions := []func() *apptest.Response{
				func() *apptest.Response {
					return env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+g.q88+"/approve", g.charterer, nil)
				},
				func() *apptest.Response {
					return env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+g.pi+"/approve", g.broker, nil)
				},
			}
			for _, tok := range []string{g.charterer, g.owner, g.buyer} {
				actions = append(actions, func() *apptest.Response {
					return env.Do("POST", "/api/v1/rooms/"+g.id+"/approvals", tok, map[string]string{"status": "approved"})
				})
			}
			if round%2 == 1 {
				actions = append(actions, func() *apptest.Response {
					time.Sleep(time.Duration(rand.IntN(5)) * time.Millisecond)
					return env.Do("POST", "/api/v1/rooms/"+g.id+"/approvals", g.owner, map[string]string{"status": "rejected", "notes": "mooring plan"})
				})
			}
			var wg sync.WaitGroup
			for _, act := range actions {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if res := act(); res.Status >= 500 {
						t.Errorf("concurrent change failed: %d %s", res.Status, res.Body)
					}
				}()
			}
			wg.Wait()
			s := g.summary(t, env)
			if (s["status"] == "cleared") != (s["cleared"] == true) {
				t.Fatalf("round %d: stored status %v but the gate says cleared=%v (%s)", round, s["status"], s["cleared"], blockerText(s))
			}
		}
	})
}

// TestCatalogueChangeMovesClearedRooms: an admin who makes a type dated takes clearance
// from rooms whose approved document of that type has no date.
func TestCatalogueChangeMovesClearedRooms(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		g := newGateRoom(t, env, "d")
		g.clearAll(t, env)
		if s := g.summary(t, env); s["status"] != "cleared" {
			t.Fatalf("set-up: %v %s", s["status"], blockerText(s))
		}
		admin := env.Login(apptest.AdminEmail)
		must(t, env.Do("PATCH", "/api/v1/document-types/Q88", admin, map[string]string{"expiry": "expires"}), 200)
		s := g.summary(t, env)
		if s["status"] != "clearing" || !strings.Contains(blockerText(s), "no expiry date recorded") {
			t.Fatalf("after Q88 became dated: %v %s", s["status"], blockerText(s))
		}
	})
}

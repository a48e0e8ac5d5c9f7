package api_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
)

// screeningRoom is a gate room (gate_test.go) that also requires the discharging vessel's
// sanctions screening, supplied by the charterer.
type screeningRoom struct {
	gateRoom
	sanctions string // document ID
}

func newScreeningRoom(t *testing.T, env *apptest.Env, tag string) screeningRoom {
	t.Helper()
	r := screeningRoom{gateRoom: newGateRoom(t, env, tag)}
	r.sanctions = must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/requirements", r.broker,
		map[string]string{"type": "SANCTIONS", "vessel_id": r.vessel}), 201)["id"].(string)
	return r
}

// screen uploads a sanctions screening of the discharging vessel as the charterer, with
// the fields given after the type, vessel and performed-at time.
func (r screeningRoom) screen(env *apptest.Env, fields ...string) *apptest.Response {
	base := []string{"type", "SANCTIONS", "vessel_id", r.vessel, "performed_at", env.Now().Add(-time.Hour).UTC().Format(time.RFC3339)}
	return env.Upload(r.id, r.charterer, append(base, fields...), "screening.pdf", apptest.PDF("screening "+strings.Join(fields, " ")))
}

func (r screeningRoom) status(t *testing.T, env *apptest.Env, token, status, reason string, want int) map[string]any {
	t.Helper()
	return must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/status", token, map[string]string{"status": status, "reason": reason}), want)
}

// trail returns the room's latest activity entries, newest first.
func (r screeningRoom) trail(t *testing.T, env *apptest.Env) []map[string]any {
	t.Helper()
	var out struct {
		Items []map[string]any `json:"items"`
	}
	env.Do("GET", "/api/v1/rooms/"+r.id+"/activities?limit=50", r.broker, nil).JSON(&out)
	return out.Items
}

// entry finds the newest trail entry of action whose meta has key = value (value "" for any).
func entry(entries []map[string]any, action, key, value string) map[string]any {
	for _, e := range entries {
		meta, _ := e["meta"].(map[string]any)
		if e["action"] == action && (key == "" || value == "" && meta[key] != nil || fmt.Sprint(meta[key]) == value) {
			return meta
		}
	}
	return nil
}

// TestScreeningOutcomeFields: an upload of a screening needs its outcome and its provider
// (422 naming each), a match a remark; another type refuses them; what was screened
// defaults from the room and is on the document and its version.
func TestScreeningOutcomeFields(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		r := newScreeningRoom(t, env, "fields")
		assertProblem(t, "screening without an outcome", r.screen(env, "provider", "Acme Risk"), 422, "outcome")
		assertProblem(t, "screening with an unknown outcome", r.screen(env, "provider", "Acme Risk", "outcome", "fine"), 422, "outcome")
		assertProblem(t, "screening without a provider", r.screen(env, "outcome", "clear"), 422, "provider")
		assertProblem(t, "a match without a remark", r.screen(env, "provider", "Acme Risk", "outcome", "potential_match"), 422, "remark")
		q88 := env.Upload(r.id, r.owner, []string{"type", "Q88", "vessel_id", r.vessel, "outcome", "clear"}, "q88.pdf", apptest.PDF("Q88"))
		assertProblem(t, "an outcome on a Q88", q88, 422, "outcome")
		assertProblem(t, "a bad counterparty ship", r.screen(env, "provider", "Acme Risk", "outcome", "clear", "counterparty_ships", "1234568"), 422, "counterparty_ships")

		doc := must(t, r.screen(env, "provider", "Acme Risk", "outcome", "clear", "remark", "no hits", "manager", "Aegean Ship Management"), 201)
		if doc["outcome"] != "clear" || doc["provider"] != "Acme Risk" || doc["remark"] != "no hits" || doc["needs_rerun"] != false {
			t.Fatalf("a clear screening: %v", doc)
		}
		subjects := doc["subjects"].(map[string]any)
		vessel := subjects["vessel"].(map[string]any)
		if vessel["imo"] != "9372145" || vessel["name"] != "MT AEGEAN SERENITY" {
			t.Errorf("screened vessel: %v", vessel)
		}
		if m := subjects["manager"].(map[string]any); m["name"] != "Aegean Ship Management" {
			t.Errorf("screened manager, as the form named it: %v", m)
		}
		var counterparties []string
		for _, c := range subjects["counterparties"].([]any) {
			counterparties = append(counterparties, c.(string))
		}
		// The parties are named after their accounts.
		if !slices.Contains(counterparties, "charterer-fields") || !slices.Contains(counterparties, "buyer-fields") ||
			slices.Contains(counterparties, "broker-fields") {
			t.Errorf("counterparties default to the charterer and buyer parties: %v", counterparties)
		}
		ships := subjects["counterparty_ships"].([]any)
		if len(ships) != 1 || ships[0].(map[string]any)["imo"] != "9455832" {
			t.Errorf("the other ship of the transfer: %v", ships)
		}
		v := doc["versions"].([]any)[0].(map[string]any)
		if v["outcome"] != "clear" || v["provider"] != "Acme Risk" || v["subjects"] == nil {
			t.Errorf("the version: %v", v)
		}
		// Named counterparties (a name may hold a comma) and a ship by its IMO number.
		named := must(t, r.screen(env, "provider", "Acme Risk", "outcome", "clear", "counterparties", "Mediterra Trading, SA\nAdriatic Refining",
			"counterparty_ships", "IMO 9455832"), 201)["subjects"].(map[string]any)
		if fmt.Sprint(named["counterparties"]) != "[Mediterra Trading, SA Adriatic Refining]" ||
			fmt.Sprint(named["counterparty_ships"]) != "[map[imo:9455832 name:MT LEVANT PIONEER]]" {
			t.Errorf("named subjects: %v", named)
		}
		if q := must(t, env.Upload(r.id, r.owner, []string{"type", "Q88", "vessel_id", r.vessel}, "q88.pdf", apptest.PDF("Q88")), 201); q["outcome"] != nil || q["needs_rerun"] != nil {
			t.Errorf("a Q88 has no outcome: %v", q)
		}
	})
}

// TestRedFlagScreeningHoldsTheRoom: a cleared room with a potential match among its
// screenings goes on hold at once, owned by compliance; the match cannot be approved; the
// broker may not lift the hold, the charterer only with a reason; a confirmed match cannot
// be lifted until a clear screening replaces it.
func TestRedFlagScreeningHoldsTheRoom(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		r := newScreeningRoom(t, env, "hold")
		must(t, r.screen(env, apptest.ScreeningFields("SANCTIONS")...), 201)
		must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/documents/"+r.sanctions+"/approve", r.broker, nil), 200)
		r.clearAll(t, env)
		if s := r.summary(t, env); s["status"] != "cleared" {
			t.Fatalf("the room is not cleared: %v %s", s["status"], blockerText(s))
		}

		// A potential match: on hold at once, in the trail, the charterer's to lift.
		must(t, r.screen(env, "outcome", "potential_match", "provider", "Acme Risk", "remark", "manager name close to a listed entity"), 201)
		s := r.summary(t, env)
		hold, _ := s["hold"].(map[string]any)
		if s["status"] != "on_hold" || hold["owner"] != "charterer" || hold["source"] != "screening" ||
			!strings.Contains(fmt.Sprint(s["status_reason"]), "SANCTIONS — MT AEGEAN SERENITY screening is a potential match") {
			t.Fatalf("a potential match on a cleared room: %v %v %v", s["status"], s["status_reason"], hold)
		}
		if strings.Contains(fmt.Sprint(s["status_reason"]), "listed entity") {
			t.Errorf("the room's reason, which every party reads, repeats the screening's remark: %v", s["status_reason"])
		}
		if !strings.Contains(blockerText(s), "the screening is a potential match") {
			t.Errorf("the match is no blocker: %s", blockerText(s))
		}
		held := entry(r.trail(t, env), "room_status_changed", "to", "on_hold")
		if held == nil || held["automatic"] != true || held["hold_owner"] != "charterer" || held["document_id"] != r.sanctions {
			t.Fatalf("the hold in the trail: %v", held)
		}
		approve := env.Do("POST", "/api/v1/rooms/"+r.id+"/documents/"+r.sanctions+"/approve", r.broker, nil)
		if approve.Status != 409 || !strings.Contains(string(approve.Body), "cannot be approved as clearing evidence") {
			t.Errorf("approving a potential match: %d %s", approve.Status, approve.Body)
		}

		// The broker may not lift it; the charterer needs a reason.
		lift := env.Do("POST", "/api/v1/rooms/"+r.id+"/status", r.broker, map[string]string{"status": "clearing", "reason": "looks fine to me"})
		if lift.Status != 403 || !strings.Contains(string(lift.Body), "only the charterer may lift it") {
			t.Errorf("the broker lifting the charterer's hold: %d %s", lift.Status, lift.Body)
		}
		assertProblem(t, "lifting without a reason", env.Do("POST", "/api/v1/rooms/"+r.id+"/status", r.charterer, map[string]string{"status": "clearing"}), 422, "reason")

		// A confirmed match cannot be lifted at all.
		must(t, r.screen(env, "outcome", "confirmed_match", "provider", "Acme Risk", "remark", "manager is a listed entity"), 201)
		lift = env.Do("POST", "/api/v1/rooms/"+r.id+"/status", r.charterer, map[string]string{"status": "clearing", "reason": "reviewed"})
		if lift.Status != 409 || !strings.Contains(string(lift.Body), "confirmed match") {
			t.Errorf("lifting a hold on a confirmed match: %d %s", lift.Status, lift.Body)
		}

		// Back to a potential match: the charterer lifts it as a false positive, recorded;
		// the screening still cannot be approved, so the room does not clear on it.
		must(t, r.screen(env, "outcome", "potential_match", "provider", "Acme Risk", "remark", "name match only"), 201)
		if s := r.status(t, env, r.charterer, "clearing", "false positive: different company, other IMO number", 200); s["status"] != "clearing" {
			t.Fatalf("lifted: %v", s["status"])
		}
		lifted := entry(r.trail(t, env), "room_status_changed", "from", "on_hold")
		if lifted == nil || lifted["hold_owner"] != "charterer" || !strings.Contains(fmt.Sprint(lifted["false_positives"]), "SANCTIONS — MT AEGEAN SERENITY") {
			t.Errorf("the lift in the trail: %v", lifted)
		}
		if s := r.summary(t, env); s["hold"] != nil || !strings.Contains(blockerText(s), "potential match") {
			t.Errorf("after the lift: %v %s", s["hold"], blockerText(s))
		}

		// A clear re-run, approved, clears the room once the charterer, whose sign-off covered
		// the first screening (now replaced), signs again.
		must(t, r.screen(env, apptest.ScreeningFields("SANCTIONS")...), 201)
		must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/documents/"+r.sanctions+"/approve", r.broker, nil), 200)
		if s := r.summary(t, env); s["status"] != "clearing" || !strings.Contains(blockerText(s), "signed before Sanctions screening of MT AEGEAN SERENITY") {
			t.Errorf("after a clear screening, before signing again: %v %s", s["status"], blockerText(s))
		}
		signOff(t, env, r.id, r.charterer, "approved", "")
		if s := r.summary(t, env); s["status"] != "cleared" {
			t.Errorf("after a clear screening: %v %s", s["status"], blockerText(s))
		}

		// A manual hold is its placer's: the broker's is not the charterer's to lift.
		r.status(t, env, r.broker, "on_hold", "waiting for the terminal", 200)
		if s := r.summary(t, env); s["hold"].(map[string]any)["owner"] != "broker" {
			t.Errorf("a manual hold: %v", s["hold"])
		}
		if res := env.Do("POST", "/api/v1/rooms/"+r.id+"/status", r.charterer, map[string]string{"status": "clearing", "reason": "go"}); res.Status != 403 {
			t.Errorf("the charterer lifting the broker's hold: %d %s", res.Status, res.Body)
		}
		// A match takes the hold over: it is compliance's now.
		must(t, r.screen(env, "outcome", "potential_match", "provider", "Acme Risk", "remark", "new hit"), 201)
		if s := r.summary(t, env); s["hold"].(map[string]any)["owner"] != "charterer" || entry(r.trail(t, env), "room_hold_placed", "", "") == nil {
			t.Errorf("a match during a manual hold: %v", s["hold"])
		}
		if res := env.Do("POST", "/api/v1/rooms/"+r.id+"/status", r.broker, map[string]string{"status": "clearing", "reason": "go"}); res.Status != 403 {
			t.Errorf("the broker lifting the hold a match took over: %d %s", res.Status, res.Body)
		}
	})
}

// TestPartyChangeNeedsRerun: a new counterparty or a new ship leaves a sanctions screening
// that did not screen it needing a re-run: it blocks clearance (the cleared room goes back
// to clearing), is in the trail, and a new version settles it.
func TestPartyChangeNeedsRerun(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		r := newScreeningRoom(t, env, "rerun")
		must(t, r.screen(env, apptest.ScreeningFields("SANCTIONS")...), 201)
		must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/documents/"+r.sanctions+"/approve", r.broker, nil), 200)
		r.clearAll(t, env)
		if s := r.summary(t, env); s["status"] != "cleared" {
			t.Fatalf("the room is not cleared: %v %s", s["status"], blockerText(s))
		}
		// A viewer is no counterparty: nothing to re-run.
		must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/parties", r.broker, map[string]string{"email": "pi@club.test", "role": "viewer"}), 201)
		if d := must(t, env.Do("GET", "/api/v1/rooms/"+r.id+"/documents/"+r.sanctions, r.broker, nil), 200); d["needs_rerun"] != false {
			t.Fatalf("a viewer added: %v", d)
		}
		// A new seller was not screened.
		must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/parties", r.broker, map[string]string{"email": "seller@crude.test", "role": "seller",
			"name": "North Africa Crude Marketing"}), 201)
		d := must(t, env.Do("GET", "/api/v1/rooms/"+r.id+"/documents/"+r.sanctions, r.broker, nil), 200)
		if d["needs_rerun"] != true || !strings.Contains(fmt.Sprint(d["rerun_reason"]), "North Africa Crude Marketing (seller)") {
			t.Fatalf("a new seller: %v %v", d["needs_rerun"], d["rerun_reason"])
		}
		s := r.summary(t, env)
		if s["status"] != "clearing" || !strings.Contains(blockerText(s), "Sanctions screening — MT AEGEAN SERENITY: the screening must be re-run") {
			t.Errorf("a screening to re-run blocks clearance: %v %s", s["status"], blockerText(s))
		}
		if m := entry(r.trail(t, env), "screening_needs_rerun", "", ""); m == nil || !strings.Contains(fmt.Sprint(m["cause"]), "new seller") {
			t.Errorf("the re-run in the trail: %v", m)
		}
		// The fall back to clearing is in the trail every party reads (the new seller too):
		// it does not name the screening, which is confidential to the coordinators and the
		// ship's own party.
		if m := entry(r.trail(t, env), "room_status_changed", "from", "cleared"); m == nil || strings.Contains(fmt.Sprint(m["reason"]), "Sanctions") ||
			!strings.HasPrefix(fmt.Sprint(m["reason"]), "clearance lost: ") {
			t.Errorf("the fall back in the trail: %v", m)
		}
		// A re-run covering the seller settles it; approved, the room is cleared again (the
		// seller signs off too).
		must(t, r.screen(env, apptest.ScreeningFields("SANCTIONS")...), 201)
		approve := env.Do("POST", "/api/v1/rooms/"+r.id+"/documents/"+r.sanctions+"/approve", r.broker, nil)
		if d := must(t, approve, 200); d["needs_rerun"] != false {
			t.Errorf("a new version is the re-run: %v", d)
		}
		// A third ship of the transfer was not screened either; approving the stale
		// screening after a new upload is refused until it is re-run.
		must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/vessels", r.broker, map[string]any{"name": "MT NORDIC STAR", "imo": "9297345", "role": "receiving"}), 201)
		d = must(t, env.Do("GET", "/api/v1/rooms/"+r.id+"/documents/"+r.sanctions, r.broker, nil), 200)
		if d["needs_rerun"] != true || !strings.Contains(fmt.Sprint(d["rerun_reason"]), "MT NORDIC STAR (IMO 9297345)") {
			t.Fatalf("a new vessel: %v %v", d["needs_rerun"], d["rerun_reason"])
		}
		if res := env.Do("POST", "/api/v1/rooms/"+r.id+"/documents/"+r.sanctions+"/reject", r.broker, map[string]string{"reason": "re-run it"}); res.Status != 200 {
			t.Fatalf("reject: %d %s", res.Status, res.Body)
		}
	})
}

// TestDraftWithMatchStartsOnHold: a draft whose screening is a match stays a draft (the
// match blocks its gates), and goes on a compliance hold when it is started.
func TestDraftWithMatchStartsOnHold(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@draft.test")
		env.CreateUser("charterer@draft.test")
		broker, charterer := env.Login("broker@draft.test"), env.Login("charterer@draft.test")
		room := must(t, env.Do("POST", "/api/v1/rooms", broker, map[string]any{"title": "Lome STS", "location": "Lome",
			"sts_eta": env.Now().Add(10 * 24 * time.Hour).UTC().Format(time.RFC3339)}), 201)["id"].(string)
		must(t, env.Do("POST", "/api/v1/rooms/"+room+"/parties", broker, map[string]string{"email": "charterer@draft.test", "role": "charterer"}), 201)
		vessel := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/vessels", broker, map[string]any{"name": "MT AEGEAN SERENITY", "imo": "9372145",
			"role": "discharging"}), 201)["id"].(string)
		fields := []string{"type", "SANCTIONS", "vessel_id", vessel, "performed_at", env.Now().Add(-time.Hour).UTC().Format(time.RFC3339),
			"outcome", "confirmed_match", "provider", "Acme Risk", "remark", "owner listed"}
		must(t, env.Upload(room, charterer, fields, "s.pdf", apptest.PDF("screening")), 201)
		if st := must(t, env.Do("GET", "/api/v1/rooms/"+room, broker, nil), 200)["status"]; st != "draft" {
			t.Fatalf("a draft with a match: %v", st)
		}
		started := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/status", broker, map[string]string{"status": "clearing"}), 200)
		if started["status"] != "on_hold" || started["hold"].(map[string]any)["owner"] != "charterer" {
			t.Fatalf("started with a confirmed match: %v %v", started["status"], started["hold"])
		}
	})
}

// TestHoldWithoutItsOwnerIsLifted: a screening hold belongs to the charterer; once the room
// has no charterer party, it says so and a party that moves the status lifts it, with a
// reason, instead of the room being stuck on hold.
func TestHoldWithoutItsOwnerIsLifted(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		r := newScreeningRoom(t, env, "ownerless") // clearing
		must(t, r.screen(env, "outcome", "potential_match", "provider", "Acme Risk", "remark", "name match only"), 201)
		r.status(t, env, r.broker, "clearing", "reviewed", 403) // the charterer's, while there is one
		var parties struct {
			Items []struct {
				ID   string `json:"id"`
				Role string `json:"role"`
			} `json:"items"`
		}
		env.Do("GET", "/api/v1/rooms/"+r.id+"/parties", r.broker, nil).JSON(&parties)
		for _, p := range parties.Items {
			if p.Role == "charterer" {
				must(t, env.Do("DELETE", "/api/v1/rooms/"+r.id+"/parties/"+p.ID, r.broker, nil), 204)
			}
		}
		s := r.summary(t, env)
		if h, _ := s["hold"].(map[string]any); h == nil || h["owner"] != "charterer" || h["owner_present"] != false {
			t.Fatalf("the hold without a charterer: %v", s["hold"])
		}
		r.status(t, env, r.broker, "clearing", "", 422) // still with a reason
		if lifted := r.status(t, env, r.broker, "clearing", "no charterer in this room; compliance cleared the name match by e-mail", 200); lifted["status"] != "clearing" {
			t.Fatalf("lifted: %v", lifted["status"])
		}
	})
}

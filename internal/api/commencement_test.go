package api_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/clearance"
)

// opRoom is an operation of docs/domain.md run through the API: a broker's room with a
// charterer, one owner per ship, a seller, a buyer and the STS provider.
type opRoom struct {
	id                 string
	eta                time.Time
	tokens             map[string]string // role (owner-a, owner-b for the ships' owners) → token
	discharging, recvg string            // vessel IDs
}

// newOpRoom opens a room with fields (title, location and ETA are filled in), its parties
// and both ships, each bound to its owner.
func newOpRoom(t *testing.T, env *apptest.Env, tag string, eta time.Time, fields map[string]any) opRoom {
	t.Helper()
	r := opRoom{eta: eta, tokens: map[string]string{}}
	for _, role := range []string{"broker", "charterer", "owner-a", "owner-b", "seller", "buyer", "sts_provider"} {
		email := role + "-" + tag + "@op.test"
		env.CreateUser(email)
		r.tokens[role] = env.Login(email)
	}
	body := map[string]any{"title": "STS " + tag, "location": "at anchor", "sts_eta": eta.Format(time.RFC3339)}
	for k, v := range fields {
		body[k] = v
	}
	r.id = must(t, env.Do("POST", "/api/v1/rooms", r.tokens["broker"], body), 201)["id"].(string)
	parties := map[string]string{}
	for _, role := range []string{"charterer", "owner-a", "owner-b", "seller", "buyer", "sts_provider"} {
		roomRole, _, _ := strings.Cut(role, "-")
		p := must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/parties", r.tokens["broker"],
			map[string]string{"email": role + "-" + tag + "@op.test", "role": roomRole}), 201)
		parties[role] = p["id"].(string)
	}
	r.discharging = must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/vessels", r.tokens["broker"], map[string]any{"name": "MT AEGEAN SERENITY",
		"imo": "9372145", "role": "discharging", "party_ids": []string{parties["owner-a"]}}), 201)["id"].(string)
	r.recvg = must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/vessels", r.tokens["broker"], map[string]any{"name": "MT LEVANT PIONEER",
		"imo": "9455832", "role": "receiving", "party_ids": []string{parties["owner-b"]}}), 201)["id"].(string)
	must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/status", r.tokens["broker"], map[string]string{"status": "clearing"}), 200)
	return r
}

type opDoc struct {
	ID   string `json:"id"`
	Type struct {
		Code string `json:"code"`
	} `json:"type"`
	VesselID *string `json:"vessel_id"`
	Status   string  `json:"status"`
	Required bool    `json:"required"`
}

func (r opRoom) documents(t *testing.T, env *apptest.Env) []opDoc {
	t.Helper()
	var out struct {
		Items []opDoc `json:"items"`
	}
	res := env.Do("GET", "/api/v1/rooms/"+r.id+"/documents", r.tokens["broker"], nil)
	if res.Status != 200 {
		t.Fatalf("documents: %d %s", res.Status, res.Body)
	}
	res.JSON(&out)
	return out.Items
}

func (r opRoom) codes(t *testing.T, env *apptest.Env) []string {
	var out []string
	for _, d := range r.documents(t, env) {
		if d.Required && !slices.Contains(out, d.Type.Code) {
			out = append(out, d.Type.Code)
		}
	}
	slices.Sort(out)
	return out
}

// supply uploads every required document still missing (but those in skip) by its supplier,
// dated expires (certificates) or performed an hour ago (evidence), and has the broker
// approve it.
func (r opRoom) supply(t *testing.T, env *apptest.Env, expires time.Time, skip ...string) {
	t.Helper()
	var types struct {
		Items []struct {
			Code       string `json:"code"`
			SuppliedBy string `json:"supplied_by"`
			Expiry     string `json:"expiry"`
		} `json:"items"`
	}
	env.Do("GET", "/api/v1/document-types", r.tokens["broker"], nil).JSON(&types)
	for _, d := range r.documents(t, env) {
		if !d.Required || d.Status != "missing" || slices.Contains(skip, d.Type.Code) {
			continue
		}
		i := slices.IndexFunc(types.Items, func(ty struct {
			Code       string `json:"code"`
			SuppliedBy string `json:"supplied_by"`
			Expiry     string `json:"expiry"`
		}) bool {
			return ty.Code == d.Type.Code
		})
		ty := types.Items[i]
		fields := []string{"type", ty.Code}
		supplier := ty.SuppliedBy
		if d.VesselID != nil {
			fields = append(fields, "vessel_id", *d.VesselID)
			if supplier == "owner" {
				supplier = map[bool]string{true: "owner-a", false: "owner-b"}[*d.VesselID == r.discharging]
			}
		}
		switch ty.Expiry {
		case "expires":
			fields = append(fields, "expires_on", expires.Format(time.DateOnly))
		case "point_in_time":
			fields = append(fields, "performed_at", env.Now().Add(-time.Hour).UTC().Format(time.RFC3339))
		}
		fields = append(fields, apptest.ScreeningFields(ty.Code)...)
		must(t, env.Upload(r.id, r.tokens[supplier], fields, ty.Code+".pdf", apptest.PDF(ty.Code)), 201)
		must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/documents/"+d.ID+"/approve", r.tokens["broker"], acknowledgeLapse), 200)
	}
}

// signOffAll has every signing party approve the operation.
func (r opRoom) signOffAll(t *testing.T, env *apptest.Env) {
	t.Helper()
	for _, role := range []string{"charterer", "owner-a", "owner-b", "seller", "buyer", "sts_provider"} {
		signOff(t, env, r.id, r.tokens[role], "approved", "")
	}
}

// signPreOperationChecklists completes checklists 1 and 2 of each ship: its owner answers
// them; both ships' owners and the POAC sign.
func (r opRoom) signPreOperationChecklists(t *testing.T, env *apptest.Env) {
	t.Helper()
	signers := []clSigner{{token: r.tokens["owner-a"]}, {token: r.tokens["owner-b"]}, {token: r.tokens["sts_provider"]}}
	for vessel, owner := range map[string]string{r.discharging: r.tokens["owner-a"], r.recvg: r.tokens["owner-b"]} {
		lists := clListAll(t, env, r.id, owner)
		for _, phase := range clearance.PreOperationPhases() {
			clComplete(t, env, r.id, clPick(t, lists, vessel, phase), owner, signers...)
		}
	}
}

func (r opRoom) notice(t *testing.T, env *apptest.Env, vessel, kind, ref string, at time.Time) {
	t.Helper()
	owner := map[bool]string{true: r.tokens["owner-a"], false: r.tokens["owner-b"]}[vessel == r.discharging]
	must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/notices", owner,
		map[string]any{"vessel_id": vessel, "kind": kind, "notified_at": at.UTC().Format(time.RFC3339), "reference": ref}), 201)
}

func (r opRoom) summary(t *testing.T, env *apptest.Env) map[string]any {
	t.Helper()
	return must(t, env.Do("GET", "/api/v1/rooms/"+r.id+"/summary", r.tokens["broker"], nil), 200)
}

// commence asks for in_operation and returns the answer's status and body.
func (r opRoom) commence(env *apptest.Env) (int, string) {
	res := env.Do("POST", "/api/v1/rooms/"+r.id+"/status", r.tokens["broker"], map[string]string{"status": "in_operation"})
	return res.Status, string(res.Body)
}

// TestMaltaHappyPath: the domain's Malta operation from an empty room to in_operation. The
// room clears once its high-criticality documents are approved and every party has signed,
// and commences only when its medium documents, both ships' notices to Malta and their first
// two checklists are in, each refusal saying what is missing and who acts.
func TestMaltaHappyPath(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		eta := env.Now().Add(4 * 24 * time.Hour).UTC().Truncate(time.Hour)
		r := newOpRoom(t, env, "malta", eta, map[string]any{"coastal_area": "MT-HURDS", "cargo_class": "oil", "duration_hours": 36})
		room := must(t, env.Do("GET", "/api/v1/rooms/"+r.id, r.tokens["charterer"], nil), 200)
		if room["cargo_class"] != "oil" || room["coastal_area"] != "MT-HURDS" || room["duration_hours"] != 36.0 ||
			room["sts_end"] != eta.Add(36*time.Hour).Format(time.RFC3339) {
			t.Fatalf("room: %v", room)
		}
		// Medium documents (ISSC, BUNKER, HM, CREW, POAC, MSDS) are left out for now.
		r.supply(t, env, eta.AddDate(1, 0, 0), "ISSC", "BUNKER", "HM", "CREW", "POAC", "MSDS")
		s := r.summary(t, env)
		if s["cleared"] != false || !strings.Contains(blockerText(s), "awaited") {
			t.Fatalf("before the sign-offs: %v %s", s["cleared"], blockerText(s))
		}
		r.signOffAll(t, env)
		s = r.summary(t, env)
		if s["status"] != "cleared" || s["cleared"] != true || s["may_commence"] != false || len(gateBlockers(s, "clearance")) != 0 {
			t.Fatalf("high documents approved and signed: %v %v %s", s["status"], s["cleared"], blockerText(s))
		}
		commencement := gateBlockers(s, "commencement")
		wants := map[string]string{ // a reason fragment → the roles that act
			"ISPS International Ship Security Certificate — MT AEGEAN SERENITY: missing": "owner",
			"MT AEGEAN SERENITY: no notice to Malta — Hurd's Bank recorded":              "broker owner",
			"checklist 1 (Pre-fixture information) of MT LEVANT PIONEER":                 "owner sts_provider",
			"Safety data sheet of cargo (and previous cargo): missing":                   "seller",
		}
		for fragment, want := range wants {
			found := false
			for _, b := range commencement {
				if strings.Contains(b["reason"].(string), fragment) {
					found = true
					if got := actBy(b); got != want {
						t.Errorf("%q: act_by %s, want %s", fragment, got, want)
					}
				}
			}
			if !found {
				t.Errorf("commencement blockers lack %q: %s", fragment, blockerText(s))
			}
		}
		if status, body := r.commence(env); status != 409 || !strings.Contains(body, "the room cannot be in_operation yet: ") || !strings.Contains(body, "more)") {
			t.Fatalf("commence without the medium documents: %d %s", status, body)
		}
		// The JSON record says the same: the window, the state, and each blocker's gate.
		snap := must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/snapshots", r.tokens["broker"], map[string]string{"snapshot_type": "json"}), 202)
		var record struct {
			Room struct {
				STSEnd          time.Time `json:"sts_end"`
				CargoClass      string    `json:"cargo_class"`
				CoastalArea     string    `json:"coastal_area"`
				CoastalAreaName string    `json:"coastal_area_name"`
			} `json:"room"`
			Blockers []struct {
				Gate string `json:"gate"`
			} `json:"blockers"`
		}
		if err := json.Unmarshal(download(t, env, r.tokens["broker"], waitSnapshot(t, env, r.tokens["broker"], r.id, snap["id"].(string))), &record); err != nil {
			t.Fatal(err)
		}
		if rm := record.Room; !rm.STSEnd.Equal(eta.Add(36*time.Hour)) || rm.CargoClass != "oil" || rm.CoastalArea != "MT-HURDS" ||
			rm.CoastalAreaName != "Malta — Hurd's Bank" || len(record.Blockers) != len(commencement) || record.Blockers[0].Gate != "commencement" {
			t.Fatalf("the JSON snapshot: %+v", record)
		}

		r.supply(t, env, eta.AddDate(1, 0, 0))
		r.signPreOperationChecklists(t, env)
		r.notice(t, env, r.discharging, "notice", "MT-AS-1", env.Now().Add(-time.Hour))
		if status, body := r.commence(env); status != 409 || !strings.Contains(body, "MT LEVANT PIONEER: no notice to Malta") {
			t.Fatalf("commence without the receiving ship's notice: %d %s", status, body)
		}
		r.notice(t, env, r.recvg, "notice", "MT-LP-1", env.Now().Add(-time.Hour))
		// The ETA slips 9.5 h after the notices: Malta must be told again, which re-evaluates
		// everything at once and is in the trail.
		eta = eta.Add(9*time.Hour + 30*time.Minute)
		must(t, env.Do("PATCH", "/api/v1/rooms/"+r.id, r.tokens["broker"], map[string]any{"sts_eta": eta.Format(time.RFC3339)}), 200)
		if status, body := r.commence(env); status != 409 || !strings.Contains(body, "the ETA moved 9.5 h since notice MT-AS-1, more than the 6 h allowed") {
			t.Fatalf("commence after the ETA moved: %d %s", status, body)
		}
		if room := must(t, env.Do("GET", "/api/v1/rooms/"+r.id, r.tokens["broker"], nil), 200); room["sts_end"] != eta.Add(36*time.Hour).Format(time.RFC3339) {
			t.Fatalf("the window moves with the ETA: %v", room["sts_end"])
		}
		r.notice(t, env, r.discharging, "notice", "MT-AS-2", env.Now().Add(-time.Hour))
		r.notice(t, env, r.recvg, "notice", "MT-LP-2", env.Now().Add(-time.Hour))
		s = r.summary(t, env)
		if s["may_commence"] != true || len(s["blockers"].([]any)) != 0 {
			t.Fatalf("everything in: %v %s", s["may_commence"], blockerText(s))
		}
		if status, body := r.commence(env); status != 200 {
			t.Fatalf("commence: %d %s", status, body)
		}
	})
}

// actBy is a blocker's act_by as space-separated roles.
func actBy(b map[string]any) string {
	var roles []string
	for _, r := range b["act_by"].([]any) {
		roles = append(roles, r.(string))
	}
	return strings.Join(roles, " ")
}

// readyButCoastal is a room whose documents, sign-offs and first checklists are all in.
func readyButCoastal(t *testing.T, env *apptest.Env, tag string, fields map[string]any) opRoom {
	t.Helper()
	eta := env.Now().Add(4 * 24 * time.Hour).UTC().Truncate(time.Hour)
	r := newOpRoom(t, env, tag, eta, fields)
	r.supply(t, env, eta.AddDate(1, 0, 0))
	r.signOffAll(t, env)
	r.signPreOperationChecklists(t, env)
	return r
}

// TestWrittenPermissionState: in Malaysian waters a notice is not enough; the operation
// commences once each ship's written permission is recorded.
func TestWrittenPermissionState(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		r := readyButCoastal(t, env, "linggi", map[string]any{"coastal_area": "MY-LINGGI"})
		r.notice(t, env, r.discharging, "notice", "MY-N-1", env.Now().Add(-time.Hour))
		r.notice(t, env, r.recvg, "notice", "MY-N-2", env.Now().Add(-time.Hour))
		s := r.summary(t, env)
		if s["status"] != "cleared" || s["may_commence"] != false {
			t.Fatalf("notices only: %v %v %s", s["status"], s["may_commence"], blockerText(s))
		}
		if status, body := r.commence(env); status != 409 ||
			!strings.Contains(body, "MT AEGEAN SERENITY: written permission of Malaysia — Tanjung Linggi is required before the operation; none is recorded (only notice MY-N-1)") {
			t.Fatalf("commence on notices: %d %s", status, body)
		}
		r.notice(t, env, r.discharging, "permission", "MD-PERMIT-114", env.Now().Add(-time.Hour))
		if status, body := r.commence(env); status != 409 || strings.Contains(body, "AEGEAN") || !strings.Contains(body, "LEVANT PIONEER: written permission") {
			t.Fatalf("one permission: %d %s", status, body)
		}
		r.notice(t, env, r.recvg, "permission", "MD-PERMIT-115", env.Now().Add(-time.Hour))
		if status, body := r.commence(env); status != 200 {
			t.Fatalf("both permissions: %d %s", status, body)
		}
		notices := must(t, env.Do("GET", "/api/v1/rooms/"+r.id+"/notices", r.tokens["buyer"], nil), 200)["items"].([]any)
		if kind := notices[0].(map[string]any)["kind"]; kind != "permission" {
			t.Fatalf("latest record kind = %v", kind)
		}
	})
}

// TestLNGOperation: a gas operation never asks for an oil-only document (IOPP, CLC), gets
// the gas documents, and is not held to MARPOL Annex I's notice in Malta's waters; a room
// that changes class follows with its requirements.
func TestLNGOperation(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		r := readyButCoastal(t, env, "lng", map[string]any{"coastal_area": "MT-HURDS", "cargo_class": "gas"})
		codes := r.codes(t, env)
		for _, oilOnly := range []string{"IOPP", "CLC"} {
			if slices.Contains(codes, oilOnly) {
				t.Errorf("a gas room requires %s: %v", oilOnly, codes)
			}
		}
		res := env.Upload(r.id, r.tokens["owner-a"], []string{"type", "IOPP", "vessel_id", r.discharging, "expires_on", "2030-01-01"}, "iopp.pdf", apptest.PDF("IOPP"))
		if res.Status != 422 || !strings.Contains(string(res.Body), "IOPP does not apply to gas operations") {
			t.Errorf("an IOPP upload into a gas room: %d %s", res.Status, res.Body)
		}
		if status, body := r.commence(env); status != 200 {
			t.Fatalf("a gas operation in Malta's waters, no Annex I notice: %d %s", status, body)
		}

		// An oil room turned gas waives its oil-only papers, and back again requires them.
		eta := env.Now().Add(4 * 24 * time.Hour).UTC().Truncate(time.Hour)
		oil := newOpRoom(t, env, "oil2gas", eta, map[string]any{"coastal_area": "MT-HURDS"})
		if codes := oil.codes(t, env); !slices.Contains(codes, "IOPP") || !slices.Contains(codes, "CLC") {
			t.Fatalf("an oil room lacks IOPP or CLC: %v", codes)
		}
		must(t, env.Do("PATCH", "/api/v1/rooms/"+oil.id, oil.tokens["broker"], map[string]any{"cargo_class": "gas"}), 200)
		if codes := oil.codes(t, env); slices.Contains(codes, "IOPP") || slices.Contains(codes, "CLC") {
			t.Fatalf("turned gas, still requires: %v", codes)
		}
		must(t, env.Do("PATCH", "/api/v1/rooms/"+oil.id, oil.tokens["broker"], map[string]any{"cargo_class": "oil"}), 200)
		if codes := oil.codes(t, env); !slices.Contains(codes, "IOPP") || !slices.Contains(codes, "CLC") {
			t.Fatalf("back to oil, lacks IOPP or CLC: %v", codes)
		}
		must(t, env.Do("PATCH", "/api/v1/rooms/"+oil.id, oil.tokens["broker"], map[string]any{"cargo_class": "coal"}), 422)
	})
}

// TestFourDayOperationWindow: a lightering of four days needs its certificates valid through
// all four; shortening the window re-evaluates the room at once, in the trail.
func TestFourDayOperationWindow(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		eta := env.Now().Add(4 * 24 * time.Hour).UTC().Truncate(time.Hour)
		r := newOpRoom(t, env, "fourday", eta, map[string]any{"coastal_area": "HIGH_SEAS", "duration_hours": 96})
		// Every certificate runs out three days after the ETA: inside a four-day window.
		r.supply(t, env, eta.Add(72*time.Hour))
		r.signOffAll(t, env)
		s := r.summary(t, env)
		if s["status"] != "clearing" || !strings.Contains(blockerText(s), "before the operation ends") {
			t.Fatalf("four days: %v %s", s["status"], blockerText(s))
		}
		end := eta.Add(48 * time.Hour)
		room := must(t, env.Do("PATCH", "/api/v1/rooms/"+r.id, r.tokens["broker"], map[string]any{"sts_end": end.Format(time.RFC3339)}), 200)
		if room["status"] != "cleared" || room["duration_hours"] != 48.0 {
			t.Fatalf("two days: %v %v", room["status"], room["duration_hours"])
		}
		trail := must(t, env.Do("GET", "/api/v1/rooms/"+r.id+"/activities?limit=5", r.tokens["broker"], nil), 200)["items"].([]any)
		var actions []string
		for _, e := range trail {
			actions = append(actions, e.(map[string]any)["action"].(string))
		}
		if !slices.Contains(actions, "room_updated") || !slices.Contains(actions, "room_status_changed") {
			t.Fatalf("trail: %v", actions)
		}
		for _, bad := range []map[string]any{
			{"duration_hours": 0}, {"duration_hours": 1441}, {"sts_end": eta.Add(-time.Hour).Format(time.RFC3339)},
			{"sts_end": end.Format(time.RFC3339), "duration_hours": 47},
		} {
			if res := env.Do("PATCH", "/api/v1/rooms/"+r.id, r.tokens["broker"], bad); res.Status != 422 {
				t.Errorf("%v: %d %s", bad, res.Status, res.Body)
			}
		}
	})
}

// TestExpiringListsEvidence: the expiring list names point-in-time evidence about to age out
// beside dated certificates, soonest first; evidence well within its age is not listed.
func TestExpiringListsEvidence(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		eta := env.Now().Add(10 * 24 * time.Hour).UTC().Truncate(time.Hour)
		r := newOpRoom(t, env, "expiring", eta, map[string]any{"coastal_area": "MT-HURDS"})
		ago := func(d time.Duration) string { return env.Now().Add(-d).UTC().Format(time.RFC3339) }
		uploads := []struct {
			by     string
			fields []string
		}{
			// The sanctions screening (7 days acceptable) ages out in 2 days.
			{"charterer", append([]string{"type", "SANCTIONS", "vessel_id", r.discharging, "performed_at", ago(5 * 24 * time.Hour)},
				apptest.ScreeningFields("SANCTIONS")...)},
			// The P&I certificate expires in four days.
			{"owner-a", []string{"type", "PI_COE", "vessel_id", r.discharging, "expires_on", env.Now().AddDate(0, 0, 4).Format(time.DateOnly)}},
			// A fresh SIRE report (180 days) is nowhere near its limit.
			{"owner-a", []string{"type", "SIRE", "vessel_id", r.discharging, "performed_at", ago(24 * time.Hour)}},
		}
		for _, u := range uploads {
			d := must(t, env.Upload(r.id, r.tokens[u.by], u.fields, u.fields[1]+".pdf", apptest.PDF(u.fields[1])), 201)
			must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/documents/"+d["id"].(string)+"/approve", r.tokens["broker"], acknowledgeLapse), 200)
		}
		items := must(t, env.Do("GET", "/api/v1/documents/expiring?days=30", r.tokens["broker"], nil), 200)["items"].([]any)
		var codes []string
		for _, it := range items {
			codes = append(codes, it.(map[string]any)["type"].(map[string]any)["code"].(string))
		}
		if !slices.Equal(codes, []string{"SANCTIONS", "PI_COE"}) {
			t.Fatalf("expiring = %v, want the screening first, then the certificate", codes)
		}
		// Confidential evidence stays confidential: the buyer does not see the screening.
		items = must(t, env.Do("GET", "/api/v1/documents/expiring?days=30", r.tokens["buyer"], nil), 200)["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["type"].(map[string]any)["code"] != "PI_COE" {
			t.Fatalf("the buyer's list: %v", items)
		}
	})
}

// TestSkawPILapsesAtNoon: in the P&I expiry wave a certificate of entry ends at 12:00 GMT on
// its expiry date, not at midnight. A Skaw operation whose window ends at 11:59 that day
// clears and commences; one ending at 12:01 does not clear; and when noon passes during the
// operation, the certificate shows expired.
func TestSkawPILapsesAtNoon(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		day := env.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 5) // "20 February"
		noon := day.Add(12 * time.Hour)
		eta := day.Add(-18 * time.Hour) // 06:00 the day before
		r := newOpRoom(t, env, "skaw", eta, map[string]any{"coastal_area": "DK-SKAW"})
		r.supply(t, env, eta.AddDate(1, 0, 0))
		var pi string
		for _, d := range r.documents(t, env) {
			if d.Type.Code == "PI_COE" && *d.VesselID == r.discharging {
				pi = d.ID
			}
		}
		must(t, env.Upload(r.id, r.tokens["owner-a"], []string{"type", "PI_COE", "vessel_id", r.discharging, "expires_on", day.Format(time.DateOnly)},
			"pi.pdf", apptest.PDF("P&I 2025/26")), 201)
		doc := must(t, env.Do("POST", "/api/v1/rooms/"+r.id+"/documents/"+pi+"/approve", r.tokens["broker"], acknowledgeLapse), 200)
		if doc["valid_until"] != noon.Format(time.RFC3339) {
			t.Fatalf("valid_until = %v, want %s", doc["valid_until"], noon.Format(time.RFC3339))
		}
		r.signOffAll(t, env)
		// The default 48 h window ends the day after: the certificate lapses inside it.
		want := "P&I certificate of entry — MT AEGEAN SERENITY: expires on " + day.Format(time.DateOnly) + " at 12:00 GMT, before the operation ends"
		if s := r.summary(t, env); s["cleared"] != false || !strings.Contains(blockerText(s), want) {
			t.Fatalf("a 48 h window: %v %s", s["cleared"], blockerText(s))
		}
		for _, c := range []struct {
			end     time.Time
			cleared bool
		}{{noon.Add(time.Minute), false}, {noon.Add(-time.Minute), true}} {
			room := must(t, env.Do("PATCH", "/api/v1/rooms/"+r.id, r.tokens["broker"], map[string]any{"sts_end": c.end.Format(time.RFC3339)}), 200)
			if (room["status"] == "cleared") != c.cleared {
				t.Fatalf("window ending %s: %v, want cleared %v", c.end.Format("15:04"), room["status"], c.cleared)
			}
		}
		r.signPreOperationChecklists(t, env)
		r.notice(t, env, r.discharging, "notice", "DK-1", env.Now().Add(-time.Hour))
		r.notice(t, env, r.recvg, "notice", "DK-2", env.Now().Add(-time.Hour))
		if status, body := r.commence(env); status != 200 {
			t.Fatalf("commence: %d %s", status, body)
		}
		// Noon passes while the ships are alongside (the operation overran its window).
		env.Advance(noon.Add(-time.Minute).Sub(env.Now()))
		broker := env.Login("broker-skaw@op.test")
		for _, c := range []struct{ at, status string }{{"11:59", "approved"}, {"12:01", "expired"}} {
			got := must(t, env.Do("GET", "/api/v1/rooms/"+r.id+"/documents/"+pi, broker, nil), 200)
			if got["status"] != c.status {
				t.Fatalf("at %s the P&I certificate is %v, want %s", c.at, got["status"], c.status)
			}
			env.Advance(2 * time.Minute)
		}
	})
}

// TestInformativeDocumentsStayConfidential: a low-criticality document blocks nothing and is
// named among the warnings — only to those who may see it; the others are told a count.
func TestInformativeDocumentsStayConfidential(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		admin := env.Login(apptest.AdminEmail)
		must(t, env.Do("POST", "/api/v1/document-types", admin, map[string]any{"code": "TERMINAL_LETTER", "name": "Terminal acceptance letter",
			"supplied_by": "charterer", "scope": "room", "criticality": "low", "expiry": "none", "required_by_default": true,
			"visible_to": []string{"broker", "charterer"}}), 201)
		eta := env.Now().Add(4 * 24 * time.Hour).UTC().Truncate(time.Hour)
		r := newOpRoom(t, env, "letter", eta, map[string]any{"coastal_area": "HIGH_SEAS"})
		note := "Terminal acceptance letter: missing (informative; blocks nothing)"
		s := r.summary(t, env)
		if !slices.Contains(toStrings(s["warnings"]), note) || strings.Contains(blockerText(s), "Terminal") {
			t.Fatalf("the broker's summary: %v | %s", s["warnings"], blockerText(s))
		}
		seller := must(t, env.Do("GET", "/api/v1/rooms/"+r.id+"/summary", r.tokens["seller"], nil), 200)
		warnings := strings.Join(toStrings(seller["warnings"]), " | ")
		if strings.Contains(warnings, "Terminal") || !strings.Contains(warnings, "you do not see them") {
			t.Fatalf("the seller's warnings: %s", warnings)
		}
	})
}

func toStrings(v any) []string {
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
)

// checklistsOf lists a room's checklists as token sees them.
func clListAll(t *testing.T, env *apptest.Env, room, token string) []map[string]any {
	t.Helper()
	var out struct {
		Items []map[string]any `json:"items"`
	}
	res := env.Do("GET", "/api/v1/rooms/"+room+"/checklists", token, nil)
	if res.Status != 200 {
		t.Fatalf("list checklists: %d %s", res.Status, res.Body)
	}
	res.JSON(&out)
	return out.Items
}

// checklistOf picks a vessel's checklist of phase out of a list.
func clPick(t *testing.T, lists []map[string]any, vessel string, phase int) map[string]any {
	t.Helper()
	for _, c := range lists {
		if c["vessel_id"] == vessel && c["phase"] == float64(phase) {
			return c
		}
	}
	t.Fatalf("no checklist %d for vessel %s in %v", phase, vessel, lists)
	return nil
}

func clItems(c map[string]any) []map[string]any {
	var out []map[string]any
	for _, it := range c["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

// clSigner is who signs a checklist for which side ("" for the signer's only one).
type clSigner struct{ token, side string }

// clComplete answers every item of checklist c yes, as answerer, and has each signer sign it.
func clComplete(t *testing.T, env *apptest.Env, room string, c map[string]any, answerer string, signers ...clSigner) {
	t.Helper()
	path := "/api/v1/rooms/" + room + "/checklists/" + c["id"].(string)
	for _, it := range clItems(c) {
		must(t, env.Do("POST", path+"/items/"+it["id"].(string), answerer, map[string]any{"answer": "yes"}), 200)
	}
	for _, s := range signers {
		var body any
		if s.side != "" {
			body = map[string]string{"side": s.side}
		}
		must(t, env.Do("POST", path+"/sign", s.token, body), 200)
	}
}

func clTexts(c map[string]any) []string {
	var out []string
	for _, it := range clItems(c) {
		out = append(out, it["text"].(string))
	}
	return out
}

// auditActions lists the actions of a room's trail, oldest first.
func clTrail(t *testing.T, env *apptest.Env, room, token string) []string {
	t.Helper()
	var out struct {
		Items []struct {
			Action string `json:"action"`
		} `json:"items"`
	}
	env.Do("GET", "/api/v1/rooms/"+room+"/activities?limit=200", token, nil).JSON(&out)
	var actions []string
	for i := len(out.Items) - 1; i >= 0; i-- {
		actions = append(actions, out.Items[i].Action)
	}
	return actions
}

func clCount(items []string, s string) int {
	n := 0
	for _, it := range items {
		if it == s {
			n++
		}
	}
	return n
}

type clParties struct {
	broker, owner, provider, charterer, buyer, outsider string
	ownerParty                                          string // add vessels with it in party_ids
}

func clRoom(t *testing.T, env *apptest.Env) (string, clParties) {
	t.Helper()
	var p clParties
	for _, who := range []struct {
		token *string
		email string
	}{
		{&p.broker, "broker@valletta.test"}, {&p.owner, "ops@aegean.test"}, {&p.provider, "poac@hurd.test"},
		{&p.charterer, "vetting@mediterra.test"}, {&p.buyer, "ops@adriatic.test"}, {&p.outsider, "nobody@else.test"},
	} {
		env.CreateUser(who.email)
		*who.token = env.Login(who.email)
	}
	room := newRoom(t, env, p.broker)
	for email, role := range map[string]string{"ops@aegean.test": "owner", "poac@hurd.test": "sts_provider",
		"vetting@mediterra.test": "charterer", "ops@adriatic.test": "buyer"} {
		party := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/parties", p.broker, map[string]string{"email": email, "role": role}), 201)
		if role == "owner" {
			p.ownerParty = party["id"].(string)
		}
	}
	return room, p
}

func TestChecklists(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		room, p := clRoom(t, env)
		path := "/api/v1/rooms/" + room + "/checklists/"

		// The templates: phases 1–5 of the STS Transfer Guide, readable by anyone signed in.
		var templates struct {
			Items []struct {
				ID       string `json:"id"`
				Phase    int    `json:"phase"`
				Title    string `json:"title"`
				Position int    `json:"position"`
				Text     string `json:"text"`
				Active   bool   `json:"active"`
			} `json:"items"`
		}
		env.Do("GET", "/api/v1/checklist-templates", p.buyer, nil).JSON(&templates)
		perPhase := map[int][]string{}
		for _, tp := range templates.Items {
			perPhase[tp.Phase] = append(perPhase[tp.Phase], tp.Text)
		}
		if len(perPhase) != 5 || len(perPhase[1]) < 15 || templates.Items[0].Title != "Pre-fixture information" {
			t.Fatalf("templates: %d phases, %d items in phase 1, first %+v", len(perPhase), len(perPhase[1]), templates.Items[0])
		}

		// No vessel, no checklists; a vessel brings one checklist per phase with the template items.
		if lists := clListAll(t, env, room, p.buyer); len(lists) != 0 {
			t.Fatalf("checklists before any vessel: %v", lists)
		}
		vessel := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/vessels", p.broker,
			map[string]any{"name": "MT AEGEAN SERENITY", "imo": "9372145", "role": "discharging", "party_ids": []string{p.ownerParty}}), 201)["id"].(string)
		lists := clListAll(t, env, room, p.buyer)
		if len(lists) != 5 {
			t.Fatalf("%d checklists, want 5: %v", len(lists), lists)
		}
		titles := []string{"", "Pre-fixture information", "Before operations commence", "Before run-in and mooring", "Before cargo transfer", "Before unmooring"}
		for i, c := range lists {
			phase := i + 1
			if c["phase"] != float64(phase) || c["title"] != titles[phase] || c["vessel_id"] != vessel || c["vessel_name"] != "MT AEGEAN SERENITY" ||
				c["complete"] != false || c["answered"] != false || len(c["signatures"].([]any)) != 2 {
				t.Errorf("checklist %d: %v", phase, c)
			}
			if got := clTexts(c); strings.Join(got, "|") != strings.Join(perPhase[phase], "|") {
				t.Errorf("checklist %d items:\n got %q\nwant %q", phase, got, perPhase[phase])
			}
			for j, it := range clItems(c) {
				if it["position"] != float64(j+1) || it["answer"] != nil || it["checked"] != false || it["answered_by"] != nil || it["answered_at"] != nil {
					t.Errorf("checklist %d item %d: %v", phase, j, it)
				}
			}
		}

		// The owner answers every item of checklist 1 yes; the checklist may then be signed, by
		// the ship's side and the POAC (a one-ship room so far).
		one := clPick(t, lists, vessel, 1)
		oneID := one["id"].(string)
		var last map[string]any
		for _, it := range clItems(one) {
			last = must(t, env.Do("POST", path+oneID+"/items/"+it["id"].(string), p.owner, map[string]any{"answer": "yes"}), 200)
		}
		if last["answered"] != true || last["signable"] != true || last["complete"] != false ||
			last["lacks"] != "awaits the signatures of MT AEGEAN SERENITY's side and the POAC" {
			t.Fatalf("checklist 1 after answering every item: %v", last)
		}
		first := clItems(last)[0]
		if first["answer"] != "yes" || first["checked"] != true || first["answered_by"] != "ops@aegean.test" || first["answered_at"] == nil || first["required"] != true {
			t.Fatalf("answered item: %v", first)
		}
		// Giving an item the answer it has changes nothing and records nothing.
		before := clTrail(t, env, room, p.broker)
		again := must(t, env.Do("POST", path+oneID+"/items/"+first["id"].(string), p.provider, map[string]any{"answer": "yes"}), 200)
		if clItems(again)[0]["answered_by"] != "ops@aegean.test" || len(clTrail(t, env, room, p.broker)) != len(before) {
			t.Fatalf("answering an item the same again changed it: %v", clItems(again)[0])
		}
		// A "no" to a required item stops signing; "not applicable", with a remark, does not.
		no := must(t, env.Do("POST", path+oneID+"/items/"+first["id"].(string), p.provider,
			map[string]any{"answer": "no", "remark": "Q88 of the receiving ship not yet received"}), 200)
		if no["signable"] != false || !strings.Contains(no["lacks"].(string), "required item 1 answered no") || clItems(no)[0]["remark"] != "Q88 of the receiving ship not yet received" {
			t.Fatalf("after a no: %v", no)
		}
		res := env.Do("POST", path+oneID+"/sign", p.owner, nil)
		if res.Status != 409 || !strings.Contains(string(res.Body), "required item 1 answered no") {
			t.Fatalf("signing over a no: %d %s", res.Status, res.Body)
		}
		must(t, env.Do("POST", path+oneID+"/items/"+first["id"].(string), p.owner, map[string]any{"answer": "not_applicable", "remark": "single-ship room"}), 200)
		must(t, env.Do("POST", path+oneID+"/items/"+first["id"].(string), p.owner, map[string]any{"answer": "maybe"}), 422)
		must(t, env.Do("POST", path+oneID+"/items/"+first["id"].(string), p.owner, map[string]any{"answer": "yes", "remark": strings.Repeat("r", 1001)}), 422)

		// The owner signs for its ship (its only side), the POAC for the POAC: complete.
		signed := must(t, env.Do("POST", path+oneID+"/sign", p.owner, nil), 200)
		sigs := signed["signatures"].([]any)
		if len(sigs) != 2 || sigs[0].(map[string]any)["side"] != vessel || sigs[0].(map[string]any)["signed"] != true ||
			sigs[0].(map[string]any)["signed_by"].(map[string]any)["email"] != "ops@aegean.test" || sigs[1].(map[string]any)["signed"] != false ||
			signed["complete"] != false || signed["lacks"] != "awaits the signature of the POAC" {
			t.Fatalf("signed by the ship: %v", signed)
		}
		// Once signed, the answers are fixed, for everyone.
		must(t, env.Do("POST", path+oneID+"/items/"+first["id"].(string), p.owner, map[string]any{"answer": "yes"}), 409)
		must(t, env.Do("POST", path+oneID+"/items/"+first["id"].(string), p.provider, map[string]any{"answer": nil}), 409)
		// A side signs once; the owner may not sign for the POAC, nor the POAC for a ship.
		must(t, env.Do("POST", path+oneID+"/sign", p.owner, nil), 409)
		must(t, env.Do("POST", path+oneID+"/sign", p.owner, map[string]string{"side": "poac"}), 403)
		must(t, env.Do("POST", path+oneID+"/sign", p.provider, map[string]string{"side": vessel}), 403)
		must(t, env.Do("POST", path+oneID+"/sign", p.provider, map[string]string{"side": "v-of-nowhere"}), 422)
		complete := must(t, env.Do("POST", path+oneID+"/sign", p.provider, nil), 200)
		if complete["complete"] != true || complete["lacks"] != "" {
			t.Fatalf("signed by both sides: %v", complete)
		}
		actions := clTrail(t, env, room, p.broker)
		if n := clCount(actions, "checklist_item_answered"); n != len(clItems(one))+2 || clCount(actions, "checklist_signed") != 2 {
			t.Fatalf("trail: %d answered, %d signed: %v", n, clCount(actions, "checklist_signed"), actions)
		}

		// Checklist 2 with one item left unanswered cannot be signed.
		two := clPick(t, lists, vessel, 2)
		twoID := two["id"].(string)
		twoItems := clItems(two)
		for _, it := range twoItems[:len(twoItems)-1] {
			must(t, env.Do("POST", path+twoID+"/items/"+it["id"].(string), p.charterer, map[string]any{"answer": "yes"}), 200)
		}
		res = env.Do("POST", path+twoID+"/sign", p.provider, nil)
		if res.Status != 409 || !strings.Contains(string(res.Body), "1 of "+fmt.Sprint(len(twoItems))+" items not answered") {
			t.Fatalf("signing with an unanswered item: %d %s", res.Status, res.Body)
		}
		// Clearing an answer is recorded; clearing it again is not. Older clients' checked=false clears too.
		cleared := must(t, env.Do("POST", path+twoID+"/items/"+twoItems[0]["id"].(string), p.provider, map[string]any{"answer": nil}), 200)
		if it := clItems(cleared)[0]; it["answer"] != nil || it["checked"] != false || it["answered_by"] != nil || it["answered_at"] != nil {
			t.Fatalf("cleared item: %v", it)
		}
		must(t, env.Do("POST", path+twoID+"/items/"+twoItems[0]["id"].(string), p.provider, map[string]bool{"checked": false}), 200)
		if n := clCount(clTrail(t, env, room, p.broker), "checklist_item_unchecked"); n != 1 {
			t.Fatalf("%d cleared entries, want 1", n)
		}
		if it := clItems(must(t, env.Do("POST", path+twoID+"/items/"+twoItems[0]["id"].(string), p.provider, map[string]bool{"checked": true}), 200))[0]; it["answer"] != "yes" {
			t.Fatalf("checked=true is a yes: %v", it)
		}

		// Who may: the buyer and the broker may not answer, the charterer may not sign, an outsider sees nothing.
		item := twoItems[1]["id"].(string)
		must(t, env.Do("POST", path+twoID+"/items/"+item, p.buyer, map[string]any{"answer": "no"}), 403)
		must(t, env.Do("POST", path+twoID+"/items/"+item, p.broker, map[string]any{"answer": "no"}), 403)
		must(t, env.Do("POST", path+twoID+"/sign", p.charterer, nil), 403)
		must(t, env.Do("POST", path+twoID+"/items/"+item, p.outsider, map[string]any{"answer": "no"}), 404)
		must(t, env.Do("GET", "/api/v1/rooms/"+room+"/checklists", p.outsider, nil), 404)
		// Unknown IDs, and an item of another checklist, are not found.
		must(t, env.Do("POST", path+twoID+"/items/"+first["id"].(string), p.owner, map[string]any{"answer": "yes"}), 404)
		must(t, env.Do("POST", path+"nope/items/"+item, p.owner, map[string]any{"answer": "yes"}), 404)
		must(t, env.Do("POST", path+"nope/sign", p.owner, nil), 404)

		// An admin adds a template item: vessels added afterwards get it, earlier checklists do not change.
		must(t, env.Do("POST", "/api/v1/checklist-templates", p.owner, map[string]any{"phase": 2, "text": "Pilot ladder rigged"}), 403)
		adminToken := env.Login(apptest.AdminEmail)
		for _, bad := range []map[string]any{{"phase": 6, "text": "x"}, {"phase": 2, "text": "   "}, {"phase": 2, "text": "x", "position": 0}} {
			if res := env.Do("POST", "/api/v1/checklist-templates", adminToken, bad); res.Status != 422 {
				t.Errorf("template %v: %d %s", bad, res.Status, res.Body)
			}
		}
		added := must(t, env.Do("POST", "/api/v1/checklist-templates", adminToken, map[string]any{"phase": 2, "text": "  Pilot ladder rigged "}), 201)
		if added["phase"] != 2.0 || added["text"] != "Pilot ladder rigged" || added["position"] != float64(len(perPhase[2])+1) || added["active"] != true {
			t.Fatalf("added template: %v", added)
		}
		// Renaming an item of checklist 1 does not touch the room's copy either.
		renamed := must(t, env.Do("PATCH", "/api/v1/checklist-templates/"+templates.Items[0].ID, adminToken, map[string]any{"text": "Q88 exchanged"}), 200)
		if renamed["text"] != "Q88 exchanged" || renamed["phase"] != 1.0 {
			t.Fatalf("renamed template: %v", renamed)
		}
		must(t, env.Do("PATCH", "/api/v1/checklist-templates/"+templates.Items[0].ID, p.broker, map[string]any{"text": "x"}), 403)
		must(t, env.Do("PATCH", "/api/v1/checklist-templates/nope", adminToken, map[string]any{"text": "x"}), 404)
		second := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/vessels", p.broker,
			map[string]any{"name": "MT LEVANT PIONEER", "imo": "9455832", "role": "receiving"}), 201)["id"].(string)
		lists = clListAll(t, env, room, p.buyer)
		if len(lists) != 10 {
			t.Fatalf("%d checklists with two vessels", len(lists))
		}
		newTwo := clTexts(clPick(t, lists, second, 2))
		if len(newTwo) != len(perPhase[2])+1 || newTwo[len(newTwo)-1] != "Pilot ladder rigged" {
			t.Errorf("new vessel's checklist 2: %q", newTwo)
		}
		if got := clTexts(clPick(t, lists, second, 1))[0]; got != "Q88 exchanged" {
			t.Errorf("new vessel's first item: %q", got)
		}
		if got := clTexts(clPick(t, lists, vessel, 2)); strings.Join(got, "|") != strings.Join(perPhase[2], "|") {
			t.Errorf("earlier vessel's checklist 2 changed: %q", got)
		}
		if got := clTexts(clPick(t, lists, vessel, 1))[0]; got != perPhase[1][0] {
			t.Errorf("earlier vessel's first item changed: %q", got)
		}
		// A deactivated item stays listed, marked inactive, and is not copied any more.
		off := must(t, env.Do("PATCH", "/api/v1/checklist-templates/"+added["id"].(string), adminToken, map[string]any{"active": false}), 200)
		if off["active"] != false || off["text"] != "Pilot ladder rigged" {
			t.Fatalf("deactivated template: %v", off)
		}
		env.Do("GET", "/api/v1/checklist-templates", p.buyer, nil).JSON(&templates)
		if n := len(templates.Items); n != len(perPhase[1])+len(perPhase[2])+len(perPhase[3])+len(perPhase[4])+len(perPhase[5])+1 {
			t.Errorf("%d templates listed", n)
		}
		// The earlier vessel's signatures are as they were, but a ship added since must sign
		// its checklist 1 too before it is complete again.
		if c := clPick(t, lists, vessel, 1); c["complete"] != false || c["lacks"] != "awaits the signature of MT LEVANT PIONEER's side" ||
			len(c["signatures"].([]any)) != 3 {
			t.Errorf("earlier checklist 1 after a second ship: %v", c)
		}

		// Another room's checklist, named under this room's path, is not found, even to a
		// party of both rooms that may check and sign there; it stays untouched.
		other := newRoom(t, env, p.broker)
		must(t, env.Do("POST", "/api/v1/rooms/"+other+"/parties", p.broker, map[string]string{"email": "ops@aegean.test", "role": "owner"}), 201)
		otherVessel := must(t, env.Do("POST", "/api/v1/rooms/"+other+"/vessels", p.broker,
			map[string]any{"name": "MT OTHER", "imo": "9074729", "role": "receiving"}), 201)["id"].(string)
		foreign := clPick(t, clListAll(t, env, other, p.owner), otherVessel, 5)
		foreignItem := clItems(foreign)[0]["id"].(string)
		must(t, env.Do("POST", path+foreign["id"].(string)+"/items/"+foreignItem, p.owner, map[string]any{"answer": "yes"}), 404)
		must(t, env.Do("POST", path+twoID+"/items/"+foreignItem, p.owner, map[string]any{"answer": "yes"}), 404)
		must(t, env.Do("POST", path+foreign["id"].(string)+"/sign", p.owner, nil), 404)
		if c := clPick(t, clListAll(t, env, other, p.owner), otherVessel, 5); clItems(c)[0]["answer"] != nil {
			t.Errorf("other room's item changed: %v", clItems(c)[0])
		}
	})
}

func TestCoastalNotices(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		room, p := clRoom(t, env)
		// The operation is 24 h away, on a coastal state's waters that name no area yet.
		eta := env.Now().UTC().Add(24 * time.Hour).Truncate(time.Second)
		must(t, env.Do("PATCH", "/api/v1/rooms/"+room, p.broker, map[string]any{"sts_eta": eta}), 200)
		vessel := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/vessels", p.broker,
			map[string]any{"name": "MT AEGEAN SERENITY", "imo": "9372145", "role": "discharging", "party_ids": []string{p.ownerParty}}), 201)["id"].(string)
		path := "/api/v1/rooms/" + room + "/notices"
		type notices struct {
			Items []struct {
				ID          string    `json:"id"`
				VesselID    string    `json:"vessel_id"`
				VesselName  string    `json:"vessel_name"`
				NotifiedAt  time.Time `json:"notified_at"`
				Reference   string    `json:"reference"`
				ETAAtNotice time.Time `json:"eta_at_notice"`
				RecordedBy  string    `json:"recorded_by"`
				RecordedAt  time.Time `json:"recorded_at"`
			} `json:"items"`
			Warnings []string `json:"warnings"`
		}
		list := func() notices {
			t.Helper()
			var out notices
			res := env.Do("GET", path, p.buyer, nil)
			if res.Status != 200 {
				t.Fatalf("list notices: %d %s", res.Status, res.Body)
			}
			res.JSON(&out)
			if out.Items == nil || out.Warnings == nil {
				t.Fatalf("lists must be arrays: %s", res.Body)
			}
			return out
		}

		// No area named: that is what the rule asks first.
		if got := list(); len(got.Items) != 0 || len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "the room names no coastal state or area") {
			t.Fatalf("without an area: %+v", got)
		}
		// In Malta's waters, without a notice.
		must(t, env.Do("PATCH", "/api/v1/rooms/"+room, p.broker, map[string]any{"coastal_area": "MT-HURDS"}), 200)
		if got := list(); len(got.Items) != 0 || len(got.Warnings) != 1 ||
			got.Warnings[0] != "MT AEGEAN SERENITY: no notice to Malta — Hurd's Bank recorded (due 48 h before the ETA)" {
			t.Fatalf("without notices: %+v", got)
		}

		// A notice 24 h before the ETA is late.
		notified := eta.Add(-24 * time.Hour)
		n := must(t, env.Do("POST", path, p.owner, map[string]any{"vessel_id": vessel, "notified_at": notified, "reference": " MT-VLT-2026-031 "}), 201)
		if n["vessel_id"] != vessel || n["vessel_name"] != "MT AEGEAN SERENITY" || n["reference"] != "MT-VLT-2026-031" ||
			n["eta_at_notice"] != eta.Format(time.RFC3339) || n["recorded_by"] != "ops@aegean.test" || n["notified_at"] != notified.Format(time.RFC3339) {
			t.Fatalf("notice: %v", n)
		}
		got := list()
		if len(got.Items) != 1 || len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "MT-VLT-2026-031 was given 24.0 h before the ETA; Malta — Hurd's Bank requires 48 h") {
			t.Fatalf("late notice: %+v", got)
		}

		// The ETA moves 7 h: the coastal state must be told again.
		must(t, env.Do("PATCH", "/api/v1/rooms/"+room, p.broker, map[string]any{"sts_eta": eta.Add(7 * time.Hour)}), 200)
		got = list()
		if len(got.Warnings) != 2 || !strings.Contains(got.Warnings[1], "the ETA moved 7.0 h since notice MT-VLT-2026-031, more than the 6 h allowed: a new notice is required") {
			t.Fatalf("after the ETA moved: %+v", got.Warnings)
		}

		// A fresh notice, given in time for the new ETA, clears the warnings.
		must(t, env.Do("POST", path, p.broker, map[string]any{"vessel_id": vessel, "notified_at": eta.Add(7*time.Hour - 49*time.Hour), "reference": "MT-VLT-2026-034"}), 201)
		got = list()
		if len(got.Warnings) != 0 || len(got.Items) != 2 || got.Items[0].Reference != "MT-VLT-2026-034" || got.Items[1].Reference != "MT-VLT-2026-031" ||
			!got.Items[0].ETAAtNotice.Equal(eta.Add(7*time.Hour)) || got.Items[0].RecordedBy != "broker@valletta.test" {
			t.Fatalf("after a fresh notice: %+v", got)
		}
		actions := clTrail(t, env, room, p.broker)
		if clCount(actions, "coastal_notice_recorded") != 2 {
			t.Fatalf("trail: %v", actions)
		}

		// Invalid notices.
		other := newRoom(t, env, p.broker)
		otherVessel := must(t, env.Do("POST", "/api/v1/rooms/"+other+"/vessels", p.broker,
			map[string]any{"name": "MT OTHER", "imo": "9074729", "role": "receiving"}), 201)["id"].(string)
		now := env.Now().UTC()
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"vessel_id": otherVessel, "notified_at": now, "reference": "X-1"}, "vessel_id"},
			{map[string]any{"vessel_id": "", "notified_at": now, "reference": "X-1"}, "vessel_id"},
			{map[string]any{"vessel_id": vessel, "notified_at": now, "reference": "   "}, "reference"},
			{map[string]any{"vessel_id": vessel, "notified_at": now, "reference": strings.Repeat("é", 201)}, "reference"},
			{map[string]any{"vessel_id": vessel, "notified_at": now.Add(2 * time.Hour), "reference": "X-1"}, "notified_at"},
			{map[string]any{"vessel_id": vessel, "reference": "X-1"}, "notified_at"},
			{map[string]any{"vessel_id": vessel, "kind": "promise", "notified_at": now, "reference": "X-1"}, "kind"},
		} {
			res := env.Do("POST", path, p.owner, c.body)
			if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"`+c.field+`"`) {
				t.Errorf("%v: %d %s", c.body, res.Status, res.Body)
			}
		}
		// A notice up to an hour ahead of the server's clock is accepted (clocks differ).
		must(t, env.Do("POST", path, p.owner, map[string]any{"vessel_id": vessel, "notified_at": now.Add(50 * time.Minute), "reference": "X-2"}), 201)

		// Who may: brokers and owners record, others may only read; outsiders see nothing.
		body := map[string]any{"vessel_id": vessel, "notified_at": now, "reference": "X-3"}
		must(t, env.Do("POST", path, p.charterer, body), 403)
		must(t, env.Do("POST", path, p.provider, body), 403)
		must(t, env.Do("POST", path, p.outsider, body), 404)
		must(t, env.Do("GET", path, p.outsider, nil), 404)
		if n := len(list().Items); n != 3 {
			t.Fatalf("%d notices after refused ones", n)
		}
	})
}

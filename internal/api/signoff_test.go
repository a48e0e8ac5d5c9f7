package api_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// signOffList reads the room's sign-off list as tok sees it.
type signOffList struct {
	Items []struct {
		ID           string   `json:"id"`
		Email        string   `json:"email"`
		Status       string   `json:"status"`
		Counts       bool     `json:"counts"`
		Stale        bool     `json:"stale"`
		ChangesSince []string `json:"changes_since"`
		SupersededAt *string  `json:"superseded_at"`
		ChainSeq     *int64   `json:"chain_seq"`
		ChainHash    string   `json:"chain_hash"`
		Digest       string   `json:"coverage_digest"`
		Covered      []struct {
			DocumentID    string `json:"document_id"`
			TypeCode      string `json:"type_code"`
			VesselName    string `json:"vessel_name"`
			VersionID     string `json:"version_id"`
			VersionNumber int    `json:"version_number"`
			SHA256        string `json:"sha256"`
			Status        string `json:"status"`
		} `json:"covered"`
	} `json:"items"`
	Pending []struct {
		Email string `json:"email"`
	} `json:"pending"`
}

func listSignOffs(t *testing.T, env *apptest.Env, room, tok string) signOffList {
	t.Helper()
	var l signOffList
	res := env.Do("GET", "/api/v1/rooms/"+room+"/approvals", tok, nil)
	if res.Status != 200 {
		t.Fatalf("GET approvals: %d %s", res.Status, res.Body)
	}
	res.JSON(&l)
	return l
}

// TestSignOffGoesStale: sign-offs given on the Q88's v1 stop counting when v2 replaces it —
// the room falls back from cleared to clearing, in the trail, naming them — and do not
// come back when v2 is approved; each party sees what changed, and signing again on v2
// clears the room. A rejection after the sign-off does the same.
func TestSignOffGoesStale(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		g := newGateRoom(t, env, "stale")
		g.clearAll(t, env)
		if s := g.summary(t, env); s["status"] != "cleared" {
			t.Fatalf("cleared first: %v %s", s["status"], blockerText(s))
		}

		// What each sign-off covered: the two required documents at v1, and the chain
		// position its trail entry carries with the coverage digest.
		l := listSignOffs(t, env, g.id, g.broker)
		recorded := itemsOf(t, env.Do("GET", "/api/v1/rooms/"+g.id+"/activities?action=approval_recorded", g.broker, nil))
		if len(l.Items) != 3 || len(recorded) != 3 {
			t.Fatalf("%d sign-offs, %d trail entries", len(l.Items), len(recorded))
		}
		for i, a := range l.Items {
			if a.Stale || !a.Counts || a.ChainSeq == nil || *a.ChainSeq == 0 || len(a.ChainHash) != 64 || len(a.Digest) != 64 {
				t.Fatalf("a fresh sign-off: %+v", a)
			}
			var codes []string
			for _, c := range a.Covered {
				codes = append(codes, c.TypeCode)
				if c.VersionNumber != 1 || c.VersionID == "" || len(c.SHA256) != 64 || c.Status != "approved" || c.VesselName != "MT AEGEAN SERENITY" {
					t.Errorf("covered: %+v", c)
				}
			}
			if !slices.Equal(codes, []string{"PI_COE", "Q88"}) {
				t.Errorf("%s covered %v, want the two required documents", a.Email, codes)
			}
			meta := recorded[i]["meta"].(map[string]any)
			if meta["coverage_digest"] != a.Digest || meta["chain_seq"] != float64(*a.ChainSeq) || meta["chain_hash"] != a.ChainHash {
				t.Errorf("trail entry of %s: %v, want digest %s at #%d", a.Email, meta, a.Digest, *a.ChainSeq)
			}
			if seq := recorded[i]["seq"].(float64); int64(seq) != *a.ChainSeq+1 {
				t.Errorf("%s signed at #%d, its entry is #%v: not the position before it", a.Email, *a.ChainSeq, seq)
			}
		}

		// The Q88 is replaced: the room falls back, and the trail names the stale sign-offs.
		g.upload(t, env, "Q88", "")
		s := g.summary(t, env)
		if s["status"] != "clearing" {
			t.Fatalf("after v2: %v %s", s["status"], blockerText(s))
		}
		moves := itemsOf(t, env.Do("GET", "/api/v1/rooms/"+g.id+"/activities?action=room_status_changed&limit=1", g.broker, nil))
		meta := moves[0]["meta"].(map[string]any)
		stale := fmt.Sprint(meta["stale_sign_offs"])
		if meta["to"] != "clearing" || meta["automatic"] != true || !strings.Contains(stale, "owner-stale@gate.test (owner)") ||
			!strings.Contains(stale, "charterer-stale@gate.test (charterer)") || !strings.Contains(stale, "buyer-stale@gate.test (buyer)") {
			t.Fatalf("the automatic fallback: %v", meta)
		}

		// v2 approved: the old sign-offs still do not count (the bug this fixes).
		must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+g.q88+"/approve", g.charterer, nil), 200)
		s = g.summary(t, env)
		want := "owner-stale@gate.test (owner) signed before Q88 tanker questionnaire of MT AEGEAN SERENITY: v1 replaced by v2; sign again"
		if s["status"] != "clearing" || s["cleared"] != false || !strings.Contains(blockerText(s), want) {
			t.Fatalf("v2 approved over v1 sign-offs: %v %s", s["status"], blockerText(s))
		}
		l = listSignOffs(t, env, g.id, g.owner)
		for _, a := range l.Items {
			if !a.Stale || a.Counts || !slices.Equal(a.ChangesSince, []string{"Q88 tanker questionnaire of MT AEGEAN SERENITY: v1 replaced by v2"}) {
				t.Fatalf("a sign-off on v1: %+v", a)
			}
		}
		if len(l.Pending) != 3 {
			t.Fatalf("pending %v, want the three stale parties", l.Pending)
		}

		// The JSON snapshot records each sign-off with its standing and what it covered.
		snap := must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/snapshots", g.broker, map[string]string{"snapshot_type": "json"}), 202)
		var record struct {
			Approvals []struct {
				Email        string   `json:"email"`
				Counts       bool     `json:"counts"`
				Stale        bool     `json:"stale"`
				ChangesSince []string `json:"changes_since"`
				Coverage     *struct {
					Chain struct {
						Seq int64 `json:"seq"`
					} `json:"chain"`
					Digest    string `json:"digest"`
					Documents []struct {
						TypeCode string `json:"type_code"`
						Version  int    `json:"version"`
					} `json:"documents"`
				} `json:"coverage"`
			} `json:"approvals"`
		}
		if err := json.Unmarshal(download(t, env, g.broker, waitSnapshot(t, env, g.broker, g.id, snap["id"].(string))), &record); err != nil {
			t.Fatal(err)
		}
		if len(record.Approvals) != 3 {
			t.Fatalf("snapshot approvals: %+v", record.Approvals)
		}
		for _, a := range record.Approvals {
			if !a.Stale || a.Counts || len(a.ChangesSince) != 1 || a.Coverage == nil || a.Coverage.Chain.Seq == 0 || len(a.Coverage.Digest) != 64 ||
				len(a.Coverage.Documents) != 2 || a.Coverage.Documents[1].TypeCode != "Q88" || a.Coverage.Documents[1].Version != 1 {
				t.Fatalf("snapshot sign-off: %+v", a)
			}
		}

		// Signing again on v2 counts; two parties are not enough.
		signOff(t, env, g.id, g.charterer, "approved", "v2 reviewed")
		signOff(t, env, g.id, g.owner, "approved", "")
		if s := g.summary(t, env); s["status"] != "clearing" || !strings.Contains(blockerText(s), "buyer-stale@gate.test (buyer) signed before") {
			t.Fatalf("two of three signed again: %v %s", s["status"], blockerText(s))
		}
		signOff(t, env, g.id, g.buyer, "approved", "")
		if s := g.summary(t, env); s["status"] != "cleared" || s["cleared"] != true {
			t.Fatalf("all signed again: %v %s", s["status"], blockerText(s))
		}
		l = listSignOffs(t, env, g.id, g.broker)
		current := 0
		for _, a := range l.Items {
			if a.SupersededAt != nil {
				if a.Stale || a.Counts {
					t.Errorf("a superseded sign-off: %+v", a)
				}
				continue
			}
			current++
			if a.Stale || !a.Counts || len(a.ChangesSince) != 0 {
				t.Errorf("a sign-off on v2: %+v", a)
			}
			for _, c := range a.Covered {
				if c.TypeCode == "Q88" && c.VersionNumber != 2 {
					t.Errorf("signed again but covered Q88 v%d", c.VersionNumber)
				}
			}
		}
		if current != 3 || len(l.Pending) != 0 {
			t.Fatalf("%d current sign-offs, pending %v", current, l.Pending)
		}

		// A rejection of the version signed makes them stale too; the P&I's new version,
		// approved, leaves them stale until signed again.
		must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+g.pi+"/reject", g.charterer, map[string]string{"reason": "wrong club"}), 200)
		l = listSignOffs(t, env, g.id, g.buyer)
		for _, a := range l.Items {
			if a.SupersededAt == nil && !slices.Equal(a.ChangesSince, []string{"P&I certificate of entry of MT AEGEAN SERENITY: v1 rejected"}) {
				t.Fatalf("after the rejection: %+v", a)
			}
		}
		g.upload(t, env, "PI_COE", g.eta.AddDate(1, 0, 0).Format("2006-01-02"))
		must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+g.pi+"/approve", g.charterer, nil), 200)
		if s := g.summary(t, env); s["status"] != "clearing" || !strings.Contains(blockerText(s), "P&I certificate of entry of MT AEGEAN SERENITY: v1 replaced by v2; sign again") {
			t.Fatalf("P&I v2 approved over stale sign-offs: %v %s", s["status"], blockerText(s))
		}
		for _, tok := range []string{g.charterer, g.owner, g.buyer} {
			signOff(t, env, g.id, tok, "approved", "")
		}
		if s := g.summary(t, env); s["status"] != "cleared" {
			t.Fatalf("signed again on the P&I's v2: %v %s", s["status"], blockerText(s))
		}
	})
}

// TestSignOffCoverageStaysConfidential: a document confidential to the coordinators is
// covered only by their sign-offs; its new version makes only theirs stale, and the
// others are told neither of it nor of the change.
func TestSignOffCoverageStaysConfidential(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		admin := env.Login(apptest.AdminEmail)
		must(t, env.Do("POST", "/api/v1/document-types", admin, map[string]any{"code": "CP_RECAP", "name": "Charter party recap",
			"supplied_by": "charterer", "scope": "room", "criticality": "high", "expiry": "none", "required_by_default": true,
			"visible_to": []string{"broker", "charterer"}}), 201)
		g := newGateRoom(t, env, "recap")
		recap := must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/requirements", g.broker, map[string]string{"type": "CP_RECAP"}), 201)["id"].(string)
		must(t, env.Upload(g.id, g.charterer, []string{"type", "CP_RECAP"}, "recap.pdf", apptest.PDF("recap v1")), 201)
		must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+recap+"/approve", g.broker, nil), 200)
		g.clearAll(t, env)
		if s := g.summary(t, env); s["status"] != "cleared" {
			t.Fatalf("cleared first: %v %s", s["status"], blockerText(s))
		}
		covers := func(l signOffList, email string) bool {
			for _, a := range l.Items {
				if a.Email == email {
					for _, c := range a.Covered {
						if c.TypeCode == "CP_RECAP" {
							return true
						}
					}
				}
			}
			return false
		}
		if l := listSignOffs(t, env, g.id, g.charterer); !covers(l, "charterer-recap@gate.test") || covers(l, "owner-recap@gate.test") {
			t.Fatal("the charterer's sign-off should cover the recap, the owner's not")
		}
		if l := listSignOffs(t, env, g.id, g.owner); covers(l, "charterer-recap@gate.test") {
			t.Fatal("the owner is shown the recap among the charterer's coverage")
		}

		// A new recap: the charterer's sign-off is stale, the others' are not.
		must(t, env.Upload(g.id, g.charterer, []string{"type", "CP_RECAP"}, "recap.pdf", apptest.PDF("recap v2")), 201)
		must(t, env.Do("POST", "/api/v1/rooms/"+g.id+"/documents/"+recap+"/approve", g.broker, nil), 200)
		for _, tok := range []string{g.charterer, g.owner} {
			for _, a := range listSignOffs(t, env, g.id, tok).Items {
				wantStale := a.Email == "charterer-recap@gate.test"
				if a.Stale != wantStale {
					t.Errorf("%s: stale %v, want %v", a.Email, a.Stale, wantStale)
				}
				// The charterer is told what changed; the owner only that its sign-off is stale.
				if seen := strings.Join(a.ChangesSince, " | "); wantStale && (tok == g.owner) != (seen == "") {
					t.Errorf("%s's changes as the %s sees them: %q", a.Email, map[bool]string{true: "owner", false: "charterer"}[tok == g.owner], seen)
				}
			}
		}
		owner := must(t, env.Do("GET", "/api/v1/rooms/"+g.id+"/summary", g.owner, nil), 200)
		if strings.Contains(blockerText(owner), "recap") {
			t.Fatalf("the owner's summary names the recap: %s", blockerText(owner))
		}
		if s := g.summary(t, env); s["status"] != "clearing" ||
			!strings.Contains(blockerText(s), "charterer-recap@gate.test (charterer) signed before Charter party recap: v1 replaced by v2; sign again") {
			t.Fatalf("the broker's summary: %v %s", s["status"], blockerText(s))
		}
		signOff(t, env, g.id, g.charterer, "approved", "")
		if s := g.summary(t, env); s["status"] != "cleared" {
			t.Fatalf("the charterer signed again: %v %s", s["status"], blockerText(s))
		}
	})
}

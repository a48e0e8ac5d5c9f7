package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
)

// ownerB is a caller beside the room roles: the owner party bound to vessel B (the fixture's
// spare vessel), as the fixture's owner is bound to vessel A (f.vessel).
const ownerB = "owner_b"

// vesselFixture is a matrix fixture with the owner of B added, and B's checklists: its
// phase 1 with a first item unanswered, its phase 5 with every item answered by the owner of B.
type vesselFixture struct {
	roomFixture
	itemB, checklistB, signableB string
}

func (m *matrixEnv) newVesselRoom(t *testing.T) vesselFixture {
	t.Helper()
	f := vesselFixture{roomFixture: m.newRoom(t)}
	base := "/api/v1/rooms/" + f.room
	f.party[ownerB] = must(t, m.Do("POST", base+"/parties", m.tokens["broker"], map[string]any{"email": emailOf(ownerB), "role": "owner",
		"vessel_ids": []string{f.spareVessel}}), 201)["id"].(string)
	for _, c := range itemsOf(t, m.Do("GET", base+"/checklists", m.tokens["broker"], nil)) {
		if c["vessel_id"] != f.spareVessel {
			continue
		}
		items := c["items"].([]any)
		switch c["phase"] {
		case 1.0:
			f.checklistB, f.itemB = c["id"].(string), items[0].(map[string]any)["id"].(string)
		case 5.0:
			f.signableB = c["id"].(string)
			for _, it := range items {
				must(t, m.Do("POST", base+"/checklists/"+f.signableB+"/items/"+it.(map[string]any)["id"].(string), m.tokens[ownerB],
					map[string]any{"answer": "yes"}), 200)
			}
		}
	}
	return f
}

// uploadFields are the form fields an upload of t needs (for vessel A where per-vessel).
func uploadFields(t clearance.DocumentType, vessel string, now time.Time) []string {
	fields := []string{"type", t.Code}
	if t.Scope == clearance.ScopeVessel {
		fields = append(fields, "vessel_id", vessel)
	}
	switch t.Expiry {
	case clearance.ExpiryDate:
		fields = append(fields, "expires_on", now.AddDate(1, 0, 0).Format(time.DateOnly))
	case clearance.ExpiryPointInTime:
		fields = append(fields, "performed_at", now.Add(-time.Hour).UTC().Format(time.RFC3339))
	}
	return append(fields, apptest.ScreeningFields(t.Code)...)
}

// vesselCase is one call of TestWhoActsForWhichShip: a caller, what it does, the status the
// rules imply, and whether it changes the room (then it gets a fresh one when it succeeds).
type vesselCase struct {
	what    string
	caller  string
	want    int
	mutates bool
	call    func(f vesselFixture, token string) *apptest.Response
}

// TestWhoActsForWhichShip extends the every-route × every-caller test with the rules of
// issue 17: the owner of vessel A and the owner of vessel B on each per-vessel route of
// both vessels; each role uploading each type of the seed catalogue; each role granting each
// role; four eyes on review; and a confidential type (SIRE of vessel A) listed, downloaded
// and snapshotted by each role. Expectations come from the catalogue (GET /document-types)
// and the rule functions of internal/authz and internal/clearance.
func TestWhoActsForWhichShip(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngineParallel(t, func(t *testing.T, env *apptest.Env) {
		m := newMatrixEnv(t, env)
		env.CreateUser(emailOf(ownerB))
		m.tokens[ownerB] = env.Login(emailOf(ownerB))
		shared := m.newVesselRoom(t)
		roles := authz.Roles()
		roleCallers := func() []string {
			out := names(roles)
			return append(out, ownerB)
		}
		roleOf := func(caller string) authz.Role {
			if caller == ownerB {
				return authz.Owner
			}
			return authz.Role(caller)
		}
		var cases []vesselCase

		// 1. The owners of A and B on each per-vessel route of both vessels: only its own, but
		// for signing checklists: each ship's side signs both ships' checklists, for itself.
		for _, vessel := range []string{"A", "B"} {
			pick := func(f vesselFixture, a, b string) string {
				if vessel == "A" {
					return a
				}
				return b
			}
			v := func(f vesselFixture) string { return pick(f, f.vessel, f.spareVessel) }
			routes := []struct {
				what      string
				ok        int
				bothShips bool // either owner may, each for its own ship's side
				call      func(f vesselFixture, token string) *apptest.Response
			}{
				{"upload its CLASS", 201, false, func(f vesselFixture, token string) *apptest.Response {
					return m.Upload(f.room, token, []string{"type", "CLASS", "vessel_id", v(f), "expires_on", "2027-06-30"}, "class.pdf", apptest.PDF("Class"))
				}},
				{"PATCH it", 200, false, func(f vesselFixture, token string) *apptest.Response {
					return m.Do("PATCH", "/api/v1/rooms/"+f.room+"/vessels/"+v(f), token, map[string]string{"flag": "Malta"})
				}},
				// Both vessels have records (A its Q88, B its checked checklist): the bound owner
				// passes the binding and meets the rule that a vessel with records stays (409).
				{"DELETE it", 409, false, func(f vesselFixture, token string) *apptest.Response {
					return m.Do("DELETE", "/api/v1/rooms/"+f.room+"/vessels/"+v(f), token, nil)
				}},
				{"record its notice", 201, false, func(f vesselFixture, token string) *apptest.Response {
					return m.Do("POST", "/api/v1/rooms/"+f.room+"/notices", token,
						map[string]any{"vessel_id": v(f), "notified_at": "2026-03-11T08:00:00Z", "reference": "MT-VLT-2026-031"})
				}},
				{"answer its checklist item", 200, false, func(f vesselFixture, token string) *apptest.Response {
					return m.Do("POST", "/api/v1/rooms/"+f.room+"/checklists/"+pick(f, f.checklist, f.checklistB)+"/items/"+pick(f, f.item, f.itemB),
						token, map[string]any{"answer": "yes"})
				}},
				{"sign its checklist", 200, true, func(f vesselFixture, token string) *apptest.Response {
					return m.Do("POST", "/api/v1/rooms/"+f.room+"/checklists/"+pick(f, f.signable, f.signableB)+"/sign", token, nil)
				}},
			}
			for _, r := range routes {
				for _, caller := range []string{"owner", ownerB} {
					want := 403
					if (caller == "owner") == (vessel == "A") || r.bothShips {
						want = r.ok
					}
					cases = append(cases, vesselCase{what: "vessel " + vessel + ": " + r.what, caller: caller, want: want, mutates: true, call: r.call})
				}
			}
		}

		// 2. Each role uploading each type of the catalogue, per-vessel ones for vessel A.
		var catalogue []clearance.DocumentType
		m.Do("GET", "/api/v1/document-types", m.tokens["broker"], nil).JSON(&struct {
			Items *[]clearance.DocumentType `json:"items"`
		}{&catalogue})
		if len(catalogue) != len(clearance.DefaultCatalogue()) {
			t.Fatalf("catalogue: %d types, want the %d of the seed", len(catalogue), len(clearance.DefaultCatalogue()))
		}
		for _, ty := range catalogue {
			if !ty.Active || !ty.AppliesTo(clearance.CargoOil) {
				continue // the fixture is an oil operation: other classes' types are a 422 (TestLNGOperation)
			}
			for _, caller := range roleCallers() {
				role := roleOf(caller)
				bound := ty.Scope == clearance.ScopeVessel && caller == "owner" // owner of A
				want := 201
				_, supplyErr := clearance.MaySupply(ty, role)
				switch {
				case !authz.Can(role, authz.UploadDocument):
					want = 403
				case !clearance.MaySee(ty, role, bound):
					want = 404 // a type it may not see is absent to it, uploads included
				case ty.Scope == clearance.ScopeVessel && authz.MayActForVessel(role, authz.UploadDocument, bound) != nil:
					want = 403
				case supplyErr != nil:
					want = 403
				}
				cases = append(cases, vesselCase{what: "upload " + ty.Code, caller: caller, want: want,
					call: func(f vesselFixture, token string) *apptest.Response {
						return m.Upload(f.room, token, uploadFields(ty, f.vessel, env.Now()), strings.ToLower(ty.Code)+".pdf", apptest.PDF(ty.Code+" by "+caller))
					}})
			}
		}

		// 3. Each role giving each role: adding a party with it, changing a viewer to it.
		for _, caller := range roleCallers() {
			role := roleOf(caller)
			for _, target := range roles {
				may := authz.Can(role, authz.ManageParties) && authz.MayGrant(role, target) == nil
				add, change := 403, 403
				if may {
					add = 201
				}
				if may && authz.MayGrant(role, authz.Viewer) == nil {
					change = 200
				}
				cases = append(cases,
					vesselCase{what: "add a party as " + string(target), caller: caller, want: add, call: func(f vesselFixture, token string) *apptest.Response {
						return m.Do("POST", "/api/v1/rooms/"+f.room+"/parties", token, map[string]string{"email": "new-" + newSuffix() + "@matrix.test", "role": string(target)})
					}},
					vesselCase{what: "change a viewer to " + string(target), caller: caller, want: change, call: func(f vesselFixture, token string) *apptest.Response {
						party := must(t, m.Do("POST", "/api/v1/rooms/"+f.room+"/parties", m.tokens["broker"],
							map[string]string{"email": "viewer-" + newSuffix() + "@matrix.test", "role": "viewer"}), 201)["id"].(string)
						return m.Do("PATCH", "/api/v1/rooms/"+f.room+"/parties/"+party, token, map[string]string{"role": string(target)})
					}})
			}
		}

		// 4. Four eyes: each reviewer uploading a type it supplies (room-wide, visible to all)
		// and approving it (409), then another reviewer approving it (200).
		reviewers := authz.RolesThatCan(authz.ReviewDocument)
		for i, uploader := range reviewers {
			var ty clearance.DocumentType
			for _, c := range catalogue {
				if _, err := clearance.MaySupply(c, uploader); err == nil && c.Active && c.Scope == clearance.ScopeRoom && c.Expiry == clearance.ExpiryNone {
					ty = c
					break
				}
			}
			if ty.Code == "" {
				t.Fatalf("no room type a %s uploads", uploader)
			}
			other := reviewers[(i+1)%len(reviewers)]
			if other == uploader {
				t.Fatalf("one reviewer role only: %v", reviewers)
			}
			var doc string
			cases = append(cases,
				vesselCase{what: "review its own " + ty.Code, caller: string(uploader), want: 409, call: func(f vesselFixture, token string) *apptest.Response {
					doc = must(t, m.Upload(f.room, token, uploadFields(ty, "", env.Now()), "own.pdf", apptest.PDF("own "+string(uploader))), 201)["id"].(string)
					return m.Do("POST", "/api/v1/rooms/"+f.room+"/documents/"+doc+"/approve", token, nil)
				}},
				vesselCase{what: "review the " + string(uploader) + "'s " + ty.Code, caller: string(other), want: 200, call: func(f vesselFixture, token string) *apptest.Response {
					return m.Do("POST", "/api/v1/rooms/"+f.room+"/documents/"+doc+"/approve", token, nil)
				}})
		}

		// 5. SIRE of vessel A, uploaded by its owner: each caller lists it, downloads it and
		// snapshots the room; it is there for those who may see it and absent for the others.
		var sire clearance.DocumentType
		for _, c := range catalogue {
			if c.Code == "SIRE" {
				sire = c
			}
		}
		sireDoc := must(t, m.Upload(shared.room, m.tokens["owner"], uploadFields(sire, shared.vessel, env.Now()), "sire.pdf", apptest.PDF("SIRE AEGEAN SERENITY")), 201)["id"].(string)
		for _, caller := range roleCallers() {
			role := roleOf(caller)
			sees := clearance.MaySee(sire, role, caller == "owner")
			download, listed := 404, "absent"
			if sees {
				download, listed = 200, "listed"
			}
			cases = append(cases,
				vesselCase{what: "list SIRE of A (" + listed + ")", caller: caller, want: 200, call: func(f vesselFixture, token string) *apptest.Response {
					res := m.Do("GET", "/api/v1/rooms/"+f.room+"/documents", token, nil)
					if got := strings.Contains(string(res.Body), sireDoc); got != sees {
						t.Errorf("documents of %s: SIRE of A listed %v, want %v", caller, got, sees)
					}
					return res
				}},
				vesselCase{what: "download SIRE of A", caller: caller, want: download, call: func(f vesselFixture, token string) *apptest.Response {
					return m.Do("GET", "/api/v1/rooms/"+f.room+"/documents/"+sireDoc+"/download", token, nil)
				}})
			snapshot := 403
			if authz.Can(role, authz.CreateSnapshot) {
				snapshot = 202
			}
			cases = append(cases, vesselCase{what: "snapshot SIRE of A (" + listed + ")", caller: caller, want: snapshot,
				call: func(f vesselFixture, token string) *apptest.Response {
					res := m.Do("POST", "/api/v1/rooms/"+f.room+"/snapshots", token, map[string]any{"snapshot_type": "json"})
					if res.Status != 202 {
						return res
					}
					id := res.Map()["id"].(string)
					waitSnapshot(t, env, token, f.room, id)
					body := m.Do("GET", "/api/v1/rooms/"+f.room+"/snapshots/"+id+"/download", token, nil)
					if got := strings.Contains(string(body.Body), sireDoc); body.Status != 200 || got != sees {
						t.Errorf("JSON snapshot by %s (%d): SIRE of A in it %v, want %v", caller, body.Status, got, sees)
					}
					return res
				}})
		}

		for _, c := range cases {
			f := shared
			if c.mutates && c.want < 300 {
				f = m.newVesselRoom(t)
			}
			res := c.call(f, m.tokens[c.caller])
			if res.Status != c.want {
				t.Errorf("%s as %s: %d, want %d: %s", c.what, c.caller, res.Status, c.want, res.Body)
				continue
			}
			if res.Status >= 400 {
				if d, _ := res.Map()["detail"].(string); d == "" || res.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("%s as %s: refusal without a problem detail: %s", c.what, c.caller, res.Body)
				}
			}
		}
		t.Logf("%d calls", len(cases))
	})
}

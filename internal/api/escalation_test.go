package api_test

import (
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestEscalationIsRefused is the escalation of issue 17 played through the API: before the
// party–vessel bindings, the supplier roles, the grant ceiling and four eyes, every step
// below succeeded. Each must now be refused, and nothing of the room may change.
func TestEscalationIsRefused(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		m := newMatrixEnv(t, env)
		f := m.newRoom(t)
		base := "/api/v1/rooms/" + f.room
		broker, charterer := m.tokens["broker"], m.tokens["charterer"]

		// The room's creator is its broker party.
		for _, p := range itemsOf(t, m.Do("GET", base+"/parties", broker, nil)) {
			if p["email"] == emailOf("broker") {
				f.party["broker"] = p["id"].(string)
			}
		}

		// The owner of a second vessel, B, bound to it and to nothing else.
		env.CreateUser("owner-b@matrix.test")
		ownerB := env.Login("owner-b@matrix.test")
		must(t, m.Do("POST", base+"/parties", broker, map[string]any{"email": "owner-b@matrix.test", "role": "owner",
			"vessel_ids": []string{f.spareVessel}}), 201)

		steps := []struct {
			what          string
			method, path  string
			token         string
			body          any
			upload        *upload
			status        int
			detailMention string
		}{
			{what: "the charterer makes itself broker", method: "PATCH", path: base + "/parties/" + f.party["charterer"], token: charterer,
				body: map[string]string{"role": "broker"}, status: 403},
			{what: "the charterer makes another party broker", method: "PATCH", path: base + "/parties/" + f.party["seller"], token: charterer,
				body: map[string]string{"role": "broker"}, status: 403},
			{what: "the charterer removes the broker", method: "DELETE", path: base + "/parties/" + f.party["broker"], token: charterer, status: 403},
			{what: "the charterer deletes the room", method: "DELETE", path: base, token: charterer, status: 403},
			{what: "the owner of B renames vessel A", method: "PATCH", path: base + "/vessels/" + f.vessel, token: ownerB,
				body: map[string]string{"name": "MT HIJACKED", "imo": "9074729"}, status: 403},
			{what: "the seller uploads a fender certificate", method: "POST", path: base + "/documents", token: m.tokens["seller"],
				upload: &upload{fields: []string{"type", "FENDER", "expires_on", "2027-06-30"}, filename: "fender.pdf", content: apptest.PDF("Fenders")},
				status: 403},
		}
		for _, s := range steps {
			var res *apptest.Response
			if s.upload != nil {
				data, ct := apptest.Multipart(s.upload.fields, s.upload.filename, s.upload.content)
				res = m.DoWith(s.method, s.path, s.token, data, ct)
			} else {
				res = m.Do(s.method, s.path, s.token, s.body)
			}
			if res.Status != s.status {
				t.Errorf("%s: %d, want %d: %s", s.what, res.Status, s.status, res.Body)
				continue
			}
			if d, _ := res.Map()["detail"].(string); d == "" {
				t.Errorf("%s: refusal without a detail: %s", s.what, res.Body)
			}
		}

		// Four eyes: the broker uploads the POAC on the STS provider's behalf and may not
		// approve it; the charterer may.
		doc := must(t, m.Upload(f.room, broker, []string{"type", "POAC"}, "poac.pdf", apptest.PDF("POAC credentials")), 201)["id"].(string)
		if res := m.Do("POST", base+"/documents/"+doc+"/approve", broker, nil); res.Status != 409 {
			t.Errorf("the broker approves its own upload: %d, want 409: %s", res.Status, res.Body)
		}
		must(t, m.Do("POST", base+"/documents/"+doc+"/approve", charterer, nil), 200)

		// Nothing changed: the broker is still a broker, the charterer a charterer, the seller
		// a seller; the room and vessel A are as they were; no fender certificate arrived.
		roles := map[string]string{}
		for _, p := range itemsOf(t, m.Do("GET", base+"/parties", broker, nil)) {
			roles[p["id"].(string)] = p["role"].(string)
		}
		for _, who := range []string{"broker", "charterer", "seller"} {
			if roles[f.party[who]] != who {
				t.Errorf("the %s party is now %q", who, roles[f.party[who]])
			}
		}
		if v := must(t, m.Do("GET", base+"/vessels/"+f.vessel, broker, nil), 200); v["name"] != "MT AEGEAN SERENITY" {
			t.Errorf("vessel A renamed: %v", v["name"])
		}
		if fender := findSlot(listDocs(t, env, broker, f.room), "FENDER", ""); fender != nil && len(versionsOf(fender)) != 0 {
			t.Errorf("a fender certificate was uploaded: %v", fender)
		}
	})
}

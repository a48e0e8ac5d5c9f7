package api_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestTrailVerifyAndExport: any party verifies the room's chain and gets the head its
// snapshots print; broker and charterer export the trail as CSV (recorded, oldest first,
// with each entry's hash); a tampered entry is found.
func TestTrailVerifyAndExport(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		room, p := clRoom(t, env)
		must(t, env.Do("POST", "/api/v1/rooms/"+room+"/vessels", p.broker,
			map[string]any{"name": "MT AEGEAN SERENITY", "imo": "9372145", "role": "discharging", "party_ids": []string{p.ownerParty}}), 201)

		check := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities/verify", p.buyer, nil), 200)
		newest := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities?limit=1", p.broker, nil), 200)["items"].([]any)[0].(map[string]any)
		if check["intact"] != true || check["head_hash"] != newest["hash"] || check["head_seq"] != newest["seq"] || check["entries"] != newest["seq"] {
			t.Fatalf("verify: %v, newest entry %v", check, newest)
		}
		must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities/verify", p.outsider, nil), 404)

		// The owner may read the trail but not export it.
		must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities/export", p.owner, nil), 403)
		must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities/export", p.outsider, nil), 404)
		must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities/export", "", nil), 401)
		res := env.Do("GET", "/api/v1/rooms/"+room+"/activities/export", p.charterer, nil)
		if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="trail-`+room) {
			t.Fatalf("export: %d %v", res.Status, res.Header)
		}
		rows, err := csv.NewReader(bytes.NewReader(res.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		last := rows[len(rows)-1]
		if strings.Join(rows[0], ",") != "seq,time,actor_email,action,target_type,target_id,details,hash,prev_hash,actor_name,description" ||
			rows[1][0] != "1" || rows[1][3] != "room_created" || rows[1][10] != "created the room “Malta crude STS”" ||
			last[3] != "activity_exported" || last[2] != "vetting@mediterra.test" || last[9] != "vetting" ||
			len(rows) != int(newest["seq"].(float64))+2 {
			t.Fatalf("export rows: first %v, last %v, %d rows", rows[1], last, len(rows))
		}
		for i := 2; i < len(rows); i++ {
			if rows[i][8] != rows[i-1][7] {
				t.Fatalf("row %d: prev_hash %s is not the hash of the row before (%s)", i, rows[i][8], rows[i-1][7])
			}
		}

		// Someone edits an entry in the database: the check names it.
		env.RawExec(`UPDATE audit_entries SET actor_email = 'mallory@example.com' WHERE scope = ? AND seq = 2`, room)
		broken := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities/verify", p.owner, nil), 200)
		if broken["intact"] != false || broken["broken_at"] != 2.0 || broken["reason"] == "" {
			t.Fatalf("verify after tampering: %v", broken)
		}
	})
}

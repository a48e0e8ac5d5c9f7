package api_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

func must(t testing.TB, res *apptest.Response, status int) map[string]any {
	t.Helper()
	if res.Status != status {
		t.Fatalf("got %d, want %d: %s", res.Status, status, res.Body)
	}
	if len(res.Body) == 0 {
		return nil
	}
	return res.Map()
}

func newRoom(t testing.TB, env *apptest.Env, token string) string {
	t.Helper()
	return must(t, env.Do("POST", "/api/v1/rooms", token, map[string]any{
		"title": "Malta crude STS", "location": "Hurd's Bank, Malta", "sts_eta": "2026-03-14T08:00:00+01:00",
		"cargo_type": "Es Sider crude", "cargo_quantity": 80000}), 201)["id"].(string)
}

func TestRoomLifecycleOfParties(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		broker := env.Login("broker@valletta.test")
		room := newRoom(t, env, broker)
		got := must(t, env.Do("GET", "/api/v1/rooms/"+room, broker, nil), 200)
		if got["sts_eta"] != "2026-03-14T07:00:00Z" || got["status"] != "draft" || got["my_role"] != "broker" || got["cargo_quantity"] != 80000.0 {
			t.Fatalf("room: %v", got)
		}

		// The broker alone cannot leave: nobody could manage the room (409); and no one changes
		// their own role, the last manager or not (403).
		parties := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/parties", broker, nil), 200)["items"].([]any)
		self := parties[0].(map[string]any)["id"].(string)
		must(t, env.Do("DELETE", "/api/v1/rooms/"+room+"/parties/"+self, broker, nil), 409)
		must(t, env.Do("PATCH", "/api/v1/rooms/"+room+"/parties/"+self, broker, map[string]string{"role": "viewer"}), 403)

		// Invite a buyer before its account exists; it binds when the account is created.
		invite := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/parties", broker, map[string]string{"email": "Ops@Adriatic.test", "role": "buyer"}), 201)
		if invite["user_id"] != nil || invite["email"] != "ops@adriatic.test" {
			t.Fatalf("invitation: %v", invite)
		}
		must(t, env.Do("POST", "/api/v1/rooms/"+room+"/parties", broker, map[string]string{"email": "ops@adriatic.test", "role": "seller"}), 409)
		buyerID := env.CreateUser("ops@adriatic.test")
		buyer := env.Login("ops@adriatic.test")
		rooms := must(t, env.Do("GET", "/api/v1/rooms", buyer, nil), 200)["items"].([]any)
		if len(rooms) != 1 || rooms[0].(map[string]any)["my_role"] != "buyer" {
			t.Fatalf("buyer's rooms: %v", rooms)
		}
		bound := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/parties", broker, nil), 200)["items"].([]any)[1].(map[string]any)
		if bound["user_id"] != buyerID {
			t.Fatalf("invitation not bound: %v", bound)
		}

		// With a charterer in the room the broker still does not change its own role, and the
		// charterer, whose powers are fewer, may not demote it either (the grant ceiling).
		must(t, env.Do("POST", "/api/v1/rooms/"+room+"/parties", broker, map[string]string{"email": "vetting@mediterra.test", "role": "charterer"}), 201)
		env.CreateUser("vetting@mediterra.test")
		charterer := env.Login("vetting@mediterra.test")
		must(t, env.Do("PATCH", "/api/v1/rooms/"+room+"/parties/"+self, broker, map[string]string{"role": "viewer"}), 403)
		must(t, env.Do("PATCH", "/api/v1/rooms/"+room+"/parties/"+self, charterer, map[string]string{"role": "viewer"}), 403)

		// A removed party loses access at once, with the token it already holds.
		must(t, env.Do("GET", "/api/v1/rooms/"+room, buyer, nil), 200)
		must(t, env.Do("DELETE", "/api/v1/rooms/"+room+"/parties/"+bound["id"].(string), charterer, nil), 204)
		must(t, env.Do("GET", "/api/v1/rooms/"+room, buyer, nil), 404)
		must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities", buyer, nil), 404)
		if items := must(t, env.Do("GET", "/api/v1/rooms", buyer, nil), 200)["items"].([]any); len(items) != 0 {
			t.Fatalf("removed party still lists the room: %v", items)
		}
		all := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/parties?include_removed=true", charterer, nil), 200)["items"].([]any)
		active := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/parties", charterer, nil), 200)["items"].([]any)
		if len(all) != 3 || len(active) != 2 {
			t.Fatalf("parties: %d with removed, %d active", len(all), len(active))
		}

		// Deleting the room closes it for everyone; the trail stays in the database.
		must(t, env.Do("DELETE", "/api/v1/rooms/"+room, charterer, nil), 403)
		must(t, env.Do("DELETE", "/api/v1/rooms/"+room, broker, nil), 204)
		must(t, env.Do("GET", "/api/v1/rooms/"+room, broker, nil), 404)
		must(t, env.Do("GET", "/api/v1/rooms/"+room, charterer, nil), 404)
		reports, err := env.App.Service().VerifyAudit(t.Context(), room)
		if err != nil || reports[0].Entries < 9 {
			t.Fatalf("trail of the deleted room: %+v %v", reports, err)
		}
	})
}

func TestVesselValidation(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		broker := env.Login("broker@valletta.test")
		room := newRoom(t, env, broker)
		path := "/api/v1/rooms/" + room + "/vessels"
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"name": "MT WRONG", "imo": "9074728", "role": "discharging"}, "imo"},
			{map[string]any{"name": "MT SHORT", "imo": "123456", "role": "discharging"}, "imo"},
			{map[string]any{"name": "MT MMSI", "imo": "9372145", "role": "discharging", "mmsi": "100000000"}, "mmsi"},
			{map[string]any{"name": "", "imo": "9372145", "role": "discharging"}, "name"},
			{map[string]any{"name": "MT DWT", "imo": "9372145", "role": "discharging", "dwt": -5}, "dwt"},
			{map[string]any{"name": "MT ROLE", "imo": "9372145", "role": "mother"}, "role"},
		} {
			res := env.Do("POST", path, broker, c.body)
			if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"`+c.field+`"`) {
				t.Errorf("%v: %d %s", c.body, res.Status, res.Body)
			}
		}
		v := must(t, env.Do("POST", path, broker, map[string]any{"name": "MT AEGEAN SERENITY", "imo": "IMO 9372145", "role": "discharging",
			"mmsi": "248731000", "flag": "Malta", "dwt": 115800, "loa": 249.9, "class_society": "LR", "pi_club": "Gard"}), 201)
		if v["imo"] != "9372145" || v["size_class"] != "Aframax" || v["loa"] != 249.9 {
			t.Fatalf("vessel: %v", v)
		}
		must(t, env.Do("POST", path, broker, map[string]any{"name": "MT AGAIN", "imo": "9372145", "role": "receiving"}), 409)
		id := v["id"].(string)
		res := env.Do("PATCH", path+"/"+id, broker, map[string]any{"imo": "9372146"})
		if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"imo"`) {
			t.Fatalf("patch bad imo: %d %s", res.Status, res.Body)
		}
		upd := must(t, env.Do("PATCH", path+"/"+id, broker, map[string]any{"dwt": 160000}), 200)
		if upd["size_class"] != "Suezmax" || upd["name"] != "MT AEGEAN SERENITY" {
			t.Fatalf("patched: %v", upd)
		}
		last := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities?limit=1", broker, nil), 200)["items"].([]any)[0].(map[string]any)
		if last["action"] != "vessel_updated" || !strings.Contains(fmt.Sprint(last["meta"]), "160000") {
			t.Fatalf("audit of the change: %v", last)
		}
	})
}

func TestActivitiesPaginationAndFilters(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		env.CreateUser("vetting@mediterra.test")
		broker := env.Login("broker@valletta.test")
		room := newRoom(t, env, broker)
		must(t, env.Do("POST", "/api/v1/rooms/"+room+"/parties", broker, map[string]string{"email": "vetting@mediterra.test", "role": "charterer"}), 201)
		charterer := env.Login("vetting@mediterra.test")
		for i := range 7 {
			must(t, env.Do("PATCH", "/api/v1/rooms/"+room, charterer, map[string]string{"title": fmt.Sprint("Title ", i)}), 200)
		}
		// No-op update: nothing changed, nothing recorded.
		must(t, env.Do("PATCH", "/api/v1/rooms/"+room, charterer, map[string]string{"title": "Title 6"}), 200)
		var seqs []float64
		cursor := ""
		for pages := 0; ; pages++ {
			page := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities?limit=3&cursor="+cursor, broker, nil), 200)
			for _, it := range page["items"].([]any) {
				seqs = append(seqs, it.(map[string]any)["seq"].(float64))
			}
			next, _ := page["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = next
			if pages > 10 {
				t.Fatal("pagination does not end")
			}
		}
		// room_created, party_added (creator), requirement_added, party_added (charterer), 7 × room_updated.
		if len(seqs) != 11 || seqs[0] != 11 || seqs[10] != 1 {
			t.Fatalf("sequence numbers newest first: %v", seqs)
		}
		var me map[string]any
		env.Do("GET", "/api/v1/auth/me", charterer, nil).JSON(&me)
		byActor := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities?actor_id="+me["id"].(string), broker, nil), 200)["items"].([]any)
		byAction := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities?action=party_added", broker, nil), 200)["items"].([]any)
		if len(byActor) != 7 || len(byAction) != 2 {
			t.Fatalf("filters: %d by actor, %d by action", len(byActor), len(byAction))
		}
		first := byActor[0].(map[string]any)
		if first["actor"] != "vetting@mediterra.test" || first["request_id"] == "" || first["hash"] == "" {
			t.Fatalf("entry: %v", first)
		}
		must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities?action=nonsense", broker, nil), 422)
	})
}

// TestConcurrentChangesKeepOneChain: parallel writers in one room never fork its chain.
func TestConcurrentChangesKeepOneChain(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		broker := env.Login("broker@valletta.test")
		room := newRoom(t, env, broker)
		var wg sync.WaitGroup
		for w := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 5 {
					var res *apptest.Response
					if i%2 == 0 {
						res = env.Do("PATCH", "/api/v1/rooms/"+room, broker, map[string]string{"description": fmt.Sprint(w, "-", i)})
					} else {
						res = env.Do("POST", "/api/v1/rooms/"+room+"/parties", broker, map[string]string{"email": fmt.Sprintf("p%d-%d@x.test", w, i), "role": "viewer"})
					}
					if res.Status >= 300 {
						t.Errorf("writer %d: %d %s", w, res.Status, res.Body)
					}
				}
			}()
		}
		wg.Wait()
		reports, err := env.App.Service().VerifyAudit(t.Context(), room)
		// 3 to start, 30 writes, and each of the 12 viewers, having no account, an invitation.
		if err != nil || reports[0].Entries != 3+30+12 {
			t.Fatalf("chain after parallel writes: %+v, %v", reports, err)
		}
	})
}

func TestAdminAccessIsExplicitAndAudited(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		broker := env.Login("broker@valletta.test")
		room := newRoom(t, env, broker)
		root := env.Login(apptest.AdminEmail)
		must(t, env.Do("GET", "/api/v1/rooms/"+room, root, nil), 404)
		must(t, env.Do("POST", "/api/v1/rooms/"+room+"/admin-access", root, map[string]string{"reason": " "}), 422)
		must(t, env.Do("POST", "/api/v1/rooms/"+room+"/admin-access", root, map[string]string{"reason": "ticket 12"}), 201)
		got := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/permissions", root, nil), 200)
		if got["role"] != "viewer" || len(got["actions"].([]any)) != 2 {
			t.Fatalf("admin permissions: %v", got)
		}
		must(t, env.Do("POST", "/api/v1/rooms/"+room+"/admin-access", root, map[string]string{"reason": "again"}), 409)
		entries := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities?action=admin_room_access", broker, nil), 200)["items"].([]any)
		if len(entries) != 1 || !strings.Contains(fmt.Sprint(entries[0]), "ticket 12") {
			t.Fatalf("room trail: %v", entries)
		}
	})
}

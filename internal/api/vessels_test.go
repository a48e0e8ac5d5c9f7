package api_test

import (
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestVesselCompanyNumbersWarningsAndSizeClass: the owner's and DOC company's IMO numbers are
// checked with the company rule and stored bare; an MMSI of another flag state is saved with
// a warning; the size class is given only to oil tankers.
func TestVesselCompanyNumbersWarningsAndSizeClass(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		broker := env.Login("broker@valletta.test")
		room := newRoom(t, env, broker)
		path := "/api/v1/rooms/" + room + "/vessels"
		aegean := func(extra map[string]any) map[string]any {
			body := map[string]any{"name": "MT AEGEAN SERENITY", "imo": "9372145", "role": "discharging"}
			for k, v := range extra {
				body[k] = v
			}
			return body
		}

		// Company numbers: the ship rule's numbers, wrong check digits and lengths are 422s
		// naming the field.
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{aegean(map[string]any{"registered_owner_imo": "9372145"}), "registered_owner_imo"}, // a ship number
			{aegean(map[string]any{"doc_company_imo": "9455832"}), "doc_company_imo"},           // a ship number
			{aegean(map[string]any{"registered_owner_imo": "2041998"}), "registered_owner_imo"},
			{aegean(map[string]any{"doc_company_imo": "602895"}), "doc_company_imo"},
		} {
			res := env.Do("POST", path, broker, c.body)
			if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"`+c.field+`"`) {
				t.Errorf("%v: %d %s", c.body, res.Status, res.Body)
			}
		}
		v := must(t, env.Do("POST", path, broker, aegean(map[string]any{"registered_owner_imo": "IMO 2041999",
			"doc_company_imo": " 6028950 ", "flag": "Malta", "mmsi": "248731000", "vessel_type": "Crude oil tanker", "dwt": 115800})), 201)
		if v["registered_owner_imo"] != "2041999" || v["doc_company_imo"] != "6028950" || v["size_class"] != "Aframax" {
			t.Fatalf("vessel: %v", v)
		}
		if w, ok := v["warnings"].([]any); !ok || len(w) != 0 {
			t.Fatalf("warnings of a Maltese MMSI on a Maltese ship: %#v", v["warnings"])
		}
		id := v["id"].(string)
		res := env.Do("PATCH", path+"/"+id, broker, map[string]any{"doc_company_imo": "9372145"})
		if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"doc_company_imo"`) {
			t.Fatalf("patch with a ship number: %d %s", res.Status, res.Body)
		}
		upd := must(t, env.Do("PATCH", path+"/"+id, broker, map[string]any{"doc_company_imo": ""}), 200)
		if upd["doc_company_imo"] != "" || upd["registered_owner_imo"] != "2041999" {
			t.Fatalf("cleared DOC number: %v", upd)
		}

		// An MMSI whose MID names another flag: saved, with a warning in words.
		upd = must(t, env.Do("PATCH", path+"/"+id, broker, map[string]any{"mmsi": "636019284"}), 200)
		if w, _ := upd["warnings"].([]any); len(w) != 1 || !strings.Contains(w[0].(string), "Liberia") || !strings.Contains(w[0].(string), "Malta") {
			t.Fatalf("warnings: %#v", upd["warnings"])
		}
		got := must(t, env.Do("GET", path+"/"+id, broker, nil), 200)
		if got["mmsi"] != "636019284" || len(got["warnings"].([]any)) != 1 {
			t.Fatalf("stored with the warning: %v", got)
		}
		upd = must(t, env.Do("PATCH", path+"/"+id, broker, map[string]any{"flag": "Liberia"}), 200)
		if w, _ := upd["warnings"].([]any); len(w) != 0 {
			t.Fatalf("warnings after re-flagging to Liberia: %#v", upd["warnings"])
		}
		levant := must(t, env.Do("POST", path, broker, map[string]any{"name": "MT LEVANT PIONEER", "imo": "9455832",
			"role": "receiving", "flag": "Marshall Is.", "mmsi": "538001234", "dwt": 105300}), 201)
		if w, ok := levant["warnings"].([]any); !ok || len(w) != 0 || levant["size_class"] != "Aframax" {
			t.Fatalf("Marshall Is. with a Marshall Islands MMSI, no type: %v", levant)
		}

		// The size class is for oil tankers only.
		lid := levant["id"].(string)
		for _, c := range []struct{ vesselType, want string }{
			{"LNG carrier", ""}, {"LPG tanker", ""}, {"Chemical tanker", ""}, {"Bulk carrier", ""},
			{"Product tanker", "Aframax"}, {"", "Aframax"},
		} {
			upd := must(t, env.Do("PATCH", path+"/"+lid, broker, map[string]any{"vessel_type": c.vesselType}), 200)
			if upd["size_class"] != c.want {
				t.Errorf("size class of a %q of 105,300 DWT = %v, want %q", c.vesselType, upd["size_class"], c.want)
			}
		}
		list := must(t, env.Do("GET", path, broker, nil), 200)["items"].([]any)
		for _, it := range list {
			if _, ok := it.(map[string]any)["warnings"].([]any); !ok {
				t.Errorf("listed vessel without a warnings array: %v", it)
			}
		}
	})
}

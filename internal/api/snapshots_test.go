package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/waitfor"
)

// waitSnapshot polls a snapshot until it leaves "generating" (at most 15 s) and returns it.
func waitSnapshot(t *testing.T, env *apptest.Env, token, roomID, id string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := must(t, env.Do("GET", "/api/v1/rooms/"+roomID+"/snapshots/"+id, token, nil), 200)
		if s["status"] != "generating" {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("snapshot %s still generating after 15 s", id)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func download(t *testing.T, env *apptest.Env, token string, snap map[string]any) []byte {
	t.Helper()
	res := env.Do("GET", snap["download_url"].(string), token, nil)
	if res.Status != 200 {
		t.Fatalf("download: %d %s", res.Status, res.Body)
	}
	sum := sha256.Sum256(res.Body)
	if hex.EncodeToString(sum[:]) != snap["sha256"] || int(snap["file_size"].(float64)) != len(res.Body) {
		t.Fatalf("downloaded bytes do not match the snapshot's sha256/size")
	}
	if !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || res.Header.Get("ETag") != `"`+snap["sha256"].(string)+`"` {
		t.Fatalf("download headers: %v", res.Header)
	}
	return res.Body
}

func TestSnapshotsOfEachKind(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		broker := env.Login("broker@valletta.test")
		room := newRoom(t, env, broker)
		must(t, env.Do("POST", "/api/v1/rooms/"+room+"/vessels", broker, map[string]any{"name": "MT AEGEAN SERENITY", "imo": "9372145", "role": "discharging"}), 201)
		// A type the broker may upload on the STS provider's behalf (a Q88 is the owner's to upload).
		must(t, env.Upload(room, broker, []string{"type", "POAC"}, "poac.pdf", apptest.PDF("POAC")), 201)

		kinds := map[string]string{"pdf": "%PDF-", "json": "{\n  \"schema\": \"stshub.snapshot/v1\"", "csv": "room_id,room_title,"}
		for kind, prefix := range kinds {
			created := env.Do("POST", "/api/v1/rooms/"+room+"/snapshots", broker, map[string]any{"snapshot_type": kind, "include_activity": true})
			if created.Status != http.StatusAccepted || created.Map()["status"] != "generating" {
				t.Fatalf("create %s: %d %s", kind, created.Status, created.Body)
			}
			snap := waitSnapshot(t, env, broker, room, created.Map()["id"].(string))
			if snap["status"] != "completed" {
				t.Fatalf("%s snapshot: %v", kind, snap)
			}
			body := download(t, env, broker, snap)
			if !bytes.HasPrefix(body, []byte(prefix)) {
				t.Fatalf("%s snapshot starts %q", kind, body[:min(len(body), 40)])
			}
		}
		list := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/snapshots", broker, nil), 200)["items"].([]any)
		if len(list) != 3 {
			t.Fatalf("list: %d snapshots", len(list))
		}
		for i := 1; i < len(list); i++ {
			if list[i].(map[string]any)["id"].(string) > list[i-1].(map[string]any)["id"].(string) {
				t.Fatal("snapshots are not newest first")
			}
		}
		activity := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities?action=snapshot_completed", broker, nil), 200)["items"].([]any)
		if len(activity) != 3 || activity[0].(map[string]any)["actor"] != "system" {
			t.Fatalf("completion entries: %v", activity)
		}
	})
}

// TestSnapshotIsPointInTime: the captured state is the room at the moment of creation,
// whatever happens before the file is rendered; an unchanged room renders byte-identical JSON.
func TestSnapshotIsPointInTime(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		broker := env.Login("broker@valletta.test")
		room := newRoom(t, env, broker)

		env.StopBackground() // nothing renders until we say so
		first := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/snapshots", broker, map[string]any{"snapshot_type": "json"}), 202)
		second := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/snapshots", broker, map[string]any{"snapshot_type": "json"}), 202)
		pending := env.Do("GET", first["download_url"].(string), broker, nil)
		if pending.Status != http.StatusConflict {
			t.Fatalf("download while generating: %d", pending.Status)
		}
		must(t, env.Do("PATCH", "/api/v1/rooms/"+room, broker, map[string]string{"title": "Changed after the snapshot"}), 200)
		third := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/snapshots", broker, map[string]any{"snapshot_type": "json"}), 202)
		env.StartBackground()

		a := download(t, env, broker, waitSnapshot(t, env, broker, room, first["id"].(string)))
		b := download(t, env, broker, waitSnapshot(t, env, broker, room, second["id"].(string)))
		c := download(t, env, broker, waitSnapshot(t, env, broker, room, third["id"].(string)))
		if !bytes.Equal(a, b) {
			t.Fatalf("two snapshots of an unchanged room differ:\n%s\n---\n%s", a, b)
		}
		var state struct {
			Schema string `json:"schema"`
			Room   struct {
				Title string `json:"title"`
			} `json:"room"`
			Audit struct {
				Seq  int64  `json:"seq"`
				Hash string `json:"hash"`
			} `json:"audit"`
		}
		if err := json.Unmarshal(a, &state); err != nil || state.Schema != "stshub.snapshot/v1" || state.Room.Title != "Malta crude STS" || state.Audit.Hash == "" {
			t.Fatalf("first snapshot: %+v %v", state, err)
		}
		if err := json.Unmarshal(c, &state); err != nil || state.Room.Title != "Changed after the snapshot" {
			t.Fatalf("third snapshot: %+v %v", state, err)
		}
	})
}

func TestSnapshotDeleteAndFailure(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		env.CreateUser("vetting@mediterra.test")
		broker := env.Login("broker@valletta.test")
		room := newRoom(t, env, broker)
		must(t, env.Do("POST", "/api/v1/rooms/"+room+"/parties", broker, map[string]string{"email": "vetting@mediterra.test", "role": "charterer"}), 201)
		charterer := env.Login("vetting@mediterra.test")
		snap := waitSnapshot(t, env, charterer, room, must(t, env.Do("POST", "/api/v1/rooms/"+room+"/snapshots", charterer,
			map[string]any{"snapshot_type": "csv", "title": "For vetting"}), 202)["id"].(string))
		if snap["title"] != "For vetting" || snap["created_by_email"] != "vetting@mediterra.test" {
			t.Fatalf("snapshot: %v", snap)
		}
		must(t, env.Do("DELETE", "/api/v1/rooms/"+room+"/snapshots/"+snap["id"].(string), charterer, nil), 403)
		must(t, env.Do("DELETE", "/api/v1/rooms/"+room+"/snapshots/"+snap["id"].(string), broker, nil), 204)
		must(t, env.Do("GET", "/api/v1/rooms/"+room+"/snapshots/"+snap["id"].(string), broker, nil), 404)
		// The file is the sweep's: it goes once nothing has kept it for the grace period.
		if ok, _ := env.App.Service().FileExists(t.Context(), snap["sha256"].(string)); !ok {
			t.Fatal("the deleted snapshot's file went at once, before the sweep")
		}
		env.Advance(2 * service.BlobGrace)
		waitfor.Until(t, "the sweep's turn", func() bool {
			rep, err := env.App.Service().SweepBlobs(t.Context())
			return err == nil && rep.Ran
		})
		if ok, _ := env.App.Service().FileExists(t.Context(), snap["sha256"].(string)); ok {
			t.Fatal("the deleted snapshot's file is still stored after the sweep")
		}

		// A snapshot whose rendering keeps failing ends as failed, with the reason.
		env.StopBackground()
		broken := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/snapshots", broker, map[string]any{"snapshot_type": "pdf"}), 202)
		env.RawExec(`UPDATE snapshots SET state = 'not json' WHERE id = ?`, broken["id"].(string))
		if err := env.App.Service().RenderSnapshot(t.Context(), room, broken["id"].(string), false); err == nil {
			t.Fatal("rendering a corrupt state succeeded")
		}
		if s := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/snapshots/"+broken["id"].(string), broker, nil), 200); s["status"] != "generating" {
			t.Fatalf("after a failed attempt that is not the last: %v", s["status"])
		}
		_ = env.App.Service().RenderSnapshot(t.Context(), room, broken["id"].(string), true)
		failed := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/snapshots/"+broken["id"].(string), broker, nil), 200)
		if failed["status"] != "failed" || failed["failure_reason"] == "" {
			t.Fatalf("after the last attempt: %v", failed)
		}
		if res := env.Do("GET", failed["download_url"].(string), broker, nil); res.Status != http.StatusConflict {
			t.Fatalf("download of a failed snapshot: %d", res.Status)
		}
		env.StartBackground()
	})
}

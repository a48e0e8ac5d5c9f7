package api_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/store"
)

// Records stay: the rules of clearance.CheckRetention and clearance.SnapshotDeletable, seen
// through the API on both engines.

// setRoomStatus puts a room in a status as the lifecycle's writes do (store.UpdateRoom, which
// also notes the first clearance), without walking the lifecycle's preconditions.
func setRoomStatus(t *testing.T, env *apptest.Env, roomID string, status clearance.RoomStatus) {
	t.Helper()
	ctx := context.Background()
	err := env.App.DB().InTx(ctx, func(tx store.Q) error {
		r, err := tx.RoomByID(ctx, roomID)
		if err != nil {
			return err
		}
		r.Status, r.UpdatedAt = string(status), env.Now().UTC()
		return tx.UpdateRoom(ctx, r)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// conflict checks a 409 problem whose detail says want.
func conflict(t *testing.T, what string, res *apptest.Response, want string) {
	t.Helper()
	if res.Status != 409 || res.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(res.Map()["detail"].(string), want) {
		t.Errorf("%s: %d %s, want a 409 problem saying %q", what, res.Status, res.Body, want)
	}
}

// ok checks a 200 answer of any content type.
func ok(t *testing.T, res *apptest.Response) {
	t.Helper()
	if res.Status != 200 {
		t.Errorf("%d, want 200: %.300s", res.Status, res.Body)
	}
}

// actions lists a room's trail as its actions, newest first, with each entry's meta.
func actions(t *testing.T, env *apptest.Env, token, roomID string) ([]string, []map[string]any) {
	t.Helper()
	var out struct {
		Items []struct {
			Action string          `json:"action"`
			Meta   json.RawMessage `json:"meta"`
		} `json:"items"`
	}
	res := env.Do("GET", "/api/v1/rooms/"+roomID+"/activities?limit=200", token, nil)
	if res.Status != 200 {
		t.Fatalf("activities: %d %s", res.Status, res.Body)
	}
	res.JSON(&out)
	var names []string
	var metas []map[string]any
	for _, e := range out.Items {
		var m map[string]any
		_ = json.Unmarshal(e.Meta, &m)
		names, metas = append(names, e.Action), append(metas, m)
	}
	return names, metas
}

func ids(t *testing.T, env *apptest.Env, path, token string) map[string]bool {
	t.Helper()
	var out struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	res := env.Do("GET", path, token, nil)
	if res.Status != 200 {
		t.Fatalf("GET %s: %d %s", path, res.Status, res.Body)
	}
	res.JSON(&out)
	got := map[string]bool{}
	for _, it := range out.Items {
		got[it.ID] = true
	}
	return got
}

// TestRoomDeletionInEveryStatus: only a draft room can be deleted; the others are kept.
func TestRoomDeletionInEveryStatus(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		broker := env.Login("broker@valletta.test")
		for _, st := range clearance.RoomStatuses() {
			room := newRoom(t, env, broker)
			setRoomStatus(t, env, room, st)
			res := env.Do("DELETE", "/api/v1/rooms/"+room, broker, nil)
			if st == clearance.StatusDraft {
				if res.Status != 204 {
					t.Errorf("delete a draft room: %d %s", res.Status, res.Body)
				}
				continue
			}
			conflict(t, "delete a "+string(st)+" room", res, "cannot be deleted, its records are kept; archive it instead")
			must(t, env.Do("GET", "/api/v1/rooms/"+room, broker, nil), 200)
		}
	})
}

// TestArchiveLifecycle: archive a finished room, find it only in the archived list, write
// nothing to it but read and download everything, then unarchive it.
func TestArchiveLifecycle(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		env.CreateUser("viewer@pandi.test")
		broker := env.Login("broker@valletta.test")
		viewer := env.Login("viewer@pandi.test")
		room := newRoom(t, env, broker)
		base := "/api/v1/rooms/" + room
		must(t, env.Do("POST", base+"/parties", broker, map[string]string{"email": "viewer@pandi.test", "role": "viewer"}), 201)
		// A type the broker may upload on the STS provider's behalf (a Q88 is the owner's to upload).
		doc := must(t, env.Upload(room, broker, []string{"type", "POAC"}, "poac.pdf", apptest.PDF("POAC")), 201)["id"].(string)
		snap := must(t, env.Do("POST", base+"/snapshots", broker, map[string]any{"snapshot_type": "json"}), 202)["id"].(string)
		waitSnapshot(t, env, broker, room, snap)

		conflict(t, "archive a draft room", env.Do("POST", base+"/archive", broker, nil), "complete or cancel it first")
		must(t, env.Do("POST", base+"/status", broker, map[string]string{"status": "cancelled", "reason": "fixture failed"}), 200)
		conflict(t, "unarchive a room that is not archived", env.Do("POST", base+"/unarchive", broker, nil), "not archived")
		if res := env.Do("POST", base+"/archive", viewer, nil); res.Status != 403 {
			t.Errorf("a viewer archives: %d %s", res.Status, res.Body)
		}
		archived := must(t, env.Do("POST", base+"/archive", broker, nil), 200)
		if archived["archived_at"] == nil || archived["status"] != "cancelled" {
			t.Fatalf("archived room: %v", archived)
		}
		conflict(t, "archive twice", env.Do("POST", base+"/archive", broker, nil), "already archived")

		if ids(t, env, "/api/v1/rooms", broker)[room] {
			t.Error("an archived room is in the default list")
		}
		if !ids(t, env, "/api/v1/rooms?archived=true", broker)[room] {
			t.Error("an archived room is missing from ?archived=true")
		}
		// Every write is refused with the reason; reads and downloads work.
		conflict(t, "edit", env.Do("PATCH", base, broker, map[string]string{"title": "Renamed"}), "the room is archived")
		conflict(t, "add a party", env.Do("POST", base+"/parties", broker, map[string]string{"email": "x@y.test", "role": "viewer"}), "the room is archived")
		conflict(t, "snapshot", env.Do("POST", base+"/snapshots", broker, map[string]any{"snapshot_type": "pdf"}), "the room is archived")
		conflict(t, "delete a snapshot", env.Do("DELETE", base+"/snapshots/"+snap, broker, nil), "the room is archived")
		conflict(t, "delete the room", env.Do("DELETE", base, broker, nil), "the room is archived")
		for _, path := range []string{"", "/documents", "/documents/" + doc + "/download", "/snapshots", "/snapshots/" + snap + "/download", "/activities", "/permissions"} {
			ok(t, env.Do("GET", base+path, viewer, nil))
		}
		admin := env.Login(apptest.AdminEmail)
		if !ids(t, env, "/api/v1/admin/rooms?state=archived", admin)[room] {
			t.Error("the admins' archived list lacks the room")
		}
		if res := env.Do("GET", "/api/v1/admin/rooms?state=archived", broker, nil); res.Status != 403 {
			t.Errorf("a user lists archived rooms: %d", res.Status)
		}
		must(t, env.Do("POST", base+"/admin-access", admin, map[string]string{"reason": "P&I claim 2031-17"}), 201)
		ok(t, env.Do("GET", base+"/documents/"+doc+"/download", admin, nil))

		unarchived := must(t, env.Do("POST", base+"/unarchive", broker, nil), 200)
		if _, ok := unarchived["archived_at"]; ok {
			t.Errorf("unarchived room still has archived_at: %v", unarchived)
		}
		if !ids(t, env, "/api/v1/rooms", broker)[room] {
			t.Error("an unarchived room is missing from the default list")
		}
		trail, _ := actions(t, env, broker, room)
		if !strings.Contains(strings.Join(trail, " "), "room_unarchived") || !strings.Contains(strings.Join(trail, " "), "room_archived") {
			t.Errorf("trail lacks the archiving: %v", trail)
		}
	})
}

// TestAdminReachesDeletedRoom: a deleted draft room is 404 to its parties, listed for
// admins, and readable (not writable) through admin access.
func TestAdminReachesDeletedRoom(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		broker := env.Login("broker@valletta.test")
		admin := env.Login(apptest.AdminEmail)
		room := newRoom(t, env, broker)
		base := "/api/v1/rooms/" + room
		// A type the broker may upload on the STS provider's behalf (a Q88 is the owner's to upload).
		doc := must(t, env.Upload(room, broker, []string{"type", "POAC"}, "poac.pdf", apptest.PDF("POAC")), 201)["id"].(string)
		snap := must(t, env.Do("POST", base+"/snapshots", broker, map[string]any{"snapshot_type": "csv"}), 202)["id"].(string)
		waitSnapshot(t, env, broker, room, snap)
		must(t, env.Do("DELETE", base, broker, nil), 204)

		if res := env.Do("GET", base, broker, nil); res.Status != 404 {
			t.Errorf("the broker reads the deleted room: %d", res.Status)
		}
		if res := env.Do("GET", base, admin, nil); res.Status != 404 {
			t.Errorf("an admin without access reads the deleted room: %d", res.Status)
		}
		if !ids(t, env, "/api/v1/admin/rooms?state=deleted", admin)[room] {
			t.Error("the admins' deleted list lacks the room")
		}
		if ids(t, env, "/api/v1/admin/rooms?state=archived", admin)[room] {
			t.Error("a deleted room is in the archived list")
		}
		if res := env.Do("GET", "/api/v1/admin/rooms?state=gone", admin, nil); res.Status != 422 {
			t.Errorf("an unknown state: %d", res.Status)
		}
		must(t, env.Do("POST", base+"/admin-access", admin, map[string]string{"reason": "flag state inquiry"}), 201)
		got := must(t, env.Do("GET", base, admin, nil), 200)
		if got["deleted_at"] == nil {
			t.Errorf("the deleted room has no deleted_at: %v", got)
		}
		for _, path := range []string{"/documents", "/documents/" + doc + "/download", "/snapshots", "/snapshots/" + snap, "/snapshots/" + snap + "/download", "/activities", "/parties", "/summary"} {
			ok(t, env.Do("GET", base+path, admin, nil))
		}
		if res := env.Do("PATCH", base, admin, map[string]string{"title": "x"}); res.Status != 403 {
			t.Errorf("the admin's viewer edits: %d", res.Status)
		}
		// Still 404 to its former parties, after the admin's access too.
		for _, path := range []string{"", "/documents", "/snapshots", "/activities"} {
			if res := env.Do("GET", base+path, broker, nil); res.Status != 404 {
				t.Errorf("the broker reads %s of the deleted room: %d", path, res.Status)
			}
		}
		trail, _ := actions(t, env, admin, room)
		joined := strings.Join(trail, " ")
		for _, a := range []string{"room_deleted", "admin_room_access", "document_downloaded", "snapshot_downloaded"} {
			if !strings.Contains(joined, a) {
				t.Errorf("trail lacks %s: %v", a, trail)
			}
		}
	})
}

// TestSnapshotRetention: deleting a snapshot in every room status, ever cleared or not, a
// moment before and after the retention period (the app's clock moved on).
func TestSnapshotRetention(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		retention := clearance.DefaultRecordRetention
		type tc struct {
			status      clearance.RoomStatus
			everCleared bool
		}
		var cases []tc
		for _, st := range clearance.RoomStatuses() {
			cases = append(cases, tc{st, false})
			if st == clearance.StatusClearing || st == clearance.StatusOnHold || st == clearance.StatusCancelled {
				cases = append(cases, tc{st, true}) // cleared once, then lost it
			}
		}
		for _, c := range cases {
			name := string(c.status)
			if c.everCleared {
				name += " (cleared before)"
			}
			broker := env.Login("broker@valletta.test")
			room := newRoom(t, env, broker)
			base := "/api/v1/rooms/" + room + "/snapshots/"
			young := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/snapshots", broker, map[string]any{"snapshot_type": "json"}), 202)["id"].(string)
			if c.everCleared {
				setRoomStatus(t, env, room, clearance.StatusCleared)
			}
			setRoomStatus(t, env, room, c.status)
			wasCleared := c.everCleared || c.status == clearance.StatusCleared || c.status == clearance.StatusInOperation || c.status == clearance.StatusCompleted

			env.Advance(retention - time.Minute)
			broker = env.Login("broker@valletta.test") // the earlier session has expired
			old := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/snapshots", broker, map[string]any{"snapshot_type": "json"}), 202)["id"].(string)
			res := env.Do("DELETE", base+young, broker, nil)
			switch {
			case wasCleared:
				conflict(t, name+", just under the period", res, "the room has been cleared")
			case res.Status != 204:
				t.Errorf("%s, just under the period: %d %s", name, res.Status, res.Body)
			}

			env.Advance(retention + time.Minute)
			broker = env.Login("broker@valletta.test")
			res = env.Do("DELETE", base+old, broker, nil)
			if wasCleared {
				conflict(t, name+", just over the period", res, "the room has been cleared")
			} else {
				conflict(t, name+", just over the period", res, "older than the retention period (1096 days)")
			}
		}
	})
}

// TestDownloadsRecorded: each download of a version and of a snapshot is in the trail, with
// who and which.
func TestDownloadsRecorded(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser("broker@valletta.test")
		broker := env.Login("broker@valletta.test")
		room := newRoom(t, env, broker)
		base := "/api/v1/rooms/" + room
		// A type the broker may upload on the STS provider's behalf (a Q88 is the owner's to upload).
		doc := must(t, env.Upload(room, broker, []string{"type", "POAC"}, "poac-v1.pdf", apptest.PDF("POAC v1")), 201)
		docID := doc["id"].(string)
		first := doc["versions"].([]any)[0].(map[string]any)["id"].(string)
		must(t, env.Upload(room, broker, []string{"type", "POAC"}, "poac-v2.pdf", apptest.PDF("POAC v2")), 201)
		ok(t, env.Do("GET", base+"/documents/"+docID+"/download?version="+first, broker, nil))
		snap := must(t, env.Do("POST", base+"/snapshots", broker, map[string]any{"snapshot_type": "csv"}), 202)["id"].(string)
		waitSnapshot(t, env, broker, room, snap)
		ok(t, env.Do("GET", base+"/snapshots/"+snap+"/download", broker, nil))

		trail, metas := actions(t, env, broker, room)
		if trail[0] != "snapshot_downloaded" || metas[0]["snapshot_type"] != "csv" {
			t.Errorf("newest entry %s %v, want the snapshot download", trail[0], metas[0])
		}
		var found bool
		for i, a := range trail {
			if a == "document_downloaded" {
				m := metas[i]
				found = m["type"] == "POAC" && m["version_id"] == first && m["version"] == float64(1) && m["filename"] == "poac-v1.pdf"
			}
		}
		if !found {
			t.Errorf("no document_downloaded of version 1 with its type, number and filename: %v %v", trail, metas)
		}
	})
}

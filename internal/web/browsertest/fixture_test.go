package browsertest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
)

// roomWithOwnersQ88 makes the room several walk-throughs start from: the broker's room ten
// days ahead, with a charterer and an owner acting for the one ship, whose Q88 (filename)
// the owner has uploaded and which waits for review. It returns the room and the Q88.
func roomWithOwnersQ88(t *testing.T, env *apptest.Env, filename string) (roomID, docID string) {
	t.Helper()
	for _, e := range []string{brokerEmail, chartererEmail, ownerEmail} {
		env.CreateUser(e)
	}
	broker := env.Login(brokerEmail)
	must := func(res *apptest.Response, status int) map[string]any {
		t.Helper()
		if res.Status != status {
			t.Fatalf("fixture: %d %s", res.Status, res.Body)
		}
		return res.Map()
	}
	roomID = must(env.Do(http.MethodPost, "/api/v1/rooms", broker, map[string]any{"title": roomTitle, "location": roomLocation,
		"sts_eta": time.Now().UTC().Add(10 * 24 * time.Hour).Format(time.RFC3339)}), http.StatusCreated)["id"].(string)
	must(env.Do(http.MethodPost, "/api/v1/rooms/"+roomID+"/parties", broker, map[string]string{"email": chartererEmail, "role": "charterer"}), http.StatusCreated)
	owner := must(env.Do(http.MethodPost, "/api/v1/rooms/"+roomID+"/parties", broker, map[string]string{"email": ownerEmail, "role": "owner"}), http.StatusCreated)
	vessel := must(env.Do(http.MethodPost, "/api/v1/rooms/"+roomID+"/vessels", broker, map[string]any{"name": vesselName, "imo": goodIMO,
		"role": "discharging", "party_ids": []string{owner["id"].(string)}}), http.StatusCreated)
	docID = must(env.Upload(roomID, env.Login(ownerEmail), []string{"type", "Q88", "vessel_id", vessel["id"].(string)},
		filename, apptest.PDF("Q88 AEGEAN SERENITY")), http.StatusCreated)["id"].(string)
	return roomID, docID
}

package api_test

import (
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestQuestionFromTheOtherShip (review W2, T3): the owner of the other ship asks about this
// ship's Q88, which it may (it is not this ship's supplier); the question is addressed to
// the owners, so it is the task of this ship's owner until that owner answers, and again
// whenever the other ship's owner writes last: a follow-up, or a reopening.
func TestQuestionFromTheOtherShip(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newDocFixture(t, env)
		const otherEmail = "master@levant.test"
		env.CreateUser(otherEmail)
		otherParty := addParty(t, env, f.broker, f.room, otherEmail, "owner")
		other := env.Login(otherEmail)
		addVessel(t, env, f.broker, f.room, "MT LEVANT PIONEER", "9321483", otherParty)
		must(t, env.Upload(f.room, f.owner, []string{"type", "Q88", "vessel_id", f.vessel}, "q88.pdf", apptest.PDF("Q88")), 201)
		var doc string
		for _, d := range itemsOf(t, env.Do("GET", "/api/v1/rooms/"+f.room+"/documents", f.broker, nil)) {
			if d["type"].(map[string]any)["code"] == "Q88" && d["vessel_id"] == f.vessel {
				doc = d["id"].(string)
			}
		}
		if doc == "" {
			t.Fatal("no Q88 of the first ship")
		}
		q88 := "/api/v1/rooms/" + f.room + "/documents/" + doc

		answerTasks := func(token string) int {
			var list struct {
				Items []taskItem `json:"items"`
			}
			res := env.Do("GET", "/api/v1/me/tasks", token, nil)
			if res.Status != 200 {
				t.Fatalf("GET /me/tasks: %d %s", res.Status, res.Body)
			}
			res.JSON(&list)
			n := 0
			for _, task := range list.Items {
				if task.Kind == "answer_question" && task.DocumentID == doc {
					n++
				}
			}
			return n
		}
		step := func(name string, wantOwner int) {
			t.Helper()
			if n := answerTasks(f.owner); n != wantOwner {
				t.Errorf("%s: the first ship's owner has %d questions to answer, want %d", name, n, wantOwner)
			}
			if n := answerTasks(other); n != 0 {
				t.Errorf("%s: the asking owner has %d questions to answer on the other ship's Q88", name, n)
			}
		}

		q := must(t, env.Do("POST", q88+"/questions", other, map[string]string{"text": "What is your manifold height?"}), 201)
		if q["addressed_to"] != "owner" || q["addressed_to_you"] != false {
			t.Fatalf("asked: %v", q)
		}
		if v := must(t, env.Do("GET", q88+"/questions/"+q["id"].(string), f.owner, nil), 200); v["addressed_to_you"] != true {
			t.Fatalf("the first ship's owner is not addressed: %v", v)
		}
		step("asked", 1)
		qp := q88 + "/questions/" + q["id"].(string)
		must(t, env.Do("POST", qp+"/replies", f.owner, map[string]string{"text": "2.4 m."}), 201)
		step("answered", 0)
		must(t, env.Do("POST", qp+"/replies", other, map[string]string{"text": "Above the waterline at full load?"}), 201)
		step("a follow-up from the asker", 1)
		must(t, env.Do("POST", qp+"/replies", f.owner, map[string]string{"text": "At full load."}), 201)
		must(t, env.Do("POST", qp+"/resolve", other, nil), 200)
		step("resolved", 0)
		must(t, env.Do("POST", qp+"/reopen", other, map[string]string{"note": "And in ballast?"}), 200)
		step("reopened by the asker", 1)
	})
}

package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// questionRoom is a room with a broker, a charterer, an owner bound to its one vessel, and
// a seller, and the owner's Q88 uploaded; docs maps type code → document ID.
func questionRoom(t *testing.T, env *apptest.Env) (room string, tokens map[string]string, docs map[string]string) {
	t.Helper()
	tokens = map[string]string{}
	for _, role := range []string{"broker", "charterer", "owner", "seller"} {
		env.CreateUser(role + "@rfi.test")
		tokens[role] = env.Login(role + "@rfi.test")
	}
	room = newRoom(t, env, tokens["broker"])
	parties := map[string]string{}
	for _, role := range []string{"charterer", "owner", "seller"} {
		parties[role] = must(t, env.Do("POST", "/api/v1/rooms/"+room+"/parties", tokens["broker"],
			map[string]string{"email": role + "@rfi.test", "role": role}), 201)["id"].(string)
	}
	vessel := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/vessels", tokens["broker"], map[string]any{"name": "MT AEGEAN SERENITY",
		"imo": "9372145", "role": "discharging", "party_ids": []string{parties["owner"]}}), 201)["id"].(string)
	must(t, env.Upload(room, tokens["owner"], []string{"type", "Q88", "vessel_id", vessel}, "q88.pdf", apptest.PDF("Q88")), 201)
	var list struct {
		Items []struct {
			ID   string `json:"id"`
			Type struct {
				Code string `json:"code"`
			} `json:"type"`
		} `json:"items"`
	}
	env.Do("GET", "/api/v1/rooms/"+room+"/documents", tokens["broker"], nil).JSON(&list)
	docs = map[string]string{}
	for _, d := range list.Items {
		docs[d.Type.Code] = d.ID
	}
	return room, tokens, docs
}

// TestQuestionsOnDocuments walks a question's life through the API: asked of the supplier,
// answered, resolved, reopened and resolved again; each step in the trail; the document and
// the summary counting it; the snapshots holding the thread; and a party that may not see a
// document seeing none of its questions.
func TestQuestionsOnDocuments(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		room, tk, docs := questionRoom(t, env)
		q88 := "/api/v1/rooms/" + room + "/documents/" + docs["Q88"]
		const asked = "The Q88 shows the old manifold height (2.1 m): please re-issue with the current one."

		// The text is required and bounded; the supplier does not ask itself.
		for _, text := range []string{"  ", strings.Repeat("x", 4001)} {
			res := env.Do("POST", q88+"/questions", tk["charterer"], map[string]string{"text": text})
			if res.Status != 422 || !strings.Contains(string(res.Body), `"field":"text"`) {
				t.Errorf("text of %d characters: %d %s", len(text), res.Status, res.Body)
			}
		}
		if res := env.Do("POST", q88+"/questions", tk["owner"], map[string]string{"text": "Is this right?"}); res.Status != 403 ||
			!strings.Contains(string(res.Body), "addressed to you") {
			t.Errorf("the supplier asking: %d %s", res.Status, res.Body)
		}

		q := must(t, env.Do("POST", q88+"/questions", tk["charterer"], map[string]string{"text": asked}), 201)
		id := q["id"].(string)
		if q["status"] != "open" || q["addressed_to"] != "owner" || q["addressed_to_you"] != false || q["text"] != asked ||
			q["asked_by"].(map[string]any)["email"] != "charterer@rfi.test" || q["type_code"] != "Q88" || q["vessel_name"] != "MT AEGEAN SERENITY" {
			t.Errorf("opened: %v", q)
		}
		if d := must(t, env.Do("GET", q88, tk["seller"], nil), 200); d["questions"].(map[string]any)["open"] != 1.0 {
			t.Errorf("the document's counts: %v", d["questions"])
		}
		// The owner's summary lists it as its own to answer; the charterer's counts it only.
		var sum struct {
			Questions struct {
				Open           int `json:"open"`
				AddressedToYou []struct {
					ID   string `json:"id"`
					Text string `json:"text"`
				} `json:"addressed_to_you"`
			} `json:"questions"`
		}
		env.Do("GET", "/api/v1/rooms/"+room+"/summary", tk["owner"], nil).JSON(&sum)
		if sum.Questions.Open != 1 || len(sum.Questions.AddressedToYou) != 1 || sum.Questions.AddressedToYou[0].Text != asked {
			t.Errorf("owner's summary: %+v", sum.Questions)
		}
		env.Do("GET", "/api/v1/rooms/"+room+"/summary", tk["charterer"], nil).JSON(&sum)
		if sum.Questions.Open != 1 || len(sum.Questions.AddressedToYou) != 0 {
			t.Errorf("charterer's summary: %+v", sum.Questions)
		}

		// The question is the owner's task until it answers.
		answerTasks := func() int {
			var list struct {
				Items []struct {
					Kind string `json:"kind"`
				} `json:"items"`
			}
			env.Do("GET", "/api/v1/rooms/"+room+"/tasks", tk["owner"], nil).JSON(&list)
			n := 0
			for _, task := range list.Items {
				if task.Kind == "answer_question" {
					n++
				}
			}
			return n
		}
		if n := answerTasks(); n != 1 {
			t.Errorf("the owner has %d questions to answer among its tasks, want 1", n)
		}

		// The owner answers; only the asker or a reviewer resolves.
		qp := q88 + "/questions/" + id
		q = must(t, env.Do("POST", qp+"/replies", tk["owner"], map[string]string{"text": "Re-issued: 2.4 m since the refit."}), 201)
		msgs := q["messages"].([]any)
		if len(msgs) != 2 || q["replies"] != 1.0 {
			t.Fatalf("after the reply: %v", q)
		}
		if a := msgs[1].(map[string]any)["author"].(map[string]any); a["email"] != "owner@rfi.test" || a["role"] != "owner" {
			t.Errorf("reply author: %v", a)
		}
		if n := answerTasks(); n != 0 {
			t.Errorf("after answering, the owner still has %d questions to answer among its tasks", n)
		}
		// Each side of the thread was told of the other's message; a party outside it was not.
		notified := func(who string) []string {
			var list struct {
				Items []struct {
					Kind  string `json:"kind"`
					Title string `json:"title"`
				} `json:"items"`
			}
			env.Do("GET", "/api/v1/me/notifications", tk[who], nil).JSON(&list)
			var titles []string
			for _, n := range list.Items {
				if strings.HasPrefix(n.Kind, "question_") {
					titles = append(titles, n.Kind+": "+n.Title)
				}
			}
			return titles
		}
		if got := notified("owner"); len(got) != 1 || got[0] != "question_asked: A question on Q88 tanker questionnaire of MT AEGEAN SERENITY" {
			t.Errorf("the supplier's notifications: %q", got)
		}
		if got := notified("charterer"); len(got) != 1 || !strings.HasPrefix(got[0], "question_replied: A reply on the question on Q88") {
			t.Errorf("the asker's notifications: %q", got)
		}
		if got := notified("seller"); len(got) != 0 {
			t.Errorf("a party outside the thread was told: %q", got)
		}
		for _, who := range []string{"owner", "seller"} {
			if res := env.Do("POST", qp+"/resolve", tk[who], nil); res.Status != 403 {
				t.Errorf("%s resolving: %d %s", who, res.Status, res.Body)
			}
		}
		q = must(t, env.Do("POST", qp+"/resolve", tk["charterer"], map[string]string{"note": "Thank you."}), 200)
		if q["status"] != "resolved" || q["resolved_by"].(map[string]any)["email"] != "charterer@rfi.test" {
			t.Errorf("resolved: %v", q)
		}
		if res := env.Do("POST", qp+"/replies", tk["owner"], map[string]string{"text": "One more thing"}); res.Status != 409 {
			t.Errorf("a reply to a resolved question: %d %s", res.Status, res.Body)
		}
		if res := env.Do("POST", qp+"/resolve", tk["charterer"], nil); res.Status != 409 {
			t.Errorf("resolving twice: %d", res.Status)
		}
		q = must(t, env.Do("POST", qp+"/reopen", tk["broker"], map[string]string{"note": "The mooring plan still says 2.1 m."}), 200)
		if q["status"] != "open" || q["resolved_by"] != nil {
			t.Errorf("reopened: %v", q)
		}
		must(t, env.Do("POST", qp+"/replies", tk["owner"], map[string]string{"text": "Mooring plan re-issued too."}), 201)
		q = must(t, env.Do("POST", qp+"/resolve", tk["charterer"], nil), 200)
		if len(q["messages"].([]any)) != 6 {
			t.Errorf("thread: %v", q["messages"])
		}

		// Every message is in the trail, naming the question.
		var trail struct {
			Items []struct {
				Action string         `json:"action"`
				Meta   map[string]any `json:"meta"`
			} `json:"items"`
		}
		env.Do("GET", "/api/v1/rooms/"+room+"/activities?limit=100", tk["broker"], nil).JSON(&trail)
		seen := map[string]int{}
		for _, e := range trail.Items {
			if strings.HasPrefix(e.Action, "question_") && e.Meta["question_id"] == id {
				seen[e.Action]++
			}
		}
		if seen["question_opened"] != 1 || seen["question_replied"] != 2 || seen["question_resolved"] != 2 || seen["question_reopened"] != 1 {
			t.Errorf("trail entries: %v", seen)
		}

		// A question on a missing SIRE report, which the cargo parties may not see: it is
		// not there for the seller, by any route, nor in its summary or trail.
		sire := "/api/v1/rooms/" + room + "/documents/" + docs["SIRE"]
		hidden := must(t, env.Do("POST", sire+"/questions", tk["charterer"], map[string]string{"text": "When is the SIRE 2.0 inspection due?"}), 201)
		for _, c := range []struct{ method, path string }{{"GET", sire + "/questions"}, {"POST", sire + "/questions"},
			{"GET", sire + "/questions/" + hidden["id"].(string)}, {"POST", sire + "/questions/" + hidden["id"].(string) + "/replies"}} {
			if res := env.Do(c.method, c.path, tk["seller"], map[string]string{"text": "x"}); res.Status != 404 {
				t.Errorf("seller %s %s: %d %s", c.method, c.path, res.Status, res.Body)
			}
		}
		env.Do("GET", "/api/v1/rooms/"+room+"/summary", tk["seller"], nil).JSON(&sum)
		if sum.Questions.Open != 0 {
			t.Errorf("seller's summary counts a hidden question: %+v", sum.Questions)
		}
		env.Do("GET", "/api/v1/rooms/"+room+"/summary", tk["owner"], nil).JSON(&sum)
		if sum.Questions.Open != 1 || len(sum.Questions.AddressedToYou) != 1 {
			t.Errorf("owner's summary with the SIRE question: %+v", sum.Questions)
		}
		res := env.Do("GET", "/api/v1/rooms/"+room+"/activities?limit=100", tk["seller"], nil)
		if strings.Contains(string(res.Body), "SIRE 2.0 inspection due") || strings.Contains(string(res.Body), hidden["id"].(string)) {
			t.Error("the seller's trail names the hidden question")
		}

		// The snapshots hold both threads.
		var state struct {
			Questions []struct {
				TypeCode string `json:"type_code"`
				Status   string `json:"status"`
				Messages []struct {
					Kind string `json:"kind"`
					Text string `json:"text"`
				} `json:"messages"`
			} `json:"questions"`
		}
		snap := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/snapshots", tk["broker"], map[string]any{"snapshot_type": "json"}), 202)
		if err := json.Unmarshal(download(t, env, tk["broker"], waitSnapshot(t, env, tk["broker"], room, snap["id"].(string))), &state); err != nil {
			t.Fatal(err)
		}
		if len(state.Questions) != 2 || state.Questions[0].TypeCode != "Q88" || state.Questions[0].Status != "resolved" ||
			len(state.Questions[0].Messages) != 6 || state.Questions[0].Messages[0].Text != asked || state.Questions[1].TypeCode != "SIRE" {
			t.Errorf("JSON snapshot questions: %+v", state.Questions)
		}
		snap = must(t, env.Do("POST", "/api/v1/rooms/"+room+"/snapshots", tk["broker"], map[string]any{"snapshot_type": "csv"}), 202)
		csv := string(download(t, env, tk["broker"], waitSnapshot(t, env, tk["broker"], room, snap["id"].(string))))
		if !strings.Contains(csv, "\r\nQuestions\r\nquestion_id,") || !strings.Contains(csv, "Mooring plan re-issued too.") ||
			!strings.Contains(csv, "When is the SIRE 2.0 inspection due?") {
			t.Errorf("CSV snapshot lacks the Questions section:\n%s", csv)
		}
	})
}

// TestDisabledAccountsAreToldNothing: a disabled party's user gets no notification (and so
// no e-mail) of a question addressed to it once disabled.
func TestDisabledAccountsAreToldNothing(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		room, tk, docs := questionRoom(t, env)
		owner, err := env.App.DB().Read().UserByEmail(t.Context(), "owner@rfi.test")
		if err != nil {
			t.Fatal(err)
		}
		admin := env.Login(apptest.AdminEmail)
		must(t, env.Do("PATCH", "/api/v1/users/"+owner.ID, admin, map[string]any{"disabled": true}), 200)
		must(t, env.Do("POST", "/api/v1/rooms/"+room+"/documents/"+docs["Q88"]+"/questions", tk["charterer"],
			map[string]string{"text": "Which manifold height is current?"}), 201)
		got, err := env.App.DB().Read().ListNotifications(t.Context(), owner.ID, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range got {
			if n.Kind == "question_asked" {
				t.Errorf("the disabled owner was told of the question: %+v", n)
			}
		}
	})
}

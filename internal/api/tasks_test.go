package api_test

import (
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

type taskItem struct {
	Kind       string `json:"kind"`
	RoomID     string `json:"room_id"`
	DocumentID string `json:"document_id"`
	TypeCode   string `json:"type_code"`
	VesselID   string `json:"vessel_id"`
	Text       string `json:"text"`
}

func (m *matrixEnv) tasks(t *testing.T, path, caller string) []taskItem {
	t.Helper()
	res := m.Do("GET", path, m.tokens[caller], nil)
	if res.Status != 200 {
		t.Fatalf("GET %s as %s: %d %s", path, caller, res.Status, res.Body)
	}
	var out struct {
		Items []taskItem `json:"items"`
	}
	res.JSON(&out)
	return out.Items
}

// TestTasks: each party's own tasks, from the matrix fixture (the owner's Q88 under review,
// the other documents missing; the owner bound to one of the two ships): the reviewers
// review the Q88 first, the owner supplies its own ship's documents only, the broker does
// not review its own upload in the other room, a viewer has nothing to do, and someone
// else's room is 404. Once the Q88 is approved its review is nobody's task any more.
func TestTasks(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		m := newMatrixEnv(t, env)
		f := m.newRoom(t)
		room := "/api/v1/rooms/" + f.room + "/tasks"

		charterer := m.tasks(t, room, "charterer")
		if len(charterer) == 0 || charterer[0].Kind != "review_document" || charterer[0].DocumentID != f.document ||
			!strings.Contains(charterer[0].Text, "Review Q88") || !strings.Contains(charterer[0].Text, "MT AEGEAN SERENITY") {
			t.Fatalf("charterer's first task is not the Q88's review: %+v", charterer)
		}
		if !hasTask(charterer, "upload_document", "VETTING", "") {
			t.Errorf("the charterer supplies the vetting acceptance: %+v", charterer)
		}

		owner := m.tasks(t, room, "owner")
		if hasTask(owner, "review_document", "", "") {
			t.Errorf("an owner reviews nothing: %+v", owner)
		}
		if !hasTask(owner, "upload_document", "IOPP", f.vessel) {
			t.Errorf("the owner supplies its own ship's IOPP: %+v", owner)
		}
		for _, task := range owner {
			if task.VesselID == f.spareVessel || task.RoomID != f.room {
				t.Errorf("a task for a ship the owner does not act for: %+v", task)
			}
		}
		if got := m.tasks(t, room, "viewer"); len(got) != 0 {
			t.Errorf("a viewer has tasks: %+v", got)
		}

		// Across rooms: the broker is in both, and uploaded the other room's POAC itself.
		broker := m.tasks(t, "/api/v1/me/tasks", "broker")
		if !hasTask(broker, "review_document", "Q88", f.vessel) {
			t.Errorf("the broker reviews the Q88: %+v", broker)
		}
		for _, task := range broker {
			if task.DocumentID == f.otherDoc {
				t.Errorf("the broker is asked to review its own upload: %+v", task)
			}
		}
		if got := m.tasks(t, "/api/v1/me/tasks", outsider); len(got) != 0 {
			t.Errorf("a non-party has tasks: %+v", got)
		}
		for _, caller := range []string{outsider, removed} {
			if res := m.Do("GET", room, m.tokens[caller], nil); res.Status != 404 {
				t.Errorf("room tasks as %s: %d, want 404", caller, res.Status)
			}
		}

		// Bounded: the list reads as many statements for the broker's two rooms as for five
		// (the background jobs, which would add their own, stopped meanwhile).
		env.StopBackground()
		count := func() int64 {
			before := env.App.DB().Statements()
			m.tasks(t, "/api/v1/me/tasks", "broker")
			return env.App.DB().Statements() - before
		}
		two := count()
		for range 3 {
			m.Do("POST", "/api/v1/rooms", m.tokens["broker"], map[string]string{"title": "More", "location": "Skaw", "sts_eta": "2026-03-14T08:00:00Z"})
		}
		if five := count(); five != two {
			t.Errorf("GET /me/tasks sent %d statements for five rooms, %d for two: not bounded", five, two)
		}
		env.StartBackground()

		if res := m.Do("POST", "/api/v1/rooms/"+f.room+"/documents/"+f.document+"/approve", m.tokens["charterer"], nil); res.Status != 200 {
			t.Fatalf("approve: %d %s", res.Status, res.Body)
		}
		for _, caller := range []string{"charterer", "broker"} {
			if got := m.tasks(t, room, caller); hasTask(got, "review_document", "Q88", "") {
				t.Errorf("%s still reviews the approved Q88: %+v", caller, got)
			}
		}
	})
}

func hasTask(tasks []taskItem, kind, typeCode, vesselID string) bool {
	for _, t := range tasks {
		if t.Kind == kind && (typeCode == "" || t.TypeCode == typeCode) && (vesselID == "" || t.VesselID == vesselID) {
			return true
		}
	}
	return false
}

package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/app"
	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/web"
)

// The statements a room page may send, on the demo room as its broker (who sees every
// section and every button), the room naming its coastal state as a Malta operation does:
// the session, the caller's membership once, and each section's own reads. Before the
// membership was shared the page sent 50 and each section 22–27 (one membership read per
// action the broker may take, and one per service call). A room that names its coastal
// state has its rule read once, by the gate, which also hands it to the header (issue 18);
// the gate's reads of the vessels and the notices serve the documents' vessel names and the
// notice warnings too. Issue 19 made checklists answered and co-signed: the gate reads
// every checklist with its items and signatures (3 reads, was 1) and the header the
// milestones; the checklists section reads the signatures and the ships whose sides sign; the
// gate's stale sign-off rule reads what each approval covered against the documents now
// (the sign-offs section takes the decisions from its history instead of reading them again).
// Issue 22: a party manager's parties list reads the room's invitations (resend, withdraw);
// with questions on documents, the summary reads the room's open questions (one statement
// when there are none) and the documents their question counts (one for the room). The bell
// in every page's header reads one count of the user's unread notifications (an index-only
// read of its partial index).
// Issue 23 split the room into pages (roompages.go): the room opens on its overview (the
// header with the caller's tasks, the gates and the sign-offs: 17, was 31 for every section
// at once), each other page reads only its own sections (maxPageStatements). Each page reads
// the room's audit head first: the change position its live stream is opened with, so that
// connecting re-downloads nothing. The tasks read the open questions addressed to the
// caller (one statement for all its rooms): 21.
// Raise a bound only with a reason, in the same change as the reads that need it.
const maxRoomPageStatements = 21

// maxPageStatements bounds each other page of a room: the session, the membership, the
// room, and its sections' reads.
var maxPageStatements = map[string]int64{"documents": 12, "parties": 9, "checklists": 15, "snapshots": 7, "activity": 9}

// maxSectionStatements bounds each live-update section likewise (it reads the session, the
// membership, the room's header and its own data). The parties section reads the vessels
// too (6, was 5): it names each owner's ships and offers them as checkboxes to bind. The
// summary (12, was 9) and the checklists (8, was 6): see maxRoomPageStatements. The summary
// shows the caller's tasks (14, was 12): its parties and their rooms' documents (service.Tasks),
// the open questions (15), and the questions it has to answer among its tasks (16). The documents read their question counts (10, was 9); the
// parties of a party manager their invitations (7, was 6). The sign-offs (17, was 7) show a
// party that may sign the open blockers beside its form (issue 23): they read the gate, as
// the summary does (the whole page reads it once).
var maxSectionStatements = map[string]int64{
	"summary": 16, "vessels": 5, "parties": 7, "documents": 10, "signoffs": 17,
	"checklists": 8, "notices": 9, "snapshots": 5, "activity": 7,
}

// TestRoomPageStatements holds the room page and each live-update section to a number of
// statements, so that who may do what is read once per request, not once per action.
func TestRoomPageStatements(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.StopBackground() // the expiry scan would add its own statements
		roomID := loadDemoRoom(t, env)
		nameCoastalArea(t, env, roomID, "MT-HURDS")
		b := signedInDemo(t, env, "broker@valletta-shipbrokers.demo")
		db := env.App.DB()

		count := func(path string) int64 {
			t.Helper()
			before := db.Statements()
			res := b.get(path, hx...)
			if res.Status != http.StatusOK {
				t.Fatalf("GET %s: %d", path, res.Status)
			}
			return db.Statements() - before
		}
		if n := count("/rooms/" + roomID); n > maxRoomPageStatements {
			t.Errorf("the room page sent %d statements, more than %d", n, maxRoomPageStatements)
		} else {
			t.Logf("room page: %d statements", n)
		}
		for _, name := range web.RoomPages()[1:] {
			limit, ok := maxPageStatements[name]
			if !ok {
				t.Fatalf("page %s has no bound in maxPageStatements", name)
			}
			if n := count("/rooms/" + roomID + "?section=" + name); n > limit {
				t.Errorf("page %s sent %d statements, more than %d", name, n, limit)
			} else {
				t.Logf("page %s: %d statements", name, n)
			}
		}
		for _, s := range web.RoomSections {
			limit, ok := maxSectionStatements[s]
			if !ok {
				t.Fatalf("section %s has no bound in maxSectionStatements", s)
			}
			if n := count("/rooms/" + roomID + "/" + s); n > limit {
				t.Errorf("section %s sent %d statements, more than %d", s, n, limit)
			} else {
				t.Logf("section %s: %d statements", s, n)
			}
		}
	})
}

// BenchmarkRoomPage is the server's time for the demo room's whole page as its broker,
// in process (the HTTP client and server share the machine).
func BenchmarkRoomPage(b *testing.B) {
	env := apptest.New(b, "sqlite")
	env.StopBackground()
	roomID := loadDemoRoom(b, env)
	jar := signedInJar(b, env, "broker@valletta-shipbrokers.demo")
	client := &http.Client{Jar: jar}
	url := env.Server.URL + "/rooms/" + roomID
	b.ResetTimer()
	for b.Loop() {
		res, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("room page: %d", res.StatusCode)
		}
	}
}

// loadDemoRoom loads the Malta demo and returns its room's ID.
func loadDemoRoom(t testing.TB, env *apptest.Env) string {
	t.Helper()
	svc := env.App.Service()
	if err := app.LoadDemo(t.Context(), svc, io.Discard, time.Now()); err != nil {
		t.Fatal(err)
	}
	l, err := svc.Login(t.Context(), "broker@valletta-shipbrokers.demo", app.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	actor := service.Actor{UserID: l.User.ID, Email: l.User.Email, PlatformRole: l.User.Role}
	rooms, _, err := svc.ListRooms(t.Context(), actor, service.PageRequest{Limit: 10})
	if err != nil || len(rooms) != 1 {
		t.Fatalf("demo rooms: %v %+v", err, rooms)
	}
	return rooms[0].ID
}

// nameCoastalArea has the demo room's broker name the room's coastal state or area.
func nameCoastalArea(t testing.TB, env *apptest.Env, roomID, code string) {
	t.Helper()
	svc := env.App.Service()
	l, err := svc.Login(t.Context(), "broker@valletta-shipbrokers.demo", app.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	actor := service.Actor{UserID: l.User.ID, Email: l.User.Email, PlatformRole: l.User.Role}
	if _, err := svc.UpdateRoom(t.Context(), actor, roomID, service.RoomPatch{CoastalArea: &code}); err != nil {
		t.Fatal(err)
	}
}

// signedInDemo is signedIn for a demo user, whose password is the demo's.
func signedInDemo(t *testing.T, env *apptest.Env, email string) *browser {
	t.Helper()
	b := newBrowser(t, env)
	b.client.Jar = signedInJar(t, env, email)
	return b
}

// signedInJar signs email in through the sign-in form and returns the cookies it got.
func signedInJar(t testing.TB, env *apptest.Env, email string) http.CookieJar {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	res, err := client.PostForm(env.Server.URL+"/login", url.Values{"email": {email}, "password": {app.DemoPassword}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d", email, res.StatusCode)
	}
	return jar
}

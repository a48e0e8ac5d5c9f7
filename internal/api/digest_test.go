package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/store/storetest"
)

// tomorrowAt moves env's clock to the next day (UTC) at h:m:s and returns that moment.
func tomorrowAt(env *apptest.Env, h, m, s int) time.Time {
	now := env.Now().UTC()
	at := time.Date(now.Year(), now.Month(), now.Day()+1, h, m, s, 0, time.UTC)
	env.Advance(at.Sub(now))
	return at
}

// moveTo moves env's clock forward to at.
func moveTo(env *apptest.Env, at time.Time) { env.Advance(at.Sub(env.Now())) }

// sendDigests runs one round of the digests and returns how many users it looked at.
func sendDigests(t *testing.T, env *apptest.Env) int {
	t.Helper()
	n, err := env.App.Service().SendDigests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDigestHourAndDays (review T, the digest at 06:00 UTC through the service): at 05:59:59
// no digest is due and none goes out; at 06:00:00 it does; a second round that day sends
// nothing more; the next day's round sends the next digest.
func TestDigestHourAndDays(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env, mails := mailEnv(t, engine)
			f := newDocFixture(t, env)
			d := must(t, env.Upload(f.room, f.owner, []string{"type", "CLASS", "vessel_id", f.vessel, "expires_on", isoDate(env.Now().AddDate(0, 0, 10))},
				"class.pdf", apptest.PDF("CLASS")), 201)
			must(t, env.Do("POST", docURL(f.room, d["id"].(string), "/approve"), f.charterer, nil), 200)
			digests := func() int { return countSubject(mails.To(t, ownerEmail), "digest") }

			day := tomorrowAt(env, 5, 59, 59)
			if n := sendDigests(t, env); n != 0 {
				t.Errorf("at 05:59:59 the round looked at %d users, want none: not due", n)
			}
			moveTo(env, day.Add(time.Second))
			if n := sendDigests(t, env); n == 0 {
				t.Errorf("at 06:00:00 the round looked at no user")
			}
			mails.WaitFor(t, ownerEmail, "daily STS Clearance Hub digest")
			moveTo(env, day.Add(6*time.Hour))
			if n := sendDigests(t, env); n != 0 {
				t.Errorf("the day's second round looked at %d users, want none: each had the day's digest", n)
			}
			moveTo(env, day.AddDate(0, 0, 1).Add(time.Second))
			if n := sendDigests(t, env); n == 0 {
				t.Errorf("the next day's round looked at no user")
			}
			deadline := time.Now().Add(15 * time.Second)
			for digests() < 2 && time.Now().Before(deadline) {
				time.Sleep(100 * time.Millisecond)
			}
			time.Sleep(500 * time.Millisecond) // a third, had one been queued, would be on its way
			if n := digests(); n != 2 {
				t.Errorf("the owner got %d digests over two days, want 2", n)
			}
		})
	}
}

// lapsingBody is the body of the user's latest documents_lapsing notice ("" for none).
func lapsingBody(t *testing.T, env *apptest.Env, email string) string {
	t.Helper()
	items := withKind(mustItems(t, env, env.Login(email)), "documents_lapsing")
	if len(items) == 0 {
		return ""
	}
	return items[0]["body"].(string)
}

// TestDigestLapsingBoundaries (review T and W8): the day's list of lapsing documents, at
// 11:59:59 UTC, holds what ends within 14 days: a SIRE report reaching its age limit 14 days
// less a second later, a certificate lapsing in five days; not a P&I entry ending (at 12:00
// GMT) 14 days and a second later, a CLC ending a day after that, a certificate that lapsed
// last midnight, nor a certificate of a room whose operation was cancelled. (The clock of
// the test runs on, a few milliseconds a step: the instant of exactly 14 days is
// clearance.TestLapsesSoon's.)
func TestDigestLapsingBoundaries(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.StopBackground() // no expiry scan moves the lapsed certificate meanwhile
		f := newDocFixture(t, env)
		at := env.Now().UTC()
		at = time.Date(at.Year(), at.Month(), at.Day()+1, 11, 59, 59, 0, time.UTC) // the digest's moment
		limit := at.AddDate(0, 0, 14)
		approve := func(room, vessel, code string, fields ...string) {
			t.Helper()
			d := must(t, env.Upload(room, f.owner, append([]string{"type", code, "vessel_id", vessel}, fields...), code+".pdf", apptest.PDF(code)), 201)
			must(t, env.Do("POST", docURL(room, d["id"].(string), "/approve"), f.charterer, nil), 200)
		}
		approve(f.room, f.vessel, "SIRE", "performed_at", limit.Add(-time.Second).AddDate(0, 0, -180).Format(time.RFC3339))
		approve(f.room, f.vessel, "PI_COE", "expires_on", isoDate(limit)) // valid until 12:00:00, limit + 1 s
		approve(f.room, f.vessel, "CLC", "expires_on", isoDate(limit.AddDate(0, 0, 1)))
		approve(f.room, f.vessel, "HM", "expires_on", isoDate(at.AddDate(0, 0, -1))) // valid through today: lapsed by tomorrow noon
		approve(f.room, f.vessel, "IOPP", "expires_on", isoDate(at.AddDate(0, 0, 5)))

		over := roomAt(t, env, f.broker, "Called off", at.AddDate(0, 0, 3))
		addParty(t, env, f.broker, over, chartererEmail, "charterer")
		party := addParty(t, env, f.broker, over, ownerEmail, "owner")
		ship := addVessel(t, env, f.broker, over, "MT NORDIC STAR", "9380362", party)
		approve(over, ship, "ISM_SMC", "expires_on", isoDate(at.AddDate(0, 0, 5)))
		must(t, env.Do("POST", "/api/v1/rooms/"+over+"/status", f.broker, map[string]string{"status": "cancelled", "reason": "fixture failed"}), 200)

		moveTo(env, at)
		sendDigests(t, env)
		body := lapsingBody(t, env, ownerEmail)
		for name, want := range map[string]bool{"SIRE 2.0": true, "IOPP": true, "P&I": false, "CLC": false, "Hull & machinery": false,
			"ISM Safety Management": false} {
			if got := strings.Contains(body, name); got != want {
				t.Errorf("the lapsing list names %s: %v, want %v:\n%s", name, got, want, body)
			}
		}
	})
}

// TestDigestWithholdsWhatIsNoLongerSeen (review W8): a reply waiting for the next morning's
// digest is not e-mailed to its recipient once that person is no longer a party of the
// room, or may no longer see the document; the notice stays in their list, not e-mailed,
// and no later digest sends it. Another party's digest goes out as usual.
func TestDigestWithholdsWhatIsNoLongerSeen(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env, mails := mailEnv(t, engine)
			f := newDocFixture(t, env)
			d := must(t, env.Upload(f.room, f.owner, []string{"type", "Q88", "vessel_id", f.vessel}, "q88.pdf", apptest.PDF("Q88")), 201)
			q88 := docURL(f.room, d["id"].(string), "")
			tokens, parties := map[string]string{}, map[string]string{}
			for _, who := range []string{"buyer", "seller"} {
				email := who + "@cargo.test"
				env.CreateUser(email)
				parties[who] = addParty(t, env, f.broker, f.room, email, who)
				tokens[who] = env.Login(email)
			}
			tokens["charterer"] = f.charterer
			for who, token := range tokens {
				must(t, env.Do("PUT", "/api/v1/me/notification-preferences", token,
					map[string]any{"items": []map[string]string{{"kind": "question_replied", "delivery": "digest"}}}), 200)
				q := must(t, env.Do("POST", q88+"/questions", token, map[string]string{"text": "The " + who + "'s question"}), 201)
				must(t, env.Do("POST", q88+"/questions/"+q["id"].(string)+"/replies", f.owner, map[string]string{"text": "An answer"}), 201)
			}
			// The buyer leaves the room; the Q88 becomes confidential to the coordinators and its ship.
			must(t, env.Do("DELETE", "/api/v1/rooms/"+f.room+"/parties/"+parties["buyer"], f.broker, nil), 204)
			must(t, env.Do("PATCH", "/api/v1/document-types/Q88", env.Login(apptest.AdminEmail),
				map[string]any{"visible_to": []string{"broker", "charterer", "owner"}}), 200)

			day := tomorrowAt(env, 7, 0, 0)
			sendDigests(t, env)
			charterer := mails.WaitFor(t, chartererEmail, "daily STS Clearance Hub digest")
			if !strings.Contains(charterer.Text, "A reply on the question on Q88") {
				t.Errorf("the charterer's digest lacks the reply:\n%s", charterer.Text)
			}
			moveTo(env, day.AddDate(0, 0, 1))
			sendDigests(t, env)
			time.Sleep(time.Second) // what the rounds queued is sent in this time (the charterer's was)
			for _, who := range []string{"buyer", "seller"} {
				email := who + "@cargo.test"
				if n := countSubject(mails.To(t, email), "digest"); n != 0 {
					t.Errorf("the %s got %d digests about a document it may no longer see", who, n)
				}
				replies := withKind(mustItems(t, env, env.Login(email)), "question_replied")
				if len(replies) != 1 || replies[0]["emailed_at"] != nil {
					t.Errorf("the %s's reply notices: %v", who, replies)
				}
			}
		})
	}
}

package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/config"
	"github.com/stshub/stshub/internal/mail/mailtest"
	"github.com/stshub/stshub/internal/store/storetest"
)

// mailEnv starts the application on engine with its e-mail sent to a Mailpit of its own.
func mailEnv(t *testing.T, engine string) (*apptest.Env, *mailtest.Server) {
	t.Helper()
	srv := mailtest.Start(t)
	return apptest.New(t, engine, func(c *config.Config) { srv.Use(c) }), srv
}

// notificationsOf returns the caller's notifications (newest first) and the unread count.
func notificationsOf(t *testing.T, env *apptest.Env, token string) ([]map[string]any, int) {
	t.Helper()
	res := must(t, env.Do("GET", "/api/v1/me/notifications", token, nil), 200)
	items := []map[string]any{}
	for _, it := range res["items"].([]any) {
		items = append(items, it.(map[string]any))
	}
	return items, int(res["unread"].(float64))
}

// withKind keeps the notifications of kind.
func withKind(items []map[string]any, kind string) []map[string]any {
	var out []map[string]any
	for _, it := range items {
		if it["kind"] == kind {
			out = append(out, it)
		}
	}
	return out
}

// TestNotificationsOfAReview: an upload tells the reviewers (by e-mail at once, by default)
// and not the uploader; a rejection e-mails the supplier with the reason; a user's
// preferences turn the e-mail off or into the digest while the in-app list still has it;
// marking read is one's own: another user's notification is 404.
func TestNotificationsOfAReview(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env, mails := mailEnv(t, engine)
			f := newDocFixture(t, env)
			doc := must(t, env.Upload(f.room, f.owner, []string{"type", "Q88", "vessel_id", f.vessel}, "q88.pdf", apptest.PDF("Q88")), 201)
			id := doc["id"].(string)

			review := mails.WaitFor(t, chartererEmail, "awaits your review")
			if !strings.Contains(review.Subject, "Q88 tanker questionnaire of MT AEGEAN SERENITY") ||
				!strings.Contains(review.Text, env.Server.URL+"/rooms/"+f.room+"/documents/"+id) || review.HTML == "" {
				t.Errorf("review e-mail: %q\n%s", review.Subject, review.Text)
			}
			mails.WaitFor(t, brokerEmail, "awaits your review")
			if own := withKind(mustItems(t, env, f.owner), "review_requested"); len(own) != 0 {
				t.Errorf("the uploader was told of their own upload: %v", own)
			}
			if added := withKind(mustItems(t, env, f.owner), "room_invitation"); len(added) != 1 ||
				added[0]["title"] != "You were added to Malta crude STS as owner" {
				t.Errorf("the owner was not told they were added: %v", added)
			}
			must(t, env.Do("POST", "/api/v1/me/notifications/read", f.owner, nil), 200)

			const reason = "Manifold height shows the 2019 figure: re-issue with the current one"
			must(t, env.Do("POST", docURL(f.room, id, "/reject"), f.charterer, map[string]string{"reason": reason}), 200)
			rejected := mails.WaitFor(t, ownerEmail, "was rejected")
			if !strings.Contains(rejected.Text, reason) || !strings.Contains(rejected.HTML, "re-issue with the current one") {
				t.Errorf("the rejection e-mail lacks the reason:\n%s", rejected.Text)
			}
			items, unread := notificationsOf(t, env, f.owner)
			if len(items) != 2 || unread != 1 || items[0]["kind"] != "document_rejected" || !strings.Contains(items[0]["body"].(string), reason) ||
				items[0]["target_id"] != id || items[0]["email"] != "immediate" || items[0]["emailed_at"] == nil {
				t.Fatalf("owner's notifications: %d unread, %v", unread, items)
			}
			if rej := withKind(mustItems(t, env, f.charterer), "document_rejected"); len(rej) != 0 {
				t.Errorf("the reviewer was told of their own rejection: %v", rej)
			}

			// Preferences: the charterer turns reviews off, the broker takes them in the digest.
			assertProblem(t, "lapsing at once", env.Do("PUT", "/api/v1/me/notification-preferences", f.charterer,
				map[string]any{"items": []map[string]string{{"kind": "review_requested", "delivery": "off"},
					{"kind": "documents_lapsing", "delivery": "immediate"}}}), 422, "")
			prefs := must(t, env.Do("PUT", "/api/v1/me/notification-preferences", f.charterer,
				map[string]any{"items": []map[string]string{{"kind": "review_requested", "delivery": "off"}}}), 200)
			if p := preference(prefs, "review_requested"); p["delivery"] != "off" || p["chosen"] != true {
				t.Errorf("charterer's preference: %v", p)
			}
			if p := preference(prefs, "documents_lapsing"); p["delivery"] != "digest" || p["chosen"] != false {
				t.Errorf("a refused choice was saved, or the default is not the digest: %v", p)
			}
			must(t, env.Do("PUT", "/api/v1/me/notification-preferences", f.broker,
				map[string]any{"items": []map[string]string{{"kind": "review_requested", "delivery": "digest"}}}), 200)

			must(t, env.Upload(f.room, f.owner, []string{"type", "Q88", "vessel_id", f.vessel}, "q88-v2.pdf", apptest.PDF("Q88 v2")), 201)
			for who, want := range map[string]string{f.charterer: "off", f.broker: "digest"} {
				reviews := withKind(mustItems(t, env, who), "review_requested")
				if len(reviews) != 2 || reviews[0]["email"] != want || reviews[0]["emailed_at"] != nil {
					t.Errorf("the second review request, wanted by e-mail %s: %v", want, reviews)
				}
			}
			// An e-mail queued after them arrives; none came for the second upload.
			must(t, env.Do("POST", docURL(f.room, id, "/reject"), f.charterer, map[string]string{"reason": "still the old figure"}), 200)
			mails.WaitFor(t, ownerEmail, "was rejected")
			for _, who := range []string{chartererEmail, brokerEmail} {
				if n := countSubject(mails.To(t, who), "awaits your review"); n != 1 {
					t.Errorf("%s got %d review e-mails, want 1 (the second is off or in the digest)", who, n)
				}
			}

			// Read: one, then all; another user's is not found.
			items, _ = notificationsOf(t, env, f.owner)
			assertProblem(t, "read another's", env.Do("POST", "/api/v1/me/notifications/"+items[0]["id"].(string)+"/read", f.broker, nil), 404, "")
			if got := must(t, env.Do("POST", "/api/v1/me/notifications/"+items[0]["id"].(string)+"/read", f.owner, nil), 200); got["unread"] != 1.0 {
				t.Errorf("after reading one: %v", got)
			}
			if got := must(t, env.Do("POST", "/api/v1/me/notifications/read", f.owner, nil), 200); got["marked"] != 1.0 {
				t.Errorf("read all: %v", got)
			}
			if _, unread := notificationsOf(t, env, f.owner); unread != 0 {
				t.Errorf("unread after reading all: %d", unread)
			}
		})
	}
}

func mustItems(t *testing.T, env *apptest.Env, token string) []map[string]any {
	t.Helper()
	items, _ := notificationsOf(t, env, token)
	return items
}

func preference(prefs map[string]any, kind string) map[string]any {
	for _, p := range prefs["items"].([]any) {
		if m := p.(map[string]any); m["kind"] == kind {
			return m
		}
	}
	return nil
}

func countSubject(ms []mailtest.Message, part string) int {
	n := 0
	for _, m := range ms {
		if strings.Contains(m.Subject, part) {
			n++
		}
	}
	return n
}

// TestLapsingDigest: three certificates lapsing within 14 days come in one digest e-mail
// with what waited for the digest, once a day however often the digest runs; a party that
// may not see a document is not told of it.
func TestLapsingDigest(t *testing.T) {
	t.Parallel()
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env, mails := mailEnv(t, engine)
			f := newDocFixture(t, env)
			env.CreateUser("cargo@buyer.test")
			addParty(t, env, f.broker, f.room, "cargo@buyer.test", "buyer")
			buyer := env.Login("cargo@buyer.test")
			must(t, env.Do("PUT", "/api/v1/me/notification-preferences", f.broker,
				map[string]any{"items": []map[string]string{{"kind": "review_requested", "delivery": "digest"}}}), 200)

			soon := env.Now().AddDate(0, 0, 10)
			labels := []string{}
			for _, code := range []string{"CLASS", "IOPP", "ISM_SMC"} {
				d := must(t, env.Upload(f.room, f.owner, []string{"type", code, "vessel_id", f.vessel, "expires_on", isoDate(soon)},
					strings.ToLower(code)+".pdf", apptest.PDF(code)), 201)
				must(t, env.Do("POST", docURL(f.room, d["id"].(string), "/approve"), f.charterer, nil), 200)
				labels = append(labels, d["type"].(map[string]any)["name"].(string))
			}
			// SIRE is confidential to the coordinators and the vessel's own party: the buyer
			// hears nothing of it, neither at once nor in a digest.
			sire := must(t, env.Upload(f.room, f.owner, []string{"type", "SIRE", "vessel_id", f.vessel,
				"performed_at", env.Now().AddDate(0, 0, -175).UTC().Format(time.RFC3339)}, "sire.pdf", apptest.PDF("SIRE")), 201)
			must(t, env.Do("POST", docURL(f.room, sire["id"].(string), "/approve"), f.charterer, nil), 200)

			// The next morning, after the digest hour, the digest runs twice (as two nodes would).
			now := env.Now().UTC()
			next := time.Date(now.Year(), now.Month(), now.Day()+1, 7, 0, 0, 0, time.UTC)
			env.Advance(next.Sub(now))
			svc := env.App.Service()
			for range 2 {
				if _, err := svc.SendDigests(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			digest := mails.WaitFor(t, ownerEmail, "daily STS Clearance Hub digest")
			for _, l := range labels {
				if !strings.Contains(digest.Text, l+" of MT AEGEAN SERENITY") {
					t.Errorf("the digest lacks %s:\n%s", l, digest.Text)
				}
			}
			if n := strings.Count(digest.HTML, "<li>"); n != 4 {
				t.Errorf("the digest's HTML lists %d documents, want 4:\n%s", n, digest.HTML)
			}
			if !strings.Contains(digest.Text, "SIRE 2.0") {
				t.Errorf("the owner's digest lacks its own SIRE report ageing out:\n%s", digest.Text)
			}
			brokers := mails.WaitFor(t, brokerEmail, "daily STS Clearance Hub digest")
			if n := strings.Count(brokers.Text, "awaits your review"); n != 4 {
				t.Errorf("the broker's digest lists %d review requests, want the 4 that waited for it:\n%s", n, brokers.Text)
			}
			buyers := mails.WaitFor(t, "cargo@buyer.test", "daily STS Clearance Hub digest")
			if strings.Contains(buyers.Text, "SIRE") || !strings.Contains(buyers.Text, "IOPP") {
				t.Errorf("the buyer's digest:\n%s", buyers.Text)
			}
			for _, who := range []string{ownerEmail, brokerEmail, "cargo@buyer.test"} {
				if n := countSubject(mails.To(t, who), "digest"); n != 1 {
					t.Errorf("%s got %d digests, want one", who, n)
				}
			}
			buyer = env.Login("cargo@buyer.test") // the clock moved past the first session's end
			items := mustItems(t, env, buyer)
			if len(items) != 2 || items[0]["kind"] != "documents_lapsing" || strings.Contains(fmt.Sprint(items), "SIRE") {
				t.Errorf("the buyer's notifications: %v", items)
			}
			if pending := withKind(mustItems(t, env, env.Login(brokerEmail)), "review_requested"); pending[0]["emailed_at"] == nil {
				t.Errorf("a review request sent in the digest is not marked e-mailed: %v", pending[0])
			}
		})
	}
}

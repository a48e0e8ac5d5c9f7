package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/mail/mailtest"
	"github.com/stshub/stshub/internal/store/storetest"
)

// The pages of links (review W1, S2, S1): the holder of a good link may mistype a password;
// requests for someone's reset link neither flood their inbox nor spoil their link; with
// e-mail off a room manager who is no admin is told that an admin sends the link.

// TestLinkPagesForgiveTypos (W1, review T2): open the page, two refused submits, then a good
// one succeeds, for an invitation and for a reset link. A token that names no link is still
// limited.
func TestLinkPagesForgiveTypos(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		admin := env.Login(apptest.AdminEmail)
		invite := env.Do("POST", "/api/v1/invitations", admin, map[string]string{"email": "auditor@gard.test"}).Map()["invitation_url"].(string)
		b := newBrowser(t, env)
		expectStatus(t, "invitation page", b.get(localPart(t, env, invite)), http.StatusOK)
		for i := range 2 {
			short := b.post("/invitations/accept", url.Values{"token": {tokenOf(t, invite)}, "name": {"Gard Auditor"}, "password": {"short"}, "confirm_password": {"short"}})
			expectStatus(t, "short password "+string(rune('1'+i)), short, http.StatusUnprocessableEntity)
		}
		expectRedirect(t, "accept after two typos", b.post("/invitations/accept", url.Values{"token": {tokenOf(t, invite)}, "name": {"Gard Auditor"},
			"password": {apptest.Password}, "confirm_password": {apptest.Password}}), "/")

		id := env.CreateUser("master@aegean.test")
		reset := env.Do("POST", "/api/v1/users/"+id+"/password-reset", admin, nil).Map()["reset_url"].(string)
		r := newBrowser(t, env)
		expectStatus(t, "reset page", r.get(localPart(t, env, reset)), http.StatusOK)
		for i := range 2 {
			short := r.post("/password-reset/confirm", url.Values{"token": {tokenOf(t, reset)}, "password": {"short"}, "confirm_password": {"short"}})
			expectStatus(t, "short new password "+string(rune('1'+i)), short, http.StatusUnprocessableEntity)
		}
		expectRedirect(t, "reset after two typos", r.post("/password-reset/confirm", url.Values{"token": {tokenOf(t, reset)},
			"password": {"a brand new long password"}, "confirm_password": {"a brand new long password"}}), "/")

		// Made-up tokens are charged to the caller's address: a few are answered, then 429
		// (the address's burst, service/limiter.go, is 20).
		bogus := newBrowser(t, env)
		for i := range 5 {
			expectStatus(t, "an unknown token "+string(rune('1'+i)), bogus.get("/invitations/accept?token=no-such-token"), http.StatusNotFound)
		}
		limited := false
		for range 25 {
			if res := bogus.get("/invitations/accept?token=no-such-token"); res.Status == http.StatusTooManyRequests {
				limited = true
				break
			}
		}
		if !limited {
			t.Error("30 made-up tokens from one address were all answered: no limit")
		}
	})
}

// TestResetRequestsMailOnce (S2): quick requests for one account's reset link send one
// e-mail, and its link still works after them; once the quiet time is over a request sends
// another, and the first link keeps working.
func TestResetRequestsMailOnce(t *testing.T) {
	smtp := mailtest.Start(t)
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine, smtp.Use)
			known := "bosun-" + engine + "@aegean.test"
			env.CreateUser(known)
			ask := func() {
				t.Helper()
				if r := env.Do("POST", "/api/v1/auth/password-reset", "", map[string]string{"email": known}); r.Status != http.StatusAccepted {
					t.Fatalf("request: %d %s", r.Status, r.Body)
				}
			}
			for range 4 {
				ask()
			}
			first := resetLink.FindString(smtp.WaitFor(t, known, "new password").Text)
			time.Sleep(time.Second) // the queue polls every 200 ms: time for any further mail to arrive
			if n := len(smtp.To(t, known)); n != 1 {
				t.Errorf("4 quick requests sent %d e-mails, want 1", n)
			}
			env.Advance(5 * time.Minute)
			ask()
			deadline := time.Now().Add(10 * time.Second)
			for len(smtp.To(t, known)) < 2 && time.Now().Before(deadline) {
				time.Sleep(100 * time.Millisecond)
			}
			if n := len(smtp.To(t, known)); n != 2 {
				t.Errorf("a request after the quiet time: %d e-mails in all, want 2", n)
			}
			use := env.Do("POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": tokenOf(t, first), "password": "a brand new long password"})
			if use.Status != http.StatusOK {
				t.Errorf("the first link after later requests: %d %s", use.Status, use.Body)
			}
		})
	}
}

// TestRoomInvitationWithMailOffNeedsAnAdmin (S1, the web): a room manager who is no admin
// is told that an admin must send the link and is not shown it; the admin's users page
// lists the room's invitation, and "Send again" shows the admin the link.
func TestRoomInvitationWithMailOffNeedsAnAdmin(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser(brokerEmail)
		broker := signedIn(t, env, brokerEmail)
		room := env.Do("POST", "/api/v1/rooms", env.Login(brokerEmail), map[string]string{"title": "Skaw STS", "location": "Skaw", "sts_eta": "2026-03-14T08:00:00Z"}).Map()["id"].(string)
		added := broker.post("/rooms/"+room+"/parties", url.Values{"email": {"ops@nordic.test"}, "role": {"charterer"}})
		expectStatus(t, "add party", added, http.StatusSeeOther)
		shown := broker.get("/rooms/" + room + "?section=parties")
		expectContains(t, "the manager's page after inviting", shown, "only a platform admin may be given its link")
		if link := inviteLink.FindString(shown.Body); link != "" {
			t.Errorf("a manager who is no admin is shown the link %s", link)
		}

		admin := signedIn(t, env, apptest.AdminEmail)
		users := admin.get("/admin/users")
		expectContains(t, "the admin's users page", users, `data-testid="room-invitation" data-status="pending"`, "ops@nordic.test", "Skaw STS",
			`data-testid="send-room-invitation"`)
		action := regexpFind(t, users.Body, `action="(/admin/invitations/[^"]+/resend)" class="inline"><input type="hidden" name="from" value="room">`)
		expectRedirect(t, "send the room invitation", admin.post(action, url.Values{"from": {"room"}}), "/admin/users")
		after := admin.get("/admin/users")
		expectContains(t, "after sending", after, "pass this invitation link to ops@nordic.test yourself")
		if inviteLink.FindString(after.Body) == "" {
			t.Error("the admin is not shown the link")
		}
	})
}

// regexpFind is the first group of pattern in body.
func regexpFind(t *testing.T, body, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s in the page", pattern)
	}
	return m[1]
}

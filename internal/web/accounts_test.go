package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/live"
	"github.com/stshub/stshub/internal/mail/mailtest"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// Issue 22, end to end with a real SMTP server: invitations that arrive, password resets
// that answer alike for any e-mail, a disabled account's session ending at once.

var (
	inviteLink = regexp.MustCompile(`https?://[^\s"<>]+/invitations/accept\?token=[A-Za-z0-9_-]+`)
	resetLink  = regexp.MustCompile(`https?://[^\s"<>]+/password-reset\?token=[A-Za-z0-9_-]+`)
)

// localPart is the path and query of an e-mailed link to env's server.
func localPart(t *testing.T, env *apptest.Env, link string) string {
	t.Helper()
	rest, ok := strings.CutPrefix(link, env.Server.URL)
	if !ok {
		t.Fatalf("the link %s does not lead to the server %s", link, env.Server.URL)
	}
	return rest
}

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("token")
}

func trailHas(t *testing.T, env *apptest.Env, scope, action, email string) bool {
	t.Helper()
	entries, err := env.App.DB().Read().ListAudit(context.Background(), scope, store.AuditFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Action == action && strings.Contains(string(e.Meta), email) {
			return true
		}
	}
	return false
}

// TestInvitationArrivesAndLandsInTheRoom: a broker adds an e-mail without an account; the
// invitation e-mail arrives with its link; following it as a browser would (the page, then
// its form) makes the account, signs it in and opens the room. The link then works no more.
func TestInvitationArrivesAndLandsInTheRoom(t *testing.T) {
	smtp := mailtest.Start(t)
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine, smtp.Use)
			env.CreateUser(brokerEmail)
			broker := env.Login(brokerEmail)
			room := env.Do("POST", "/api/v1/rooms", broker, map[string]string{"title": "Malta STS " + engine, "location": "Hurd's Bank", "sts_eta": "2026-03-14T08:00:00Z"}).Map()["id"].(string)
			invitee := "tm-" + engine + "@aegean-tankers.test"
			res := env.Do("POST", "/api/v1/rooms/"+room+"/parties", broker, map[string]string{"email": invitee, "role": "owner", "name": "Aegean Tankers"})
			if res.Status != http.StatusCreated {
				t.Fatalf("add party: %d %s", res.Status, res.Body)
			}
			inv, _ := res.Map()["invitation"].(map[string]any)
			if inv == nil || inv["status"] != "pending" || inv["invitation_url"] != nil {
				t.Fatalf("with e-mail on, the answer names the invitation without its link: %s", res.Body)
			}

			msg := smtp.WaitFor(t, invitee, "Malta STS "+engine)
			link := inviteLink.FindString(msg.Text)
			if link == "" || !strings.Contains(msg.HTML, link) || !strings.Contains(msg.Text, "as owner") || !strings.Contains(msg.Text, brokerEmail) {
				t.Fatalf("the invitation e-mail lacks its link, role or inviter:\n%s", msg.Text)
			}

			b := newBrowser(t, env)
			pg := b.get(localPart(t, env, link))
			expectStatus(t, "invitation page", pg, http.StatusOK)
			expectContains(t, "invitation page", pg, "Malta STS "+engine, invitee, `name="token"`)
			short := b.post("/invitations/accept", url.Values{"token": {tokenOf(t, link)}, "name": {"Eleni Papadaki"}, "password": {"short"}, "confirm_password": {"short"}})
			expectStatus(t, "short password", short, http.StatusUnprocessableEntity)
			expectContains(t, "short password", short, `id="accept-password-error"`, `value="Eleni Papadaki"`)
			done := b.post("/invitations/accept", url.Values{"token": {tokenOf(t, link)}, "name": {"Eleni Papadaki"},
				"password": {apptest.Password}, "confirm_password": {apptest.Password}})
			expectRedirect(t, "accept", done, "/rooms/"+room)
			roomPage := b.get("/rooms/" + room)
			expectStatus(t, "the new user's room", roomPage, http.StatusOK)
			expectContains(t, "the new user's room", roomPage, "Malta STS "+engine, "Eleni Papadaki")

			// The account signs in, and is the room's owner party.
			token := env.Login(invitee)
			var parties struct {
				Items []struct {
					Email  string  `json:"email"`
					UserID *string `json:"user_id"`
				} `json:"items"`
			}
			env.Do("GET", "/api/v1/rooms/"+room+"/parties", token, nil).JSON(&parties)
			bound := false
			for _, p := range parties.Items {
				bound = bound || (p.Email == invitee && p.UserID != nil)
			}
			if !bound {
				t.Errorf("the party is not bound to the new account: %+v", parties.Items)
			}
			again := newBrowser(t, env).get(localPart(t, env, link))
			expectStatus(t, "used link", again, http.StatusNotFound)
			expectContains(t, "used link", again, "already accepted")
			if !trailHas(t, env, room, "invitation_sent", invitee) || !trailHas(t, env, room, "invitation_accepted", invitee) {
				t.Error("the room trail lacks the invitation or its acceptance")
			}
		})
	}
}

// TestInvitationLinksResendRevokeExpire: with e-mail off an inviter who is a platform admin
// is given the link (the API's invitation_url, the web's message; one who is not is covered
// by TestInvitationTakeover). A re-send kills the old link, a withdrawn invitation's link
// says so, an expired one too, and a re-send opens it again.
func TestInvitationLinksResendRevokeExpire(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		brokerID := env.CreateUser(brokerEmail)
		if r := env.Do("PATCH", "/api/v1/users/"+brokerID, env.Login(apptest.AdminEmail), map[string]string{"role": "admin"}); r.Status != http.StatusOK {
			t.Fatalf("make the broker an admin: %d %s", r.Status, r.Body)
		}
		broker := env.Login(brokerEmail)
		room := env.Do("POST", "/api/v1/rooms", broker, map[string]string{"title": "Skaw STS", "location": "Skaw", "sts_eta": "2026-03-14T08:00:00Z"}).Map()["id"].(string)
		res := env.Do("POST", "/api/v1/rooms/"+room+"/parties", broker, map[string]string{"email": "ops@nordic.test", "role": "charterer"})
		inv := res.Map()["invitation"].(map[string]any)
		first, id := inv["invitation_url"].(string), inv["id"].(string)
		if tokenOf(t, first) == "" {
			t.Fatalf("with e-mail off the inviter gets the link: %s", res.Body)
		}
		accept := func(link string) *apptest.Response {
			return env.Do("POST", "/api/v1/invitations/accept", "", map[string]string{"token": tokenOf(t, link), "name": "Nordic Ops", "password": apptest.Password})
		}
		refused := func(what string, r *apptest.Response, words string) {
			t.Helper()
			if r.Status != http.StatusNotFound || !strings.Contains(string(r.Body), words) || r.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: %d %s, want 404 saying %q", what, r.Status, r.Body, words)
			}
		}
		resend := func() string {
			r := env.Do("POST", "/api/v1/rooms/"+room+"/invitations/"+id+"/resend", broker, nil)
			if r.Status != http.StatusOK {
				t.Fatalf("resend: %d %s", r.Status, r.Body)
			}
			return r.Map()["invitation_url"].(string)
		}
		second := resend()
		refused("the first link after a re-send", accept(first), "not valid")
		if r := env.Do("DELETE", "/api/v1/rooms/"+room+"/invitations/"+id, broker, nil); r.Status != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", r.Status, r.Body)
		}
		refused("a withdrawn invitation", accept(second), "withdrawn")
		third := resend()
		env.Advance(authz.LinkTTL(authz.InvitationLink))
		refused("an expired invitation", accept(third), "expired")
		page := newBrowser(t, env).get(localPart(t, env, third))
		expectStatus(t, "the expired link's page", page, http.StatusNotFound)
		expectContains(t, "the expired link's page", page, "This link cannot be used", "expired")
		broker = env.Login(brokerEmail) // the clock moved past the session too
		fourth := resend()
		ok := accept(fourth)
		if ok.Status != http.StatusOK || ok.Map()["room_id"] != room {
			t.Fatalf("accept: %d %s", ok.Status, ok.Body)
		}
		if r := env.Do("GET", "/api/v1/rooms/"+room, ok.Map()["token"].(string), nil); r.Status != http.StatusOK {
			t.Errorf("the new user does not see the room: %d", r.Status)
		}
		if r := env.Do("POST", "/api/v1/rooms/"+room+"/invitations/"+id+"/resend", broker, nil); r.Status != http.StatusConflict {
			t.Errorf("re-send of an accepted invitation: %d", r.Status)
		}

		// The web form shows the link to pass on, on the page (not in a passing toast).
		b := signedIn(t, env, brokerEmail)
		added := b.post("/rooms/"+room+"/parties", url.Values{"email": {"agent@valletta-agency.test"}, "role": {"viewer"}}, "HX-Request", "true")
		if added.Status != http.StatusNoContent || added.Header.Get("HX-Redirect") == "" {
			t.Fatalf("htmx add party with e-mail off: %d %v", added.Status, added.Header)
		}
		shown := b.get("/rooms/" + room)
		expectContains(t, "the room page after inviting", shown, "pass this invitation link to agent@valletta-agency.test yourself")
		if inviteLink.FindString(shown.Body) == "" {
			t.Error("the page does not show the invitation link")
		}
		expectContains(t, "the parties of a manager", b.get("/rooms/"+room+"?section=parties"), `data-testid="resend-invitation"`, `data-testid="revoke-invitation"`)
	})
}

// TestDisabledAccountEndsAtOnce: disabling an account ends its API sessions and its open
// live stream at once — on PostgreSQL a stream on another node, over the bridge; it cannot
// sign in, and is told so only after a correct password.
func TestDisabledAccountEndsAtOnce(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newFixture(t, env)
		base := env.Server.URL
		nodeB := env.App
		if env.Engine == "postgres" {
			var srv *httptest.Server
			nodeB, srv = otherNode(t, env)
			base = srv.URL
		}
		viewer := signedIn(t, env, viewerEmail)
		apiToken := env.Login(viewerEmail)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		resp, lines := stream(t, ctx, base, f.roomPath("/events"), viewer.sessionToken())
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("stream: %d", resp.StatusCode)
		}
		waitFor(t, func() bool { return nodeB.Events().Subscribers(f.room) == 1 })
		// Until both bridges listen, this node's notices do not reach node B: announce until one arrives.
		arrived := make(chan struct{})
		go func() {
			for {
				env.App.Events().Publish(live.Event{RoomID: f.room, Kind: "room_updated"})
				select {
				case <-arrived:
					return
				case <-time.After(200 * time.Millisecond):
				}
			}
		}()
		ok := untilEvent(t, lines, "room_updated", 15*time.Second)
		close(arrived)
		if !ok {
			t.Fatal("the stream ended before the bridge carried an event")
		}
		admin := env.Login(apptest.AdminEmail)
		id := actorOf(t, env, viewerEmail).UserID
		start := time.Now()
		if r := env.Do("PATCH", "/api/v1/users/"+id, admin, map[string]any{"disabled": true}); r.Status != http.StatusOK || r.Map()["disabled"] != true {
			t.Fatalf("disable: %d %s", r.Status, r.Body)
		}
		if r := env.Do("GET", "/api/v1/auth/me", apiToken, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("the disabled account's API token: %d", r.Status)
		}
		for range lines { // the stream ends
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("the stream ended %v after the account was disabled", d)
		}
		wrong := env.Do("POST", "/api/v1/auth/login", "", map[string]string{"email": viewerEmail, "password": "not the password at all"})
		right := env.Do("POST", "/api/v1/auth/login", "", map[string]string{"email": viewerEmail, "password": apptest.Password})
		if wrong.Status != 401 || strings.Contains(string(wrong.Body), "disabled") {
			t.Errorf("a wrong password of a disabled account: %d %s", wrong.Status, wrong.Body)
		}
		if right.Status != 401 || !strings.Contains(string(right.Body), "this account is disabled") {
			t.Errorf("the right password of a disabled account: %d %s", right.Status, right.Body)
		}
		page := newBrowser(t, env).post("/login", url.Values{"email": {viewerEmail}, "password": {apptest.Password}})
		expectStatus(t, "web sign-in of a disabled account", page, http.StatusUnauthorized)
		expectContains(t, "web sign-in of a disabled account", page, "This account is disabled")
		if !trailHas(t, env, audit.PlatformScope, "user_disabled", viewerEmail) {
			t.Error("the platform trail lacks the disabling")
		}
		if r := env.Do("PATCH", "/api/v1/users/"+id, admin, map[string]any{"disabled": false}); r.Status != http.StatusOK {
			t.Fatalf("enable: %d %s", r.Status, r.Body)
		}
		env.Login(viewerEmail)
		if r := env.Do("PATCH", "/api/v1/users/"+actorOf(t, env, apptest.AdminEmail).UserID, admin, map[string]any{"disabled": true}); r.Status != http.StatusConflict {
			t.Errorf("an admin disabling themself: %d", r.Status)
		}
	})
}

// TestPasswordResetAnswersAlike: a reset request answers the same for an unknown e-mail as
// for a known one (status and body), only the known one gets an e-mail; its link sets a new
// password through the web form, signs in, ends the other sessions, and works once.
func TestPasswordResetAnswersAlike(t *testing.T) {
	smtp := mailtest.Start(t)
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine, smtp.Use)
			known := "chief-" + engine + "@aegean.test"
			env.CreateUser(known)
			old := env.Login(known)
			ask := func(email string) *apptest.Response {
				return env.Do("POST", "/api/v1/auth/password-reset", "", map[string]string{"email": email})
			}
			a, b := ask(known), ask("nobody-"+engine+"@aegean.test")
			strip := regexp.MustCompile(`"request_id":"[^"]*"`)
			if a.Status != http.StatusAccepted || a.Status != b.Status || strip.ReplaceAllString(string(a.Body), "") != strip.ReplaceAllString(string(b.Body), "") {
				t.Fatalf("known %d %s; unknown %d %s", a.Status, a.Body, b.Status, b.Body)
			}
			web := newBrowser(t, env).post("/password-reset", url.Values{"email": {"nobody-" + engine + "@aegean.test"}})
			expectStatus(t, "the web request for an unknown e-mail", web, http.StatusOK)
			expectContains(t, "the web request for an unknown e-mail", web, `data-testid="reset-sent"`)

			msg := smtp.WaitFor(t, known, "new password")
			link := resetLink.FindString(msg.Text)
			if link == "" {
				t.Fatalf("no reset link in:\n%s", msg.Text)
			}
			if n := len(smtp.To(t, "nobody-"+engine+"@aegean.test")); n != 0 {
				t.Errorf("the unknown e-mail got %d messages", n)
			}
			br := newBrowser(t, env)
			form := br.get(localPart(t, env, link))
			expectStatus(t, "reset page", form, http.StatusOK)
			expectContains(t, "reset page", form, known, `name="token"`)
			newPassword := "a brand new long password"
			set := br.post("/password-reset/confirm", url.Values{"token": {tokenOf(t, link)}, "password": {newPassword}, "confirm_password": {newPassword}})
			expectRedirect(t, "set the password", set, "/")
			expectStatus(t, "signed in after the reset", br.get("/account"), http.StatusOK)
			if r := env.Do("GET", "/api/v1/auth/me", old, nil); r.Status != http.StatusUnauthorized {
				t.Errorf("a session from before the reset: %d", r.Status)
			}
			if r := env.Do("POST", "/api/v1/auth/login", "", map[string]string{"email": known, "password": newPassword}); r.Status != http.StatusOK {
				t.Errorf("sign in with the new password: %d", r.Status)
			}
			smtp.WaitFor(t, known, "password was changed")
			again := env.Do("POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": tokenOf(t, link), "password": "yet another long password"})
			if again.Status != http.StatusNotFound || !strings.Contains(string(again.Body), "already used") {
				t.Errorf("the link used twice: %d %s", again.Status, again.Body)
			}
		})
	}
}

// TestChangeOwnPassword: the current password is required; a change ends the account's
// other sessions and hands the caller a new one; the account page does the same.
func TestChangeOwnPassword(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser(brokerEmail)
		mine, other := env.Login(brokerEmail), env.Login(brokerEmail)
		wrong := env.Do("POST", "/api/v1/auth/password", mine, map[string]string{"current_password": "not the password at all", "new_password": "another long password"})
		if wrong.Status != http.StatusUnprocessableEntity || !strings.Contains(string(wrong.Body), "current_password") {
			t.Fatalf("wrong current password: %d %s", wrong.Status, wrong.Body)
		}
		weak := env.Do("POST", "/api/v1/auth/password", mine, map[string]string{"current_password": apptest.Password, "new_password": "short"})
		if weak.Status != http.StatusUnprocessableEntity || !strings.Contains(string(weak.Body), "new_password") {
			t.Fatalf("short new password: %d %s", weak.Status, weak.Body)
		}
		ok := env.Do("POST", "/api/v1/auth/password", mine, map[string]string{"current_password": apptest.Password, "new_password": "another long password"})
		if ok.Status != http.StatusOK {
			t.Fatalf("change: %d %s", ok.Status, ok.Body)
		}
		fresh := ok.Map()["token"].(string)
		for name, token := range map[string]string{"the old token": mine, "another session": other} {
			if r := env.Do("GET", "/api/v1/auth/me", token, nil); r.Status != http.StatusUnauthorized {
				t.Errorf("%s after the change: %d", name, r.Status)
			}
		}
		if r := env.Do("GET", "/api/v1/auth/me", fresh, nil); r.Status != http.StatusOK {
			t.Errorf("the new token: %d", r.Status)
		}
		if !trailHas(t, env, audit.PlatformScope, "password_changed", brokerEmail) {
			t.Error("the platform trail lacks the change")
		}
		// The account page: the name, and the password back to the first one.
		b := newBrowser(t, env)
		expectStatus(t, "sign in", b.post("/login", url.Values{"email": {brokerEmail}, "password": {"another long password"}}), http.StatusSeeOther)
		expectRedirect(t, "rename", b.post("/account", url.Values{"name": {"Valletta Shipbrokers"}}), "/account")
		mismatch := b.post("/account/password", url.Values{"current_password": {"another long password"}, "new_password": {apptest.Password}, "confirm_password": {"something else"}})
		expectStatus(t, "mismatched confirmation", mismatch, http.StatusUnprocessableEntity)
		expectContains(t, "mismatched confirmation", mismatch, `id="confirm-password-error"`)
		expectRedirect(t, "change on the page", b.post("/account/password", url.Values{"current_password": {"another long password"},
			"new_password": {apptest.Password}, "confirm_password": {apptest.Password}}), "/account")
		page := b.get("/account")
		expectStatus(t, "still signed in", page, http.StatusOK)
		expectContains(t, "account page", page, `value="Valletta Shipbrokers"`, "You were signed out everywhere else")
		if r := env.Do("GET", "/api/v1/auth/me", fresh, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("the API token after the page's change: %d", r.Status)
		}
	})
}

// TestAdminManagesAccounts: from the users page an admin invites someone to the platform
// (with e-mail off the page gives the link), changes a platform role, sends a reset link and
// disables and enables an account; a non-admin may do none of it.
func TestAdminManagesAccounts(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		id := env.CreateUser(brokerEmail)
		user := signedIn(t, env, brokerEmail)
		for _, path := range []string{"/admin/users/" + id, "/admin/users/" + id + "/password-reset", "/admin/invitations"} {
			expectStatus(t, "non-admin "+path, user.post(path, url.Values{"state": {"disabled"}, "email": {"x@y.test"}}), http.StatusForbidden)
		}
		admin := signedIn(t, env, apptest.AdminEmail)
		expectContains(t, "users page", admin.get("/admin/users"), `data-testid="invite-form"`, `data-testid="disable-user"`, `data-testid="send-reset"`)

		expectRedirect(t, "invite", admin.post("/admin/invitations", url.Values{"email": {"auditor@gard.test"}, "role": {"user"}}), "/admin/users")
		page := admin.get("/admin/users")
		link := inviteLink.FindString(page.Body)
		expectContains(t, "after inviting", page, "pass this invitation link to auditor@gard.test yourself", `data-testid="platform-invitation" data-status="pending"`)
		dup := admin.post("/admin/invitations", url.Values{"email": {"auditor@gard.test"}, "role": {"user"}})
		expectStatus(t, "invite twice", dup, http.StatusConflict)
		expectContains(t, "invite twice", dup, "already invited")
		acc := env.Do("POST", "/api/v1/invitations/accept", "", map[string]string{"token": tokenOf(t, link), "name": "Gard Auditor", "password": apptest.Password})
		if acc.Status != http.StatusOK || acc.Map()["room_id"] != nil {
			t.Fatalf("accept a platform invitation: %d %s", acc.Status, acc.Body)
		}
		if !trailHas(t, env, audit.PlatformScope, "invitation_accepted", "auditor@gard.test") {
			t.Error("the platform trail lacks the acceptance")
		}
		// An account made directly closes the invitations of its e-mail.
		expectRedirect(t, "invite", admin.post("/admin/invitations", url.Values{"email": {"late@gard.test"}, "role": {"user"}}), "/admin/users")
		late := inviteLink.FindString(admin.get("/admin/users").Body)
		env.CreateUser("late@gard.test")
		closed := env.Do("POST", "/api/v1/invitations/accept", "", map[string]string{"token": tokenOf(t, late), "name": "Late", "password": apptest.Password})
		if closed.Status != http.StatusNotFound || !strings.Contains(string(closed.Body), "already accepted") {
			t.Errorf("the invitation of an e-mail given an account directly: %d %s", closed.Status, closed.Body)
		}

		expectRedirect(t, "make admin", admin.post("/admin/users/"+id, url.Values{"role": {"admin"}}), "/admin/users")
		expectContains(t, "the promoted user's navigation", user.get("/"), `href="/admin/users"`)
		expectRedirect(t, "make user", admin.post("/admin/users/"+id, url.Values{"role": {"user"}}), "/admin/users")
		expectStatus(t, "a bad role", admin.post("/admin/users/"+id, url.Values{"role": {"emperor"}}), http.StatusUnprocessableEntity)
		expectRedirect(t, "send reset", admin.post("/admin/users/"+id+"/password-reset", nil), "/admin/users")
		expectContains(t, "after the reset link", admin.get("/admin/users"), "pass this reset link on yourself")
		expectRedirect(t, "disable", admin.post("/admin/users/"+id, url.Values{"state": {"disabled"}}), "/admin/users")
		expectContains(t, "disabled", admin.get("/admin/users"), `data-testid="user-disabled"`, `data-testid="enable-user"`)
		if p := user.get("/"); p.Status != http.StatusSeeOther {
			t.Errorf("the disabled user's browser: %d", p.Status)
		}
		expectRedirect(t, "enable", admin.post("/admin/users/"+id, url.Values{"state": {"enabled"}}), "/admin/users")
		signedIn(t, env, brokerEmail)
	})
}

// TestResetLinkWorksOnceUnderRace: two requests racing with one reset link: exactly one sets
// a password; the other is told the link was used.
func TestResetLinkWorksOnceUnderRace(t *testing.T) {
	smtp := mailtest.Start(t)
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine, smtp.Use)
			known := "master-" + engine + "@aegean.test"
			env.CreateUser(known)
			env.Do("POST", "/api/v1/auth/password-reset", "", map[string]string{"email": known})
			link := resetLink.FindString(smtp.WaitFor(t, known, "new password").Text)
			if link == "" {
				t.Fatal("no reset link")
			}
			statuses := make(chan int, 2)
			for i := range 2 {
				go func() {
					r := env.Do("POST", "/api/v1/auth/password-reset/confirm", "", map[string]string{"token": tokenOf(t, link),
						"password": fmt.Sprintf("racing long password number %d", i)})
					statuses <- r.Status
				}()
			}
			got := []int{<-statuses, <-statuses}
			slices.Sort(got)
			if got[0] != http.StatusOK || got[1] != http.StatusNotFound {
				t.Errorf("two racing uses of one link answered %v, want one 200 and one 404", got)
			}
		})
	}
}

package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// Review S1: an invitation link is a credential for its e-mail. With e-mail off it used to
// be shown to whoever added the party, so any signed-in user could make a room, add someone
// else's e-mail, follow the link and become that person in every room waiting for it.

// linkToken is the token of an invitation link.
func linkToken(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("not an invitation link: %q", link)
	}
	return u.Query().Get("token")
}

func roomTitled(t *testing.T, env *apptest.Env, token, title string) string {
	t.Helper()
	return must(t, env.Do("POST", "/api/v1/rooms", token, map[string]string{"title": title, "location": "Skaw", "sts_eta": "2026-03-14T08:00:00Z"}), 201)["id"].(string)
}

// TestInvitationTakeover (review T1): with e-mail off a room manager who is not a platform
// admin is never given an invitation's link, adding or re-sending; the answer says a
// platform admin must send it. The admin finds the room's invitation, re-sends it and is
// given the link; the invitee who accepts it is the party of every room waiting for the
// e-mail, since an admin passed the link on.
func TestInvitationTakeover(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		const victim = "ops@nordic.test"
		env.CreateUser(brokerEmail)
		env.CreateUser("mallory@evil.test")
		broker, mallory, admin := env.Login(brokerEmail), env.Login("mallory@evil.test"), env.Login(apptest.AdminEmail)
		roomB := roomTitled(t, env, broker, "Victim room")
		invB := must(t, env.Do("POST", "/api/v1/rooms/"+roomB+"/parties", broker, map[string]string{"email": victim, "role": "charterer"}), 201)["invitation"].(map[string]any)
		roomA := roomTitled(t, env, mallory, "Mallory room")
		added := must(t, env.Do("POST", "/api/v1/rooms/"+roomA+"/parties", mallory, map[string]string{"email": victim, "role": "viewer"}), 201)
		invA := added["invitation"].(map[string]any)
		for what, inv := range map[string]map[string]any{"the broker's invitation": invB, "mallory's invitation": invA} {
			if inv["invitation_url"] != nil || inv["delivery"] != "admin" || inv["status"] != "pending" {
				t.Errorf("%s, e-mail off, inviter no admin: %v; want no invitation_url, delivery admin, pending", what, inv)
			}
		}
		resent := must(t, env.Do("POST", "/api/v1/rooms/"+roomA+"/invitations/"+invA["id"].(string)+"/resend", mallory, nil), 200)
		if resent["invitation_url"] != nil || resent["delivery"] != "admin" {
			t.Errorf("a re-send by a manager who is no admin gave %v; want no link", resent)
		}
		if r := env.Do("GET", "/api/v1/invitations?kind=room", mallory, nil); r.Status != http.StatusForbidden {
			t.Errorf("a non-admin lists every room's invitations: %d", r.Status)
		}
		if r := env.Do("POST", "/api/v1/invitations/"+invB["id"].(string)+"/resend", mallory, nil); r.Status != http.StatusForbidden {
			t.Errorf("a non-admin re-sends through the admins' route: %d", r.Status)
		}

		// The admin sees both, each with its room, and is given a link by re-sending.
		var list struct {
			Items []map[string]any `json:"items"`
		}
		env.Do("GET", "/api/v1/invitations?kind=room", admin, nil).JSON(&list)
		titles := map[string]string{}
		for _, v := range list.Items {
			titles[v["id"].(string)] = v["room_title"].(string)
		}
		if titles[invA["id"].(string)] != "Mallory room" || titles[invB["id"].(string)] != "Victim room" {
			t.Fatalf("the admin's list of room invitations: %v", list.Items)
		}
		if platform := must(t, env.Do("GET", "/api/v1/invitations", admin, nil), 200)["items"].([]any); len(platform) != 0 {
			t.Errorf("the platform invitations (the default kind) list room invitations: %v", platform)
		}
		byAdmin := must(t, env.Do("POST", "/api/v1/invitations/"+invB["id"].(string)+"/resend", admin, nil), 200)
		link, _ := byAdmin["invitation_url"].(string)
		if byAdmin["delivery"] != "link" || byAdmin["room_id"] != roomB {
			t.Fatalf("the admin's re-send of a room invitation: %v", byAdmin)
		}
		acc := must(t, env.Do("POST", "/api/v1/invitations/accept", "", map[string]string{"token": linkToken(t, link), "name": "Nordic Ops", "password": apptest.Password}), 200)
		if acc["room_id"] != roomB {
			t.Errorf("accepted into %v, want the victim room", acc["room_id"])
		}
		token := acc["token"].(string)
		for _, room := range []string{roomA, roomB} {
			if r := env.Do("GET", "/api/v1/rooms/"+room, token, nil); r.Status != http.StatusOK {
				t.Errorf("the invitee, by a link an admin passed on, is not the party of %s: %d", room, r.Status)
			}
		}
		if r := env.Do("GET", "/api/v1/rooms/"+roomB, mallory, nil); r.Status != http.StatusNotFound {
			t.Errorf("mallory sees the victim room: %d", r.Status)
		}
	})
}

// TestInvitationUntrustedLinkBindsOnlyItsParty: a link that was shown to someone other than
// an admin (as every inviter was shown it before) may be in other hands: accepting it binds
// its own party only; the other rooms' invitations of the e-mail stay as they were.
func TestInvitationUntrustedLinkBindsOnlyItsParty(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		const victim = "ops@nordic.test"
		env.CreateUser(brokerEmail)
		malloryID := env.CreateUser("mallory@evil.test")
		broker, mallory, admin := env.Login(brokerEmail), env.Login("mallory@evil.test"), env.Login(apptest.AdminEmail)
		roomB := roomTitled(t, env, broker, "Victim room")
		must(t, env.Do("POST", "/api/v1/rooms/"+roomB+"/parties", broker, map[string]string{"email": victim, "role": "charterer"}), 201)
		roomA := roomTitled(t, env, mallory, "Mallory room")
		invA := must(t, env.Do("POST", "/api/v1/rooms/"+roomA+"/parties", mallory, map[string]string{"email": victim, "role": "viewer"}), 201)["invitation"].(map[string]any)
		link := must(t, env.Do("POST", "/api/v1/invitations/"+invA["id"].(string)+"/resend", admin, nil), 200)["invitation_url"].(string)
		// As a link made before the rule: shown to the room's manager, who is no admin.
		if n := env.RawExec(`UPDATE invitations SET link_shown_to = ? WHERE id = ?`, malloryID, invA["id"]); n != 1 {
			t.Fatalf("marked %d invitations", n)
		}
		acc := must(t, env.Do("POST", "/api/v1/invitations/accept", "", map[string]string{"token": linkToken(t, link), "name": "Mallory", "password": apptest.Password}), 200)
		token := acc["token"].(string)
		if r := env.Do("GET", "/api/v1/rooms/"+roomA, token, nil); r.Status != http.StatusOK {
			t.Errorf("the invitation's own room: %d", r.Status)
		}
		if r := env.Do("GET", "/api/v1/rooms/"+roomB, token, nil); r.Status != http.StatusNotFound {
			t.Errorf("an untrusted link bound another room's party: GET the victim room %d, want 404", r.Status)
		}
		list := must(t, env.Do("GET", "/api/v1/rooms/"+roomB+"/invitations", broker, nil), 200)["items"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["status"] != "pending" {
			t.Errorf("the victim room's invitation after the other was accepted: %v", list)
		}
	})
}

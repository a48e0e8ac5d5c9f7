package api_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/secret"
	"github.com/stshub/stshub/internal/store"
)

// Review W7: what an invitation says about itself stays true: one open platform invitation
// per e-mail even under a double click, no re-send to an e-mail that has an account, the
// party's current role, and a removed party's invitation withdrawn.

// TestOnePlatformInvitationPerEmail: of parallel invitations of one e-mail exactly one is
// made (the others 409), and the store refuses a second open one as a conflict.
func TestOnePlatformInvitationPerEmail(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		admin := env.Login(apptest.AdminEmail)
		const n = 6
		statuses := make(chan int, n)
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				statuses <- env.Do("POST", "/api/v1/invitations", admin, map[string]string{"email": "auditor@gard.test"}).Status
			})
		}
		wg.Wait()
		close(statuses)
		got := map[int]int{}
		for s := range statuses {
			got[s]++
		}
		if got[http.StatusCreated] != 1 || got[http.StatusConflict] != n-1 {
			t.Errorf("%d parallel invitations of one e-mail answered %v, want one 201 and the rest 409", n, got)
		}
		now := env.Now()
		err := env.App.DB().InTx(context.Background(), func(tx store.Q) error {
			return tx.CreateInvitation(context.Background(), store.Invitation{ID: "dup-" + env.Engine, Email: "auditor@gard.test", Role: "user",
				TokenHash: secret.HashToken("dup"), CreatedAt: now, SentAt: now, ExpiresAt: now.Add(authz.LinkTTL(authz.InvitationLink))})
		})
		if !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("a second open platform invitation stored: %v, want a conflict", err)
		}
	})
}

// TestInvitationResendRoleAndRemoval: a re-send to an e-mail that has an account meanwhile
// is refused; an invitation shows the party's current role; a removed party's invitation is
// listed withdrawn.
func TestInvitationResendRoleAndRemoval(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		admin := env.Login(apptest.AdminEmail)
		inv := must(t, env.Do("POST", "/api/v1/invitations", admin, map[string]string{"email": "late@gard.test"}), 201)["id"].(string)
		must(t, env.Do("DELETE", "/api/v1/invitations/"+inv, admin, nil), 204)
		env.CreateUser("late@gard.test") // closes open invitations only; this one was withdrawn
		if r := env.Do("POST", "/api/v1/invitations/"+inv+"/resend", admin, nil); r.Status != http.StatusConflict {
			t.Errorf("re-send to an e-mail with an account: %d %s, want 409", r.Status, r.Body)
		}

		room := roomTitled(t, env, admin, "Skaw STS")
		added := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/parties", admin, map[string]string{"email": "ops@nordic.test", "role": "viewer"}), 201)
		party, invID := added["id"].(string), added["invitation"].(map[string]any)["id"].(string)
		must(t, env.Do("PATCH", "/api/v1/rooms/"+room+"/parties/"+party, admin, map[string]string{"role": "charterer"}), 200)
		resent := must(t, env.Do("POST", "/api/v1/rooms/"+room+"/invitations/"+invID+"/resend", admin, nil), 200)
		if resent["role"] != "charterer" {
			t.Errorf("the re-sent invitation's role: %v, want the party's current charterer", resent["role"])
		}
		preview, err := env.App.Service().PreviewInvitation(context.Background(), linkToken(t, resent["invitation_url"].(string)))
		if err != nil || preview.Role != authz.Charterer.Label() {
			t.Errorf("the link's page names the role %q (%v), want %q", preview.Role, err, authz.Charterer.Label())
		}
		listed := func() map[string]any {
			items := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/invitations", admin, nil), 200)["items"].([]any)
			return items[0].(map[string]any)
		}
		if v := listed(); v["role"] != "charterer" || v["status"] != "pending" {
			t.Errorf("listed before removal: %v", v)
		}
		must(t, env.Do("DELETE", "/api/v1/rooms/"+room+"/parties/"+party, admin, nil), 204)
		if v := listed(); v["status"] != "revoked" {
			t.Errorf("the removed party's invitation is listed %v, want revoked (withdrawn)", v["status"])
		}
		if r := env.Do("POST", "/api/v1/invitations/"+invID+"/resend", admin, nil); r.Status != http.StatusConflict {
			t.Errorf("the admins' re-send of a removed party's invitation: %d, want 409", r.Status)
		}
	})
}

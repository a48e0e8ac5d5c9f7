package service_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store"
)

// The platform keeps an enabled admin (review W5, W6, E1).

// newAdmin creates an enabled platform admin and returns its actor, as a session has it.
func newAdmin(t *testing.T, env *apptest.Env, email string) service.Actor {
	t.Helper()
	svc := env.App.Service()
	if _, err := svc.CreateUser(t.Context(), env.Admin(), service.NewUser{Email: email, Password: apptest.Password, Role: authz.PlatformAdmin}); err != nil {
		t.Fatal(err)
	}
	l, err := svc.Login(t.Context(), email, apptest.Password)
	if err != nil {
		t.Fatal(err)
	}
	return service.Actor{UserID: l.User.ID, Email: l.User.Email, PlatformRole: l.User.Role}
}

func ptr[T any](v T) *T { return &v }

// TestAdminsCannotRemoveEachOther (W6): an admin whose own rights were taken meanwhile (its
// actor still says admin, as a request begun before does) changes no other admin: 409, and
// the other stays an enabled admin. Run at once, of two admins demoting or disabling each
// other, at most one change commits.
func TestAdminsCannotRemoveEachOther(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		svc := env.App.Service()
		a, b := newAdmin(t, env, "a@stshub.test"), newAdmin(t, env, "b@stshub.test")
		if _, err := svc.UpdateUser(t.Context(), a, b.UserID, service.UserPatch{Role: ptr(authz.PlatformUser)}); err != nil {
			t.Fatal(err)
		}
		for what, patch := range map[string]service.UserPatch{"demote": {Role: ptr(authz.PlatformUser)}, "disable": {Disabled: ptr(true)}} {
			_, err := svc.UpdateUser(t.Context(), b, a.UserID, patch)
			if !errors.Is(err, apperr.ErrConflict) {
				t.Errorf("%s by an admin demoted meanwhile: %v, want 409", what, err)
			}
		}
		if u, err := env.App.DB().Read().UserByID(t.Context(), a.UserID); err != nil || u.Role != authz.PlatformAdmin || u.DisabledAt != nil {
			t.Errorf("a after the refused changes: %+v %v", u, err)
		}

		for i := range 4 {
			x, y := newAdmin(t, env, "x"+string(rune('0'+i))+"@stshub.test"), newAdmin(t, env, "y"+string(rune('0'+i))+"@stshub.test")
			var wg sync.WaitGroup
			errs := make([]error, 2)
			wg.Go(func() {
				_, errs[0] = svc.UpdateUser(context.Background(), x, y.UserID, service.UserPatch{Disabled: ptr(true)})
			})
			wg.Go(func() {
				_, errs[1] = svc.UpdateUser(context.Background(), y, x.UserID, service.UserPatch{Role: ptr(authz.PlatformUser)})
			})
			wg.Wait()
			if errs[0] == nil && errs[1] == nil {
				t.Fatalf("round %d: both admins removed each other", i)
			}
			for _, err := range errs {
				if err != nil && !errors.Is(err, apperr.ErrConflict) && !errors.Is(err, apperr.ErrForbidden) {
					t.Errorf("round %d: %v", i, err)
				}
			}
		}
	})
}

// TestUpdateUserPermissionFirst (E1): a non-admin is refused (403) whatever the body.
func TestUpdateUserPermissionFirst(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		broker := newBroker(t, env)
		_, err := env.App.Service().UpdateUser(t.Context(), broker, env.Admin().UserID, service.UserPatch{Role: ptr("emperor")})
		if !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("a non-admin's bad role: %v, want 403", err)
		}
	})
}

// TestEnsureAdminEnablesDisabled (W5): `stshub admin create` on a disabled admin, or with
// --promote on a disabled user, enables the account, and the platform trail says so.
func TestEnsureAdminEnablesDisabled(t *testing.T) {
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		svc := env.App.Service()
		lost := newAdmin(t, env, "lost@stshub.test")
		broker := newBroker(t, env)
		for _, id := range []string{lost.UserID, broker.UserID} {
			if _, err := svc.UpdateUser(t.Context(), env.Admin(), id, service.UserPatch{Disabled: ptr(true)}); err != nil {
				t.Fatal(err)
			}
		}
		for email, how := range map[string]service.ExistingAccount{"lost@stshub.test": service.ResetAdmin, "broker@valletta.test": service.PromoteUser} {
			if _, err := svc.EnsureAdmin(t.Context(), email, "a new long password", "", how); err != nil {
				t.Fatalf("%s: %v", email, err)
			}
			l, err := svc.Login(t.Context(), email, "a new long password")
			if err != nil || l.User.Role != authz.PlatformAdmin {
				t.Errorf("%s signs in after admin create: %v %+v", email, err, l.User)
			}
		}
		entries, err := env.App.DB().Read().ListAudit(t.Context(), audit.PlatformScope, store.AuditFilter{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		enabled := map[string]bool{}
		for _, e := range entries {
			if e.Action == audit.ActionUserEnabled {
				enabled[e.TargetID] = true
			}
		}
		if !enabled[lost.UserID] || !enabled[broker.UserID] {
			t.Errorf("the trail lacks user_enabled: %v", enabled)
		}
	})
}

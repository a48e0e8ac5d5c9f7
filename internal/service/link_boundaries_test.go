package service_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/app"
	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/config"
	"github.com/stshub/stshub/internal/secret"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store/storetest"
)

// The links' lifetimes through the service, on a clock that stands still (review T): a reset
// link is stored as made + 1 h and works up to, not at, that instant; an invitation is
// stored as sent + 7 days, a re-send counting from itself.

// frozenApp is the application on a fresh database of engine with a clock set by hand.
func frozenApp(t *testing.T, engine string, at time.Time) (*app.App, *atomic.Pointer[time.Time]) {
	t.Helper()
	var clock atomic.Pointer[time.Time]
	clock.Store(&at)
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = storetest.Options(t, engine, cfg.DataDir).PostgresURL
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)),
		app.WithPasswordParams(apptest.FastPasswords), app.WithClock(func() time.Time { return *clock.Load() }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, &clock
}

func tokenIn(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("token") == "" {
		t.Fatalf("not a link with a token: %q", link)
	}
	return u.Query().Get("token")
}

func TestLinkLifetimesThroughService(t *testing.T) {
	made := time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			a, clock := frozenApp(t, engine, made)
			set := func(at time.Time) { clock.Store(&at) }
			svc, ctx := a.Service(), context.Background()
			if _, err := svc.EnsureAdmin(ctx, apptest.AdminEmail, apptest.Password, "Root", service.ResetAdmin); err != nil {
				t.Fatal(err)
			}
			l, err := svc.Login(ctx, apptest.AdminEmail, apptest.Password)
			if err != nil {
				t.Fatal(err)
			}
			admin := service.Actor{UserID: l.User.ID, Email: l.User.Email, PlatformRole: l.User.Role}
			u, err := svc.CreateUser(ctx, admin, service.NewUser{Email: "master@aegean.test", Password: apptest.Password})
			if err != nil {
				t.Fatal(err)
			}

			link, err := svc.SendPasswordReset(ctx, admin, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			token := tokenIn(t, link)
			r, err := a.DB().Read().PasswordResetByToken(ctx, secret.HashToken(token))
			if err != nil || !r.CreatedAt.Equal(made) || !r.ExpiresAt.Equal(made.Add(time.Hour)) {
				t.Fatalf("the reset link is stored as made %v expiring %v (%v), want %v and 1 h later", r.CreatedAt, r.ExpiresAt, err, made)
			}
			expiry := made.Add(authz.LinkTTL(authz.ResetLink))
			set(expiry)
			if _, err := svc.CheckResetLink(ctx, token); err == nil {
				t.Error("the reset link works at its expiry")
			}
			if _, err := svc.ResetPassword(ctx, token, "a new long password"); err == nil {
				t.Error("the reset link sets a password at its expiry")
			}
			set(expiry.Add(-time.Nanosecond))
			if _, err := svc.CheckResetLink(ctx, token); err != nil {
				t.Errorf("1 ns before its expiry: %v", err)
			}
			if _, err := svc.ResetPassword(ctx, token, "a new long password"); err != nil {
				t.Errorf("reset 1 ns before its expiry: %v", err)
			}

			set(made)
			inv, err := svc.InvitePlatform(ctx, admin, "auditor@gard.test", "")
			if err != nil {
				t.Fatal(err)
			}
			week := authz.LinkTTL(authz.InvitationLink)
			if week != 7*24*time.Hour || !inv.SentAt.Equal(made) || !inv.ExpiresAt.Equal(made.Add(week)) {
				t.Errorf("the invitation is sent %v, expires %v; want %v and 7 days later", inv.SentAt, inv.ExpiresAt, made)
			}
			later := made.Add(26 * time.Hour)
			set(later)
			if _, err := svc.ResendInvitation(ctx, admin, "", inv.ID); err != nil {
				t.Fatal(err)
			}
			stored, err := a.DB().Read().InvitationByID(ctx, "", inv.ID)
			if err != nil || !stored.SentAt.Equal(later) || !stored.ExpiresAt.Equal(later.Add(week)) {
				t.Errorf("re-sent: stored sent %v, expires %v (%v); want %v and 7 days later", stored.SentAt, stored.ExpiresAt, err, later)
			}
		})
	}
}

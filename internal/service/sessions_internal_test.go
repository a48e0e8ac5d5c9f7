package service

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/live"
	"github.com/stshub/stshub/internal/secret"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
)

// endings records the session ends a service announces.
type endings struct {
	mu       sync.Mutex
	sessions []string // "user/session"
	users    []string
}

func (e *endings) Publish(live.Event)           {}
func (e *endings) Revoke(roomID, userID string) {}
func (e *endings) PublishToUser(string, string) {}
func (e *endings) EndSession(userID, sessionID string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.sessions = append(e.sessions, userID+"/"+sessionID)
}
func (e *endings) EndUserSessions(userID string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.users = append(e.users, userID)
}

// TestEndUserSessions: the function a password change or a disabled account calls revokes
// every session of the user in the caller's transaction and, after commit only, ends their
// live streams; Logout ends its own session's streams, named as LiveSession names them.
func TestEndUserSessions(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			ends := &endings{}
			s, err := New(storetest.Open(t, engine), Options{Events: ends, PasswordParams: secret.Params{MemoryKiB: 64, Time: 1, Threads: 1}})
			if err != nil {
				t.Fatal(err)
			}
			const email, password = "master@aegean.test", "correct horse battery staple"
			if _, err := s.EnsureAdmin(ctx, email, password, "", KeepExisting); err != nil {
				t.Fatal(err)
			}
			login := func() Login {
				l, err := s.Login(ctx, email, password)
				if err != nil {
					t.Fatal(err)
				}
				return l
			}
			first, second := login(), login()
			userID := first.User.ID

			sess, err := s.LiveSession(ctx, first.Token)
			if err != nil || sess.UserID != userID || sess.ID == "" || !sess.ExpiresAt.Equal(first.ExpiresAt) {
				t.Fatalf("LiveSession: %+v, %v", sess, err)
			}
			if sess.ID == secret.HashToken(first.Token) {
				t.Fatal("the live session ID is the token's stored hash")
			}

			// Rolled back: the sessions stay and no stream is told.
			boom := errors.New("the caller's change failed")
			if err := s.db.InTx(ctx, func(tx store.Q) error {
				if err := s.endUserSessions(ctx, tx, userID); err != nil {
					return err
				}
				return boom
			}); !errors.Is(err, boom) {
				t.Fatalf("rolled-back tx: %v", err)
			}
			if _, err := s.Authenticate(ctx, second.Token); err != nil || len(ends.users) != 0 {
				t.Fatalf("after a rollback: %v, ends %v", err, ends.users)
			}

			if err := s.db.InTx(ctx, func(tx store.Q) error { return s.endUserSessions(ctx, tx, userID) }); err != nil {
				t.Fatal(err)
			}
			for _, l := range []Login{first, second} {
				if _, err := s.Authenticate(ctx, l.Token); !errors.Is(err, apperr.ErrUnauthenticated) {
					t.Fatalf("a session survived: %v", err)
				}
				if _, err := s.LiveSession(ctx, l.Token); !errors.Is(err, apperr.ErrUnauthenticated) {
					t.Fatalf("LiveSession of a revoked session: %v", err)
				}
			}
			if len(ends.users) != 1 || ends.users[0] != userID {
				t.Fatalf("EndUserSessions calls %v, want [%s]", ends.users, userID)
			}

			third := login()
			thirdSess, err := s.LiveSession(ctx, third.Token)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Logout(ctx, actorOf(third.User), third.Token); err != nil {
				t.Fatal(err)
			}
			if want := userID + "/" + thirdSess.ID; len(ends.sessions) != 1 || ends.sessions[0] != want {
				t.Fatalf("EndSession calls %v, want [%s]", ends.sessions, want)
			}
		})
	}
}

// TestEnsureAdminRefusesToPromote: `stshub admin create` resets an admin's password, refuses
// an ordinary user unless told to promote it, and the first-start variables change nothing.
func TestEnsureAdminRefusesToPromote(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s, err := New(storetest.Open(t, engine), Options{PasswordParams: secret.Params{MemoryKiB: 64, Time: 1, Threads: 1}})
			if err != nil {
				t.Fatal(err)
			}
			const pw, other = "correct horse battery staple", "another long password"
			if _, err := s.EnsureAdmin(ctx, "root@hub.test", pw, "", ResetAdmin); err != nil {
				t.Fatal(err)
			}
			root, _ := s.db.Read().UserByEmail(ctx, "root@hub.test")
			if _, err := s.CreateUser(ctx, actorOf(root), NewUser{Email: "user@hub.test", Password: pw}); err != nil {
				t.Fatal(err)
			}
			role := func(email string) string { u, _ := s.db.Read().UserByEmail(ctx, email); return u.Role }
			if _, err := s.EnsureAdmin(ctx, "user@hub.test", other, "", ResetAdmin); !errors.Is(err, ErrNotAnAdmin) || role("user@hub.test") != "user" {
				t.Fatalf("reset of a non-admin: %v, role %s", err, role("user@hub.test"))
			}
			if _, err := s.Login(ctx, "user@hub.test", pw); err != nil {
				t.Fatalf("the refused reset changed the password: %v", err)
			}
			if _, err := s.EnsureAdmin(ctx, "user@hub.test", other, "", KeepExisting); err != nil || role("user@hub.test") != "user" {
				t.Fatalf("first-start variables: %v", err)
			}
			if _, err := s.EnsureAdmin(ctx, "root@hub.test", other, "", ResetAdmin); err != nil {
				t.Fatalf("reset of an admin: %v", err)
			}
			if _, err := s.EnsureAdmin(ctx, "user@hub.test", other, "", PromoteUser); err != nil || role("user@hub.test") != "admin" {
				t.Fatalf("promote: %v, role %s", err, role("user@hub.test"))
			}
			if _, err := s.Login(ctx, "user@hub.test", other); err != nil {
				t.Fatalf("the promoted user's new password: %v", err)
			}
		})
	}
}

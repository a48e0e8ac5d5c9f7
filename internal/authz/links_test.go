package authz

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apperr"
)

func TestLinkTTL(t *testing.T) {
	if got := LinkTTL(InvitationLink); got != 7*24*time.Hour {
		t.Errorf("invitation: %v", got)
	}
	if got := LinkTTL(ResetLink); got != time.Hour {
		t.Errorf("reset: %v", got)
	}
	if a, b := LinkTTLWords(InvitationLink), LinkTTLWords(ResetLink); a != "7 days" || b != "1 hour" {
		t.Errorf("in words: %q, %q", a, b)
	}
}

// TestLinkUsable walks a link's expiry at its boundary and its used and withdrawn states.
func TestLinkUsable(t *testing.T) {
	sent := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	exp := sent.Add(LinkTTL(InvitationLink))
	at := func(d time.Duration) *time.Time { v := sent.Add(d); return &v }
	for _, tc := range []struct {
		name string
		link Link
		now  time.Time
		want string // "" usable, else a word of the refusal
	}{
		{"just sent", Link{Kind: InvitationLink, ExpiresAt: exp}, sent, ""},
		{"a nanosecond before expiry", Link{Kind: InvitationLink, ExpiresAt: exp}, exp.Add(-time.Nanosecond), ""},
		{"at expiry", Link{Kind: InvitationLink, ExpiresAt: exp}, exp, "expired on 8 March 2026 09:00 UTC"},
		{"after expiry", Link{Kind: InvitationLink, ExpiresAt: exp}, exp.Add(time.Hour), "send the invitation again"},
		{"accepted", Link{Kind: InvitationLink, ExpiresAt: exp, UsedAt: at(time.Minute)}, sent.Add(time.Hour), "already accepted"},
		{"withdrawn", Link{Kind: InvitationLink, ExpiresAt: exp, RevokedAt: at(time.Minute)}, sent.Add(time.Hour), "withdrawn"},
		{"accepted beats expired", Link{Kind: InvitationLink, ExpiresAt: exp, UsedAt: at(time.Minute)}, exp.Add(time.Hour), "already accepted"},
		{"reset before expiry", Link{Kind: ResetLink, ExpiresAt: sent.Add(time.Hour)}, sent.Add(59 * time.Minute), ""},
		{"reset at expiry", Link{Kind: ResetLink, ExpiresAt: sent.Add(time.Hour)}, sent.Add(time.Hour), "ask for a new password reset link"},
		{"reset used", Link{Kind: ResetLink, ExpiresAt: sent.Add(time.Hour), UsedAt: at(time.Minute)}, sent.Add(2 * time.Minute), "already used"},
	} {
		err := LinkUsable(tc.link, tc.now)
		if status := LinkStatus(tc.link, tc.now); (status == LinkPending) != (tc.want == "") {
			t.Errorf("%s: status %s, usable %v", tc.name, status, tc.want == "")
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, apperr.ErrNotFound)):
			t.Errorf("%s: %v, want a not-found saying %q", tc.name, err, tc.want)
		}
	}
}

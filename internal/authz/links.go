package authz

import (
	"fmt"
	"time"

	"github.com/stshub/stshub/internal/apperr"
)

// The rules of the links an account is made or recovered with (issue 22): an invitation
// (to a room or to the platform) and a password reset. Each link carries a random token
// of which only the SHA-256 is stored; it works once, until it expires, and not after it
// was withdrawn or replaced. The password a link sets follows secret.CheckPasswordPolicy.

// LinkKind is the purpose of a link.
type LinkKind string

// The kinds of link.
const (
	InvitationLink LinkKind = "invitation"
	ResetLink      LinkKind = "password reset"
)

// LinkTTL is how long a link of kind works after it was sent: an invitation a week (the
// invited person may be at sea or on leave), a password reset an hour (whoever asks is at
// their screen).
func LinkTTL(kind LinkKind) time.Duration {
	if kind == ResetLink {
		return time.Hour
	}
	return 7 * 24 * time.Hour
}

// Link is the state of one link's token as stored.
type Link struct {
	Kind      LinkKind
	ExpiresAt time.Time
	UsedAt    *time.Time // accepted or used to set a password
	RevokedAt *time.Time // withdrawn by the inviter (invitations only)
}

// LinkUsable says why the link cannot be used at now, in words for the person holding it,
// or returns nil. It works up to, not at, its expiry. The error is apperr.ErrNotFound:
// the API answers 404 with the words.
func LinkUsable(l Link, now time.Time) error {
	again := "ask the person who invited you to send the invitation again"
	if l.Kind == ResetLink {
		again = "ask for a new password reset link on the sign-in page"
	}
	switch {
	case l.UsedAt != nil && l.Kind == ResetLink:
		return fmt.Errorf("this password reset link was already used; %s: %w", again, apperr.ErrNotFound)
	case l.UsedAt != nil:
		return fmt.Errorf("this invitation was already accepted; sign in with the e-mail address it was sent to: %w", apperr.ErrNotFound)
	case l.RevokedAt != nil:
		return fmt.Errorf("this invitation was withdrawn; %s: %w", again, apperr.ErrNotFound)
	case !now.Before(l.ExpiresAt):
		return fmt.Errorf("this %s link expired on %s; %s: %w", l.Kind, l.ExpiresAt.UTC().Format("2 January 2006 15:04 UTC"), again, apperr.ErrNotFound)
	}
	return nil
}

// ErrUnknownLink is the answer for a token that names no link: the same words whether it
// never existed or was replaced by a newer link.
var ErrUnknownLink = fmt.Errorf("this link is not valid: it may have been replaced by a newer one; use the latest e-mail you received: %w", apperr.ErrNotFound)

// The states of a link an inviter sees (LinkStatus).
const (
	LinkPending  = "pending"
	LinkAccepted = "accepted"
	LinkRevoked  = "revoked"
	LinkExpired  = "expired"
)

// LinkStatuses lists the states of a link: the one list (API enum).
func LinkStatuses() []string { return []string{LinkPending, LinkAccepted, LinkRevoked, LinkExpired} }

// LinkStatus names the state of l at now: accepted or revoked once it was, else expired
// from its expiry on, else pending.
func LinkStatus(l Link, now time.Time) string {
	switch {
	case l.UsedAt != nil:
		return LinkAccepted
	case l.RevokedAt != nil:
		return LinkRevoked
	case !now.Before(l.ExpiresAt):
		return LinkExpired
	}
	return LinkPending
}

// LinkTTLWords is LinkTTL in words for the people told: "7 days", "1 hour".
func LinkTTLWords(kind LinkKind) string {
	d := LinkTTL(kind)
	n, unit := int(d/time.Hour), "hour"
	if d%(24*time.Hour) == 0 {
		n, unit = int(d/(24*time.Hour)), "day"
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}

package service

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/reqinfo"
	"github.com/stshub/stshub/internal/secret"
	"github.com/stshub/stshub/internal/store"
)

// Invitations (issue 22). Adding a party whose e-mail has no account invites it: a link
// with a random token (secret.NewToken, 256 bits) of which only the SHA-256 is stored,
// working once until it expires (authz.LinkTTL) and not after it was withdrawn or sent
// again. An admin invites people to the platform the same way. Following the link lets the
// person choose a name and a password: the account is made, every room invitation waiting
// for its e-mail binds (afterUserCreated), and the person is signed in.

// InvitationPath is the web page a link leads to; the token is in the query string, which
// the access log leaves out.
const InvitationPath = "/invitations/accept"

// Invitation is an invitation as the people who manage it see it. Link is set only by the
// call that made the link, and only when e-mail is off: then the inviter passes it on.
type Invitation struct {
	ID         string
	Email      string
	RoomID     string // "" for an invitation to the platform
	PartyID    string
	Role       string
	InvitedBy  string
	Status     string // authz.LinkPending, LinkAccepted, LinkRevoked or LinkExpired
	CreatedAt  time.Time
	SentAt     time.Time
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	RevokedAt  *time.Time
	Link       string
}

func linkOf(v store.Invitation) authz.Link {
	return authz.Link{Kind: authz.InvitationLink, ExpiresAt: v.ExpiresAt, UsedAt: v.AcceptedAt, RevokedAt: v.RevokedAt}
}

func (s *Service) invitationOf(v store.Invitation) Invitation {
	return Invitation{ID: v.ID, Email: v.Email, RoomID: deref(v.RoomID), PartyID: deref(v.PartyID), Role: v.Role, InvitedBy: v.InvitedBy,
		Status: authz.LinkStatus(linkOf(v), s.now()), CreatedAt: v.CreatedAt, SentAt: v.SentAt, ExpiresAt: v.ExpiresAt,
		AcceptedAt: v.AcceptedAt, RevokedAt: v.RevokedAt}
}

// invitationMail is what the invitation e-mail says.
type invitationMail struct {
	Email     string
	Room      string // the room's title; "" for the platform
	Location  string
	Role      string // the room role in words, or the platform role
	InvitedBy string // the inviter's name and e-mail
	Link      string
	ExpiresAt time.Time
}

// newLink makes a token and its link on path.
func (s *Service) newLink(path string) (token, hash, link string, err error) {
	token, err = secret.NewToken()
	if err != nil {
		return "", "", "", err
	}
	return token, secret.HashToken(token), s.link(path, url.Values{"token": {token}}), nil
}

// sendInvitation gives v a new link (a new invitation, or a re-send) and queues its e-mail,
// in tx. It returns the link when e-mail is off, for the inviter to pass on.
func (s *Service) sendInvitation(ctx context.Context, tx store.Q, actor Actor, v *store.Invitation, fresh bool) (string, error) {
	_, hash, link, err := s.newLink(InvitationPath)
	if err != nil {
		return "", err
	}
	now := s.now()
	v.TokenHash, v.SentAt, v.ExpiresAt = hash, now, now.Add(authz.LinkTTL(authz.InvitationLink))
	if fresh {
		err = tx.CreateInvitation(ctx, *v)
	} else {
		v.RevokedAt = nil
		err = tx.RenewInvitation(ctx, v.ID, hash, now, v.ExpiresAt)
	}
	if err != nil {
		return "", err
	}
	m := invitationMail{Email: v.Email, Role: v.Role, InvitedBy: actor.Email, Link: link, ExpiresAt: v.ExpiresAt}
	if actor.Name != "" {
		m.InvitedBy = actor.Name + " (" + actor.Email + ")"
	}
	scope := audit.PlatformScope
	if v.RoomID != nil {
		scope = *v.RoomID
		room, err := tx.RoomByID(ctx, *v.RoomID)
		if err != nil {
			return "", err
		}
		m.Room, m.Location, m.Role = room.Title, room.Location, authz.Role(v.Role).Label()
	}
	if err := s.queueMail(ctx, tx, "invitation", v.Email, m); err != nil {
		return "", err
	}
	action := audit.ActionInvitationSent
	if !fresh {
		action = audit.ActionInvitationResent
	}
	if err := s.record(ctx, tx, actor, event{scope: scope, action: action, targetType: "invitation", targetID: v.ID,
		meta: map[string]any{"email": v.Email, "role": v.Role, "party_id": deref(v.PartyID), "expires_at": v.ExpiresAt.Format(time.RFC3339),
			"emailed": s.MailEnabled()}}); err != nil {
		return "", err
	}
	if s.MailEnabled() {
		return "", nil
	}
	return link, nil
}

// inviteParty invites the e-mail of p, a party just added whose e-mail has no account (the
// hook of AddParty), in its transaction.
func (s *Service) inviteParty(ctx context.Context, tx store.Q, actor Actor, p clearance.Party) (*Invitation, error) {
	roomID, partyID := p.RoomID, p.ID
	v := store.Invitation{ID: newID(), Email: p.Email, RoomID: &roomID, PartyID: &partyID, Role: p.Role, InvitedBy: actor.UserID, CreatedAt: s.now()}
	link, err := s.sendInvitation(ctx, tx, actor, &v, true)
	if err != nil {
		return nil, err
	}
	out := s.invitationOf(v)
	out.Link = link
	return &out, nil
}

// InvitePlatform invites an e-mail without an account to the platform with a platform
// role (platform admins only).
func (s *Service) InvitePlatform(ctx context.Context, actor Actor, email, role string) (Invitation, error) {
	// SECURITY: only platform admins make accounts, by invitation as directly.
	if !actor.IsAdmin() {
		return Invitation{}, fmt.Errorf("only admins invite people to the platform: %w", apperr.ErrForbidden)
	}
	var c apperr.Collector
	email, err := normalizeEmail(email)
	if err != nil {
		c.Add("email", err.Error())
	}
	if role == "" {
		role = authz.PlatformUser
	}
	if _, err := authz.ParsePlatformRole(role); err != nil {
		c.Add("role", err.Error())
	}
	if err := c.Err(); err != nil {
		return Invitation{}, err
	}
	var out Invitation
	err = s.db.InTx(ctx, func(tx store.Q) error {
		if _, err := tx.UserByEmail(ctx, email); err == nil {
			return fmt.Errorf("%s already has an account: %w", email, apperr.ErrConflict)
		} else if !errors.Is(err, apperr.ErrNotFound) {
			return err
		}
		open, err := tx.OpenPlatformInvitation(ctx, email)
		if err == nil && authz.LinkStatus(linkOf(open), s.now()) == authz.LinkPending {
			return fmt.Errorf("%s is already invited; send the invitation again instead: %w", email, apperr.ErrConflict)
		} else if err != nil && !errors.Is(err, apperr.ErrNotFound) {
			return err
		}
		v := store.Invitation{ID: newID(), Email: email, Role: role, InvitedBy: actor.UserID, CreatedAt: s.now()}
		link, err := s.sendInvitation(ctx, tx, actor, &v, true)
		if err != nil {
			return err
		}
		out = s.invitationOf(v)
		out.Link = link
		return nil
	})
	return out, err
}

// authorizeInvitation reads invitation id of roomID ("" for the platform) for a caller who
// would manage it: for a room, one who may manage the parties and give the party's role
// (the grant ceiling); for the platform, an admin.
func (s *Service) authorizeInvitation(ctx context.Context, tx store.Q, actor Actor, roomID, id string) (store.Invitation, error) {
	if roomID == "" {
		// SECURITY: the platform's invitations are the admins' to manage.
		if !actor.IsAdmin() {
			return store.Invitation{}, fmt.Errorf("only admins manage platform invitations: %w", apperr.ErrForbidden)
		}
		return tx.InvitationByID(ctx, "", id)
	}
	m, err := authorizeMember(ctx, tx, actor, roomID, authz.ManageParties)
	if err != nil {
		return store.Invitation{}, err
	}
	v, err := tx.InvitationByID(ctx, roomID, id)
	if err != nil {
		return store.Invitation{}, err
	}
	p, err := tx.ActiveParty(ctx, roomID, deref(v.PartyID))
	if errors.Is(err, apperr.ErrNotFound) {
		return store.Invitation{}, fmt.Errorf("%s is no longer a party of this room, so its invitation is closed: %w", v.Email, apperr.ErrConflict)
	}
	if err != nil {
		return store.Invitation{}, err
	}
	// SECURITY: the grant ceiling of the party the invitation is for.
	return v, permit(m, request{action: authz.ManageParties, party: &p})
}

// ResendInvitation sends invitation id of roomID ("" for the platform) again with a new
// link: the old link stops working, and a withdrawn invitation is open again.
func (s *Service) ResendInvitation(ctx context.Context, actor Actor, roomID, id string) (Invitation, error) {
	var out Invitation
	err := s.db.InTx(ctx, func(tx store.Q) error {
		v, err := s.authorizeInvitation(ctx, tx, actor, roomID, id)
		if err != nil {
			return err
		}
		if v.AcceptedAt != nil {
			return fmt.Errorf("this invitation was already accepted: %s has an account: %w", v.Email, apperr.ErrConflict)
		}
		link, err := s.sendInvitation(ctx, tx, actor, &v, false)
		if err != nil {
			return err
		}
		out = s.invitationOf(v)
		out.Link = link
		return nil
	})
	return out, err
}

// RevokeInvitation withdraws invitation id of roomID ("" for the platform): its link stops
// working. A room's party stays (remove it to end its place in the room).
func (s *Service) RevokeInvitation(ctx context.Context, actor Actor, roomID, id string) error {
	return s.db.InTx(ctx, func(tx store.Q) error {
		v, err := s.authorizeInvitation(ctx, tx, actor, roomID, id)
		if err != nil {
			return err
		}
		switch {
		case v.AcceptedAt != nil:
			return fmt.Errorf("this invitation was already accepted: %w", apperr.ErrConflict)
		case v.RevokedAt != nil:
			return fmt.Errorf("this invitation was already withdrawn: %w", apperr.ErrConflict)
		}
		if err := tx.RevokeInvitation(ctx, v.ID, s.now()); err != nil {
			return err
		}
		scope := audit.PlatformScope
		if roomID != "" {
			scope = roomID
		}
		return s.record(ctx, tx, actor, event{scope: scope, action: audit.ActionInvitationRevoked, targetType: "invitation", targetID: v.ID,
			meta: map[string]any{"email": v.Email, "role": v.Role, "party_id": deref(v.PartyID)}})
	})
}

// ListInvitations returns the invitations of roomID (to those who manage its parties) or,
// for "", of the platform (to admins), newest first.
func (s *Service) ListInvitations(ctx context.Context, actor Actor, roomID string) ([]Invitation, error) {
	q := s.db.Read()
	if roomID == "" {
		// SECURITY: the platform's invitations are the admins' to see.
		if !actor.IsAdmin() {
			return nil, fmt.Errorf("only admins see platform invitations: %w", apperr.ErrForbidden)
		}
	} else if _, err := authorizeRoom(ctx, q, actor, roomID, authz.ManageParties); err != nil {
		return nil, err
	}
	list, err := q.ListInvitations(ctx, roomID)
	if err != nil {
		return nil, err
	}
	out := make([]Invitation, len(list))
	for i, v := range list {
		out[i] = s.invitationOf(v)
	}
	return out, nil
}

// InvitationPreview is what the page of an invitation link shows before it is accepted.
type InvitationPreview struct {
	Email     string
	Room      string // the room's title; "" for the platform
	Role      string // the room role in words, or the platform role
	InvitedBy string
	ExpiresAt time.Time
}

// checkLinkAttempt counts one use of a link's token from the caller's address, before the
// token is looked up (rate-limited like a sign-in: loginLimiter).
func (s *Service) checkLinkAttempt(ctx context.Context, hash string) error {
	if wait := s.limiter.attempt("link:"+hash, reqinfo.From(ctx).IP); wait > 0 {
		return &apperr.RateLimitedError{RetryAfter: wait}
	}
	return nil
}

// usableInvitation reads the invitation of token and says why it cannot be accepted now.
func (s *Service) usableInvitation(ctx context.Context, q store.Q, token string) (store.Invitation, error) {
	v, err := q.InvitationByToken(ctx, secret.HashToken(token))
	if errors.Is(err, apperr.ErrNotFound) {
		return store.Invitation{}, authz.ErrUnknownLink
	}
	if err != nil {
		return store.Invitation{}, err
	}
	if err := authz.LinkUsable(linkOf(v), s.now()); err != nil {
		return store.Invitation{}, err
	}
	if v.RoomID != nil {
		if _, err := q.ActiveParty(ctx, *v.RoomID, deref(v.PartyID)); errors.Is(err, apperr.ErrNotFound) {
			return store.Invitation{}, fmt.Errorf("this invitation was withdrawn: you are no longer a party of the room; ask the person who invited you: %w", apperr.ErrNotFound)
		} else if err != nil {
			return store.Invitation{}, err
		}
	}
	return v, nil
}

// PreviewInvitation says what the invitation of token is for, or why it cannot be used.
// Anyone holding the link may ask; attempts are rate limited.
func (s *Service) PreviewInvitation(ctx context.Context, token string) (InvitationPreview, error) {
	hash := secret.HashToken(token)
	if err := s.checkLinkAttempt(ctx, hash); err != nil {
		return InvitationPreview{}, err
	}
	q := s.db.Read()
	v, err := s.usableInvitation(ctx, q, token)
	if err != nil {
		return InvitationPreview{}, err
	}
	out := InvitationPreview{Email: v.Email, Role: v.Role, ExpiresAt: v.ExpiresAt, InvitedBy: "a platform admin"}
	if inviter, err := q.UserByID(ctx, v.InvitedBy); err == nil {
		out.InvitedBy = inviter.Name + " (" + inviter.Email + ")"
	}
	if v.RoomID != nil {
		room, err := q.RoomByID(ctx, *v.RoomID)
		if err != nil {
			return InvitationPreview{}, err
		}
		out.Room, out.Role = room.Title, authz.Role(v.Role).Label()
	}
	return out, nil
}

// Accepted is an accepted invitation: the new account's session, and the room it was
// invited to ("" for the platform).
type Accepted struct {
	Login
	RoomID string
}

// AcceptInvitation makes the account of the invitation of token with name and password and
// signs it in. The token is checked before any password work, and attempts are rate
// limited per address.
func (s *Service) AcceptInvitation(ctx context.Context, token, name, password string) (Accepted, error) {
	hash := secret.HashToken(token)
	if err := s.checkLinkAttempt(ctx, hash); err != nil {
		return Accepted{}, err
	}
	v, err := s.usableInvitation(ctx, s.db.Read(), token)
	if err != nil {
		return Accepted{}, err
	}
	role := authz.PlatformUser
	if v.RoomID == nil {
		role = v.Role
	}
	in := NewUser{Email: v.Email, Name: name, Password: password, Role: role}
	if err := in.normalize(); err != nil {
		return Accepted{}, err
	}
	var pwHash string
	var hashErr error
	if err := s.limiter.check(ctx, func() { pwHash, hashErr = secret.HashPassword(in.Password, s.opts.PasswordParams) }); err != nil {
		return Accepted{}, err
	}
	if hashErr != nil {
		return Accepted{}, hashErr
	}
	var out Accepted
	err = s.db.InTx(ctx, func(tx store.Q) error {
		// Again inside the transaction: two tabs accepting at once make one account.
		v, err := s.usableInvitation(ctx, tx, token)
		if err != nil {
			return err
		}
		if _, err := tx.UserByEmail(ctx, v.Email); err == nil {
			return fmt.Errorf("%s already has an account: sign in instead: %w", v.Email, apperr.ErrConflict)
		} else if !errors.Is(err, apperr.ErrNotFound) {
			return err
		}
		now := s.now()
		u := authz.User{ID: newID(), Email: in.Email, Name: in.Name, Role: in.Role, PasswordHash: pwHash, CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		me := actorOf(u)
		if err := s.afterUserCreated(ctx, tx, me, u); err != nil {
			return err
		}
		scope := audit.PlatformScope
		if v.RoomID != nil {
			scope = *v.RoomID
		}
		if err := s.record(ctx, tx, me, event{scope: scope, action: audit.ActionInvitationAccepted, targetType: "invitation", targetID: v.ID,
			meta: map[string]any{"email": v.Email, "role": v.Role, "user_id": u.ID, "party_id": deref(v.PartyID)}}); err != nil {
			return err
		}
		login, err := s.openSession(ctx, tx, u)
		if err != nil {
			return err
		}
		out = Accepted{Login: login, RoomID: deref(v.RoomID)}
		return nil
	})
	if err == nil {
		s.limiter.succeeded("link:"+hash, reqinfo.From(ctx).IP)
	}
	return out, err
}

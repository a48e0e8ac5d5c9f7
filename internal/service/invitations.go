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
// person choose a name and a password: the account is made, the invitation's party binds to
// it, and the person is signed in.
//
// SECURITY: a link is a credential for its e-mail: whoever follows it first becomes that
// e-mail's account. So it goes to the e-mail's inbox, and with e-mail off it is shown only
// to a platform admin, who is trusted to pass it on; a room manager who is not an admin gets
// the invitation made and is told that an admin must send it (Delivery), and the admins find
// it among the room invitations they see. Accepting binds every room's party waiting for the
// e-mail only when the link went to the inbox or to an admin (linkTrusted); otherwise only
// the invitation's own party.

// InvitationPath is the web page a link leads to; the token is in the query string, which
// the access log leaves out.
const InvitationPath = "/invitations/accept"

// Invitation is an invitation as the people who manage it see it. Delivery and Link are set
// only by the call that sent the link.
type Invitation struct {
	ID         string
	Email      string
	RoomID     string // "" for an invitation to the platform
	RoomTitle  string
	PartyID    string
	Role       string // the party's current room role, or the platform role given
	InvitedBy  string
	Status     string // authz.LinkPending, LinkAccepted, LinkRevoked or LinkExpired
	CreatedAt  time.Time
	SentAt     time.Time
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	RevokedAt  *time.Time
	Delivery   string // how the link went: DeliveryEmail, DeliveryLink or DeliveryAdmin
	Link       string // the link to pass on, with DeliveryLink only
}

// How an invitation's link went out (Invitation.Delivery): the one list (API enum).
const (
	DeliveryEmail = "email" // e-mailed to the invitee
	DeliveryLink  = "link"  // e-mail is off: shown to the caller, a platform admin, to pass on
	DeliveryAdmin = "admin" // e-mail is off and the caller is no admin: a platform admin must send it
)

// Deliveries lists the values of Invitation.Delivery.
func Deliveries() []string { return []string{DeliveryEmail, DeliveryLink, DeliveryAdmin} }

// linkOf is v's link; the invitation of a party removed from its room is withdrawn.
func linkOf(v store.Invitation) authz.Link {
	l := authz.Link{Kind: authz.InvitationLink, ExpiresAt: v.ExpiresAt, UsedAt: v.AcceptedAt, RevokedAt: v.RevokedAt}
	if l.RevokedAt == nil {
		l.RevokedAt = v.PartyRemovedAt
	}
	return l
}

func (s *Service) invitationOf(v store.Invitation) Invitation {
	return Invitation{ID: v.ID, Email: v.Email, RoomID: deref(v.RoomID), RoomTitle: v.RoomTitle, PartyID: deref(v.PartyID), Role: v.Role,
		InvitedBy: v.InvitedBy, Status: authz.LinkStatus(linkOf(v), s.now()), CreatedAt: v.CreatedAt, SentAt: v.SentAt, ExpiresAt: v.ExpiresAt,
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

// sendInvitation gives v a new link (a new invitation, or a re-send) and sends it, in tx:
// it queues the e-mail, or with e-mail off shows it to the caller if a platform admin, or
// else leaves it for an admin to send. The answer is the invitation as sent.
func (s *Service) sendInvitation(ctx context.Context, tx store.Q, actor Actor, v *store.Invitation, fresh bool) (Invitation, error) {
	_, hash, link, err := s.newLink(InvitationPath)
	if err != nil {
		return Invitation{}, err
	}
	delivery := DeliveryEmail
	var shownTo *string
	if !s.MailEnabled() {
		delivery = DeliveryAdmin
		// SECURITY: the link is a credential for the e-mail; only an admin may carry it.
		if actor.IsAdmin() {
			delivery, shownTo = DeliveryLink, &actor.UserID
		}
	}
	now := s.now()
	v.TokenHash, v.SentAt, v.ExpiresAt, v.LinkShownTo = hash, now, now.Add(authz.LinkTTL(authz.InvitationLink)), shownTo
	if fresh {
		err = tx.CreateInvitation(ctx, *v)
		if errors.Is(err, apperr.ErrConflict) && v.RoomID == nil { // another admin invited the e-mail meanwhile
			err = fmt.Errorf("%s is already invited; send the invitation again instead: %w", v.Email, apperr.ErrConflict)
		}
	} else {
		v.RevokedAt = nil
		err = tx.RenewInvitation(ctx, v.ID, hash, now, v.ExpiresAt, shownTo)
	}
	if err != nil {
		return Invitation{}, err
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
			return Invitation{}, err
		}
		v.RoomTitle = room.Title
		m.Room, m.Location, m.Role = room.Title, room.Location, authz.Role(v.Role).Label()
	}
	if err := s.queueMail(ctx, tx, "invitation", v.Email, m); err != nil {
		return Invitation{}, err
	}
	action := audit.ActionInvitationSent
	if !fresh {
		action = audit.ActionInvitationResent
	}
	if err := s.record(ctx, tx, actor, event{scope: scope, action: action, targetType: "invitation", targetID: v.ID,
		meta: map[string]any{"email": v.Email, "role": v.Role, "party_id": deref(v.PartyID), "expires_at": v.ExpiresAt.Format(time.RFC3339),
			"emailed": s.MailEnabled(), "delivery": delivery}}); err != nil {
		return Invitation{}, err
	}
	out := s.invitationOf(*v)
	out.Delivery = delivery
	if delivery == DeliveryLink {
		out.Link = link
	}
	return out, nil
}

// inviteParty invites the e-mail of p, a party just added whose e-mail has no account (the
// hook of AddParty), in its transaction.
func (s *Service) inviteParty(ctx context.Context, tx store.Q, actor Actor, p clearance.Party) (*Invitation, error) {
	roomID, partyID := p.RoomID, p.ID
	v := store.Invitation{ID: newID(), Email: p.Email, RoomID: &roomID, PartyID: &partyID, Role: p.Role, InvitedBy: actor.UserID, CreatedAt: s.now()}
	out, err := s.sendInvitation(ctx, tx, actor, &v, true)
	if err != nil {
		return nil, err
	}
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
		// One open invitation per e-mail (a unique index, for two admins at once): an
		// expired one is sent again, not made anew.
		if open, err := tx.OpenPlatformInvitation(ctx, email); err == nil {
			state := "already invited"
			if authz.LinkStatus(linkOf(open), s.now()) == authz.LinkExpired {
				state = "already invited (the link expired)"
			}
			return fmt.Errorf("%s is %s; send the invitation again instead: %w", email, state, apperr.ErrConflict)
		} else if !errors.Is(err, apperr.ErrNotFound) {
			return err
		}
		v := store.Invitation{ID: newID(), Email: email, Role: role, InvitedBy: actor.UserID, CreatedAt: s.now()}
		out, err = s.sendInvitation(ctx, tx, actor, &v, true)
		return err
	})
	return out, err
}

// authorizeInvitation reads invitation id of roomID for a caller who would manage it: for a
// room, one who may manage the parties and give the party's role (the grant ceiling); for
// "", an admin, and then any invitation, to the platform or to a room (with e-mail off the
// admins send the room invitations of managers who are not admins).
func (s *Service) authorizeInvitation(ctx context.Context, tx store.Q, actor Actor, roomID, id string) (store.Invitation, error) {
	if roomID == "" {
		// SECURITY: the admins' view of invitations is the admins' only.
		if !actor.IsAdmin() {
			return store.Invitation{}, fmt.Errorf("only admins manage platform invitations: %w", apperr.ErrForbidden)
		}
		v, err := tx.AnyInvitationByID(ctx, id)
		if err != nil || v.RoomID == nil {
			return v, err
		}
		room, err := tx.RoomByID(ctx, *v.RoomID) // locks the room, as a manager's change does
		if err != nil {
			return store.Invitation{}, err
		}
		// An archived or deleted room is read-only, for an admin too.
		if err := clearance.CheckRetention(recordOf(room), authz.ManageParties); err != nil {
			return store.Invitation{}, err
		}
		if _, err := tx.ActiveParty(ctx, *v.RoomID, deref(v.PartyID)); err != nil {
			return store.Invitation{}, partyGone(v, err)
		}
		return v, nil
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
	if err != nil {
		return store.Invitation{}, partyGone(v, err)
	}
	// SECURITY: the grant ceiling of the party the invitation is for.
	return v, permit(m, request{action: authz.ManageParties, party: &p})
}

// partyGone turns the party of v not being found into the conflict it is: the invitation
// closed when its party left the room.
func partyGone(v store.Invitation, err error) error {
	if errors.Is(err, apperr.ErrNotFound) {
		return fmt.Errorf("%s is no longer a party of this room, so its invitation is closed: %w", v.Email, apperr.ErrConflict)
	}
	return err
}

// ResendInvitation sends invitation id of roomID ("" for an admin: any invitation) again
// with a new link: the old link stops working, and a withdrawn invitation is open again. An
// e-mail that has an account meanwhile is not invited again.
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
		if _, err := tx.UserByEmail(ctx, v.Email); err == nil {
			return fmt.Errorf("%s already has an account, so its invitation is not sent again: %w", v.Email, apperr.ErrConflict)
		} else if !errors.Is(err, apperr.ErrNotFound) {
			return err
		}
		out, err = s.sendInvitation(ctx, tx, actor, &v, false)
		return err
	})
	return out, err
}

// RevokeInvitation withdraws invitation id of roomID ("" for an admin: any invitation): its
// link stops working. A room's party stays (remove it to end its place in the room).
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
		if v.RoomID != nil {
			scope = *v.RoomID
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
	return s.invitationsOf(list), err
}

// invitationsOf is invitationOf of each of a list.
func (s *Service) invitationsOf(list []store.Invitation) []Invitation {
	out := make([]Invitation, len(list))
	for i, v := range list {
		out[i] = s.invitationOf(v)
	}
	return out
}

// maxOpenRoomInvitations bounds the admins' list of room invitations.
const maxOpenRoomInvitations = 200

// ListOpenRoomInvitations returns the open invitations of every room (platform admins only),
// newest first, at most maxOpenRoomInvitations: with e-mail off, those whose link an admin
// must send (ResendInvitation with no room).
func (s *Service) ListOpenRoomInvitations(ctx context.Context, actor Actor) ([]Invitation, error) {
	// SECURITY: only admins see invitations across rooms; they are trusted with the links.
	if !actor.IsAdmin() {
		return nil, fmt.Errorf("only admins see the invitations of every room: %w", apperr.ErrForbidden)
	}
	list, err := s.db.Read().OpenRoomInvitations(ctx, maxOpenRoomInvitations)
	return s.invitationsOf(list), err
}

// InvitationPreview is what the page of an invitation link shows before it is accepted.
type InvitationPreview struct {
	Email     string
	Room      string // the room's title; "" for the platform
	Role      string // the room role in words, or the platform role
	InvitedBy string
	ExpiresAt time.Time
}

// refusedLink counts a refused use of a link's token (unknown, used, withdrawn, expired)
// from the caller's address, rate-limited like a sign-in (loginLimiter), and returns the
// refusal, or the limiter's answer once there were too many. Only refusals count: the holder
// of a good link who mistypes a password is never locked out.
func (s *Service) refusedLink(ctx context.Context, hash string, refusal error) error {
	if !errors.Is(refusal, apperr.ErrNotFound) {
		return refusal // not the link's fault (the database); nothing to count
	}
	if wait := s.limiter.attempt("link:"+hash, reqinfo.From(ctx).IP); wait > 0 {
		return &apperr.RateLimitedError{RetryAfter: wait}
	}
	return refusal
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
	if v.AcceptedAt == nil && v.RevokedAt == nil && v.PartyRemovedAt != nil {
		return store.Invitation{}, fmt.Errorf("this invitation was withdrawn: you are no longer a party of the room; ask the person who invited you: %w", apperr.ErrNotFound)
	}
	if err := authz.LinkUsable(linkOf(v), s.now()); err != nil {
		return store.Invitation{}, err
	}
	return v, nil
}

// PreviewInvitation says what the invitation of token is for, or why it cannot be used.
// Anyone holding the link may ask; attempts are rate limited.
func (s *Service) PreviewInvitation(ctx context.Context, token string) (InvitationPreview, error) {
	q := s.db.Read()
	v, err := s.usableInvitation(ctx, q, token)
	if err != nil {
		return InvitationPreview{}, s.refusedLink(ctx, secret.HashToken(token), err)
	}
	out := InvitationPreview{Email: v.Email, Role: v.Role, ExpiresAt: v.ExpiresAt, InvitedBy: "a platform admin"}
	if inviter, err := q.UserByID(ctx, v.InvitedBy); err == nil {
		out.InvitedBy = inviter.Name + " (" + inviter.Email + ")"
	}
	if v.RoomID != nil {
		out.Room, out.Role = v.RoomTitle, authz.Role(v.Role).Label()
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
// signs it in. The token is checked before any password work, and refused tokens are rate
// limited per address. The invitation's party binds to the account; so do the other rooms'
// parties waiting for the e-mail when the link was trusted (linkTrusted).
func (s *Service) AcceptInvitation(ctx context.Context, token, name, password string) (Accepted, error) {
	v, err := s.usableInvitation(ctx, s.db.Read(), token)
	if err != nil {
		return Accepted{}, s.refusedLink(ctx, secret.HashToken(token), err)
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
		trusted, err := s.linkTrusted(ctx, tx, v)
		if err != nil {
			return err
		}
		var bound []store.Party
		if trusted {
			bound, err = s.bindWaiting(ctx, tx, u)
		} else {
			// SECURITY: the link may have been seen by someone other than the e-mail's
			// owner: it proves no more than its own invitation.
			bound, err = tx.AcceptInvitation(ctx, v.ID, u.ID, now)
		}
		if err != nil {
			return err
		}
		if err := s.recordUserCreated(ctx, tx, me, u, bound); err != nil {
			return err
		}
		scope := audit.PlatformScope
		if v.RoomID != nil {
			scope = *v.RoomID
		}
		if err := s.record(ctx, tx, me, event{scope: scope, action: audit.ActionInvitationAccepted, targetType: "invitation", targetID: v.ID,
			meta: map[string]any{"email": v.Email, "role": v.Role, "user_id": u.ID, "party_id": deref(v.PartyID), "parties_bound": len(bound),
				"other_rooms_bound": trusted}}); err != nil {
			return err
		}
		login, err := s.openSession(ctx, tx, u)
		if err != nil {
			return err
		}
		out = Accepted{Login: login, RoomID: deref(v.RoomID)}
		return nil
	})
	return out, err
}

// linkTrusted says whether the current link of v can have reached only the e-mail's owner:
// it was e-mailed (shown to nobody), or shown to one who is a platform admin, trusted to
// pass it on. A link shown to anyone else (made before only admins were shown links) may
// be in other hands.
func (s *Service) linkTrusted(ctx context.Context, tx store.Q, v store.Invitation) (bool, error) {
	if v.LinkShownTo == nil {
		return true, nil
	}
	u, err := tx.UserByID(ctx, *v.LinkShownTo)
	if errors.Is(err, apperr.ErrNotFound) {
		return false, nil
	}
	return err == nil && u.Role == authz.PlatformAdmin, err
}

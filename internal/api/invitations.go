package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/service"
)

// linkDelivery is how an invitation's link went out (service.Deliveries).
type linkDelivery string

func (linkDelivery) Schema(huma.Registry) *huma.Schema { return enumSchema(service.Deliveries()) }

type invitationJSON struct {
	ID            string       `json:"id"`
	Email         string       `json:"email"`
	RoomID        string       `json:"room_id,omitempty" doc:"absent for an invitation to the platform"`
	RoomTitle     string       `json:"room_title,omitempty" doc:"the room's title, for a room invitation"`
	PartyID       string       `json:"party_id,omitempty" doc:"the room's party waiting for the account"`
	Role          string       `json:"role" doc:"the party's current room role, or the platform role given"`
	InvitedBy     string       `json:"invited_by" doc:"the inviter's user ID"`
	Status        linkStatus   `json:"status"`
	CreatedAt     time.Time    `json:"created_at"`
	SentAt        time.Time    `json:"sent_at"`
	ExpiresAt     time.Time    `json:"expires_at"`
	AcceptedAt    *time.Time   `json:"accepted_at,omitempty"`
	RevokedAt     *time.Time   `json:"revoked_at,omitempty"`
	Delivery      linkDelivery `json:"delivery,omitempty" doc:"only in the answer that sent the link: email (it was e-mailed); link (e-mail is off and you are a platform admin: invitation_url is the link, pass it on yourself); admin (e-mail is off and you are not a platform admin: the invitation is made, but only a platform admin may be given its link: ask one to send it from GET /invitations?kind=room)"`
	InvitationURL string       `json:"invitation_url,omitempty" doc:"the link, only with delivery link: in the answer that made it, to a platform admin, while the server sends no e-mail"`
}

func invitationOf(v service.Invitation) invitationJSON {
	return invitationJSON{ID: v.ID, Email: v.Email, RoomID: v.RoomID, RoomTitle: v.RoomTitle, PartyID: v.PartyID, Role: v.Role, InvitedBy: v.InvitedBy,
		Status: linkStatus(v.Status), CreatedAt: v.CreatedAt, SentAt: v.SentAt, ExpiresAt: v.ExpiresAt, AcceptedAt: v.AcceptedAt,
		RevokedAt: v.RevokedAt, Delivery: linkDelivery(v.Delivery), InvitationURL: v.Link}
}

type invitationOutput struct {
	Body invitationJSON
}

type invitationsOutput struct {
	Body list[invitationJSON]
}

type RoomInvitationPath struct {
	RoomPath
	InvitationID string `path:"invitation_id" maxLength:"64"`
}

type InvitationPath struct {
	InvitationID string `path:"invitation_id" maxLength:"64"`
}

type listInvitationsInput struct {
	Kind string `query:"kind" enum:"platform,room" default:"platform" doc:"platform: the invitations to the platform; room: the open invitations of every room (at most 200, newest first), whose links an admin sends when e-mail is off"`
}

type invitePlatformInput struct {
	Body struct {
		Email string       `json:"email" maxLength:"254"`
		Role  platformRole `json:"role,omitempty" default:"user"`
	}
}

type acceptInvitationInput struct {
	Body struct {
		Token    string `json:"token" maxLength:"100" doc:"the token of the invitation link"`
		Name     string `json:"name" maxLength:"200"`
		Password string `json:"password" maxLength:"256" doc:"at least 12 characters"`
	}
}

type acceptedOutput struct {
	Body struct {
		Token     string    `json:"token" doc:"send as Authorization: Bearer <token>"`
		ExpiresAt time.Time `json:"expires_at"`
		User      userJSON  `json:"user"`
		RoomID    string    `json:"room_id,omitempty" doc:"the room the invitation was for"`
	}
}

const linkRefusals = "404 with the reason in words for a link that is unknown, replaced, used, withdrawn or expired; " +
	"429 with Retry-After after repeated attempts."

func (h *Handlers) registerInvitations(a huma.API) {
	tags := []string{"invitations"}
	huma.Register(a, huma.Operation{OperationID: "accept-invitation", Method: http.MethodPost, Path: "/invitations/accept", Tags: tags,
		Summary: "Accept an invitation: make the account and sign in",
		Description: "The token is the one of the invitation link. The account gets the invited e-mail, the name and password " +
			"given; the invitation's party binds to it, and so does every other room's party waiting for the e-mail when the " +
			"link was e-mailed or given by a platform admin. " + linkRefusals},
		func(ctx context.Context, in *acceptInvitationInput) (*acceptedOutput, error) {
			acc, err := h.svc.AcceptInvitation(ctx, in.Body.Token, in.Body.Name, in.Body.Password)
			if err != nil {
				return nil, err
			}
			out := &acceptedOutput{}
			out.Body.Token, out.Body.ExpiresAt, out.Body.User, out.Body.RoomID = acc.Token, acc.ExpiresAt, userOf(acc.User), acc.RoomID
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-room-invitations", Method: http.MethodGet, Path: "/rooms/{room_id}/invitations", Tags: tags,
		Summary: "A room's invitations (those who manage its parties)", Security: authed},
		func(ctx context.Context, in *RoomPath) (*invitationsOutput, error) {
			list, err := h.svc.ListInvitations(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			return &invitationsOutput{Body: listOf(list, "", invitationOf)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "resend-room-invitation", Method: http.MethodPost, Path: "/rooms/{room_id}/invitations/{invitation_id}/resend",
		Tags: tags, Summary: "Send a room invitation again with a new link", Security: authed,
		Description: "The old link stops working; a withdrawn invitation is open again. 409 once accepted, or when the e-mail has " +
			"an account meanwhile. With e-mail off the link is given only to a platform admin (see delivery)."},
		func(ctx context.Context, in *RoomInvitationPath) (*invitationOutput, error) {
			v, err := h.svc.ResendInvitation(ctx, actorOf(ctx), in.RoomID, in.InvitationID)
			if err != nil {
				return nil, err
			}
			return &invitationOutput{Body: invitationOf(v)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "revoke-room-invitation", Method: http.MethodDelete, Path: "/rooms/{room_id}/invitations/{invitation_id}",
		Tags: tags, Summary: "Withdraw a room invitation: its link stops working", Security: authed, DefaultStatus: http.StatusNoContent,
		Description: "The party stays in the room until it is removed. 409 once accepted or already withdrawn."},
		func(ctx context.Context, in *RoomInvitationPath) (*struct{}, error) {
			return nil, h.svc.RevokeInvitation(ctx, actorOf(ctx), in.RoomID, in.InvitationID)
		})
	huma.Register(a, huma.Operation{OperationID: "list-invitations", Method: http.MethodGet, Path: "/invitations", Tags: tags,
		Summary: "Invitations to the platform, or every room's open invitations (admins)", Security: authed,
		Description: "The invitations /invitations/{invitation_id}/resend and DELETE /invitations/{invitation_id} act on: an " +
			"admin sends again (with e-mail off: is given the link of) a room invitation too."},
		func(ctx context.Context, in *listInvitationsInput) (*invitationsOutput, error) {
			list, err := h.svc.ListInvitations(ctx, actorOf(ctx), "")
			if in.Kind == "room" {
				list, err = h.svc.ListOpenRoomInvitations(ctx, actorOf(ctx))
			}
			if err != nil {
				return nil, err
			}
			return &invitationsOutput{Body: listOf(list, "", invitationOf)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "invite-user", Method: http.MethodPost, Path: "/invitations", Tags: tags,
		Summary: "Invite someone to the platform (admins)", Security: authed, DefaultStatus: http.StatusCreated,
		Description: "Sends an invitation link to an e-mail without an account; the person chooses name and password. " +
			"409 when the e-mail has an account or an open invitation."},
		func(ctx context.Context, in *invitePlatformInput) (*invitationOutput, error) {
			v, err := h.svc.InvitePlatform(ctx, actorOf(ctx), in.Body.Email, string(in.Body.Role))
			if err != nil {
				return nil, err
			}
			return &invitationOutput{Body: invitationOf(v)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "resend-invitation", Method: http.MethodPost, Path: "/invitations/{invitation_id}/resend",
		Tags: tags, Summary: "Send an invitation again with a new link (admins)", Security: authed,
		Description: "A platform invitation, or a room's (from GET /invitations?kind=room). The old link stops working. With " +
			"e-mail off the answer carries the link as invitation_url, for the admin to pass on. 409 once accepted, when the " +
			"e-mail has an account meanwhile, or when the party left its room."},
		func(ctx context.Context, in *InvitationPath) (*invitationOutput, error) {
			v, err := h.svc.ResendInvitation(ctx, actorOf(ctx), "", in.InvitationID)
			if err != nil {
				return nil, err
			}
			return &invitationOutput{Body: invitationOf(v)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "revoke-invitation", Method: http.MethodDelete, Path: "/invitations/{invitation_id}",
		Tags: tags, Summary: "Withdraw an invitation, to the platform or to a room (admins)", Security: authed, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *InvitationPath) (*struct{}, error) {
			return nil, h.svc.RevokeInvitation(ctx, actorOf(ctx), "", in.InvitationID)
		})
}

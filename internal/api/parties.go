package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/service"
)

type listPartiesInput struct {
	RoomPath
	IncludeRemoved bool `query:"include_removed" doc:"also list parties that were removed"`
}

type addPartyInput struct {
	RoomPath
	Body struct {
		Email     string   `json:"email" maxLength:"254"`
		Role      roomRole `json:"role"`
		Name      string   `json:"name,omitempty" maxLength:"200"`
		VesselIDs []string `json:"vessel_ids,omitempty" maxItems:"20" doc:"the vessels an owner or STS provider party acts for"`
	}
}

type PartyPath struct {
	RoomPath
	PartyID string `path:"party_id" maxLength:"64"`
}

type changePartyInput struct {
	PartyPath
	Body struct {
		Role      *roomRole `json:"role,omitempty"`
		VesselIDs *[]string `json:"vessel_ids,omitempty" maxItems:"20" doc:"replaces the vessels the party acts for"`
	}
}

type partyOutput struct {
	Body partyJSON
}

type addedPartyOutput struct {
	Body struct {
		partyJSON
		Invitation *invitationJSON `json:"invitation,omitempty" doc:"the invitation sent to an e-mail without an account"`
	}
}

type partiesOutput struct {
	Body list[partyJSON]
}

func (h *Handlers) registerParties(a huma.API) {
	tags := []string{"parties"}
	huma.Register(a, huma.Operation{OperationID: "list-parties", Method: http.MethodGet, Path: "/rooms/{room_id}/parties", Tags: tags,
		Summary: "A room's parties", Security: authed},
		func(ctx context.Context, in *listPartiesInput) (*partiesOutput, error) {
			ps, err := h.svc.ListParties(ctx, actorOf(ctx), in.RoomID, in.IncludeRemoved)
			if err != nil {
				return nil, err
			}
			return &partiesOutput{Body: listOf(ps, "", partyOf)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "add-party", Method: http.MethodPost, Path: "/rooms/{room_id}/parties", Tags: tags,
		Summary: "Invite a company by e-mail", Security: authed, DefaultStatus: http.StatusCreated,
		Description: "Binds to the account with that e-mail now, or when it is created. An e-mail without an account is " +
			"sent an invitation link (see /rooms/{room_id}/invitations). With e-mail off, invitation.delivery says who passes " +
			"the link on: a platform admin is given it as invitation.invitation_url; anyone else is not, and asks an admin to send it."},
		func(ctx context.Context, in *addPartyInput) (*addedPartyOutput, error) {
			p, inv, err := h.svc.AddPartyAndInvite(ctx, actorOf(ctx), in.RoomID, service.NewParty{Email: in.Body.Email, Role: string(in.Body.Role),
				Name: in.Body.Name, VesselIDs: in.Body.VesselIDs})
			if err != nil {
				return nil, err
			}
			out := &addedPartyOutput{}
			out.Body.partyJSON = partyOf(p)
			if inv != nil {
				j := invitationOf(*inv)
				out.Body.Invitation = &j
			}
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "change-party", Method: http.MethodPatch, Path: "/rooms/{room_id}/parties/{party_id}", Tags: tags,
		Summary: "Change a party's role or the vessels it acts for", Security: authed,
		Description: "A party manager gives only roles within its own powers, never changes its own role, and cannot " +
			"take the last accepted party manager's right away."},
		func(ctx context.Context, in *changePartyInput) (*partyOutput, error) {
			patch := service.PartyPatch{Role: (*string)(in.Body.Role), VesselIDs: in.Body.VesselIDs}
			p, err := h.svc.UpdateParty(ctx, actorOf(ctx), in.RoomID, in.PartyID, patch)
			if err != nil {
				return nil, err
			}
			return &partyOutput{Body: partyOf(p)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "remove-party", Method: http.MethodDelete, Path: "/rooms/{room_id}/parties/{party_id}", Tags: tags,
		Summary: "Remove a party: its access ends at once", Security: authed, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *PartyPath) (*struct{}, error) {
			return nil, h.svc.RemoveParty(ctx, actorOf(ctx), in.RoomID, in.PartyID)
		})
}

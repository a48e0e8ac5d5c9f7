package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/clearance"
)

// vesselFields are the particulars accepted on create, and the parties that act for the
// vessel; every one but name, imo and role is optional. (huma does not flatten an embedded
// unexported struct into a body schema, so party_ids lives here rather than beside it.)
type vesselFields struct {
	Name               string     `json:"name" maxLength:"200"`
	IMO                string     `json:"imo" maxLength:"20" doc:"IMO ship number, 7 digits with a valid check digit; an 'IMO' prefix is accepted"`
	Role               vesselRole `json:"role"`
	Flag               string     `json:"flag,omitempty" maxLength:"200"`
	MMSI               string     `json:"mmsi,omitempty" maxLength:"20" doc:"9 digits starting with a MID 201-775"`
	CallSign           string     `json:"call_sign,omitempty" maxLength:"16"`
	VesselType         string     `json:"vessel_type,omitempty" maxLength:"200"`
	DWT                *int       `json:"dwt,omitempty"`
	LOA                *float64   `json:"loa,omitempty" doc:"metres"`
	Beam               *float64   `json:"beam,omitempty" doc:"metres"`
	BuiltYear          *int       `json:"built_year,omitempty"`
	ClassSociety       string     `json:"class_society,omitempty" maxLength:"200"`
	PIClub             string     `json:"pi_club,omitempty" maxLength:"200"`
	RegisteredOwner    string     `json:"registered_owner,omitempty" maxLength:"200"`
	RegisteredOwnerIMO string     `json:"registered_owner_imo,omitempty" maxLength:"20" doc:"the registered owner's IMO company number: 7 digits with a valid check digit by the company rule (not the ship rule); an 'IMO' prefix is accepted"`
	DOCCompany         string     `json:"doc_company,omitempty" maxLength:"200"`
	DOCCompanyIMO      string     `json:"doc_company_imo,omitempty" maxLength:"20" doc:"the DOC company's IMO company number: 7 digits with a valid check digit by the company rule (not the ship rule); an 'IMO' prefix is accepted"`
	PartyIDs           []string   `json:"party_ids,omitempty" maxItems:"20" doc:"owner or STS provider parties that act for the vessel; an owner adding a vessel is bound to it anyway"`
}

// vesselPatch holds the particulars to change; absent ones stay as they are.
type vesselPatch struct {
	Name               *string     `json:"name,omitempty" maxLength:"200"`
	IMO                *string     `json:"imo,omitempty" maxLength:"20"`
	Role               *vesselRole `json:"role,omitempty"`
	Flag               *string     `json:"flag,omitempty" maxLength:"200"`
	MMSI               *string     `json:"mmsi,omitempty" maxLength:"20"`
	CallSign           *string     `json:"call_sign,omitempty" maxLength:"16"`
	VesselType         *string     `json:"vessel_type,omitempty" maxLength:"200"`
	DWT                *int        `json:"dwt,omitempty"`
	LOA                *float64    `json:"loa,omitempty"`
	Beam               *float64    `json:"beam,omitempty"`
	BuiltYear          *int        `json:"built_year,omitempty"`
	ClassSociety       *string     `json:"class_society,omitempty" maxLength:"200"`
	PIClub             *string     `json:"pi_club,omitempty" maxLength:"200"`
	RegisteredOwner    *string     `json:"registered_owner,omitempty" maxLength:"200"`
	RegisteredOwnerIMO *string     `json:"registered_owner_imo,omitempty" maxLength:"20" doc:"IMO company number (company rule); empty clears it"`
	DOCCompany         *string     `json:"doc_company,omitempty" maxLength:"200"`
	DOCCompanyIMO      *string     `json:"doc_company_imo,omitempty" maxLength:"20" doc:"IMO company number (company rule); empty clears it"`
}

func (f vesselFields) particulars() clearance.VesselParticulars {
	return clearance.VesselParticulars{Name: f.Name, IMO: f.IMO, Role: clearance.VesselRole(f.Role), Flag: f.Flag,
		MMSI: f.MMSI, CallSign: f.CallSign, VesselType: f.VesselType, DWT: f.DWT, LOA: f.LOA, Beam: f.Beam,
		BuiltYear: f.BuiltYear, ClassSociety: f.ClassSociety, PIClub: f.PIClub, RegisteredOwner: f.RegisteredOwner,
		RegisteredOwnerIMO: f.RegisteredOwnerIMO, DOCCompany: f.DOCCompany, DOCCompanyIMO: f.DOCCompanyIMO}
}

func (p vesselPatch) apply(v *clearance.VesselParticulars) {
	setIf(&v.Name, p.Name)
	setIf(&v.IMO, p.IMO)
	if p.Role != nil {
		v.Role = clearance.VesselRole(*p.Role)
	}
	setIf(&v.Flag, p.Flag)
	setIf(&v.MMSI, p.MMSI)
	setIf(&v.CallSign, p.CallSign)
	setIf(&v.VesselType, p.VesselType)
	setIf(&v.ClassSociety, p.ClassSociety)
	setIf(&v.PIClub, p.PIClub)
	setIf(&v.RegisteredOwner, p.RegisteredOwner)
	setIf(&v.RegisteredOwnerIMO, p.RegisteredOwnerIMO)
	setIf(&v.DOCCompany, p.DOCCompany)
	setIf(&v.DOCCompanyIMO, p.DOCCompanyIMO)
	if p.DWT != nil {
		v.DWT = p.DWT
	}
	if p.LOA != nil {
		v.LOA = p.LOA
	}
	if p.Beam != nil {
		v.Beam = p.Beam
	}
	if p.BuiltYear != nil {
		v.BuiltYear = p.BuiltYear
	}
}

type addVesselInput struct {
	RoomPath
	Body vesselFields
}

type VesselPath struct {
	RoomPath
	VesselID string `path:"vessel_id" maxLength:"64"`
}

type updateVesselInput struct {
	VesselPath
	Body vesselPatch
}

type vesselOutput struct {
	Body vesselJSON
}

type vesselsOutput struct {
	Body list[vesselJSON]
}

func (h *Handlers) registerVessels(a huma.API) {
	tags := []string{"vessels"}
	huma.Register(a, huma.Operation{OperationID: "list-vessels", Method: http.MethodGet, Path: "/rooms/{room_id}/vessels", Tags: tags,
		Summary: "A room's vessels", Security: authed},
		func(ctx context.Context, in *RoomPath) (*vesselsOutput, error) {
			vs, err := h.svc.ListVessels(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			return &vesselsOutput{Body: listOf(vs, "", vesselOf)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "add-vessel", Method: http.MethodPost, Path: "/rooms/{room_id}/vessels", Tags: tags,
		Summary: "Add a vessel; a wrong IMO check digit is a 422 naming imo", Security: authed, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *addVesselInput) (*vesselOutput, error) {
			v, err := h.svc.AddVessel(ctx, actorOf(ctx), in.RoomID, in.Body.particulars(), in.Body.PartyIDs...)
			if err != nil {
				return nil, err
			}
			return &vesselOutput{Body: vesselOf(v)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-vessel", Method: http.MethodGet, Path: "/rooms/{room_id}/vessels/{vessel_id}", Tags: tags,
		Summary: "One vessel", Security: authed},
		func(ctx context.Context, in *VesselPath) (*vesselOutput, error) {
			v, err := h.svc.GetVessel(ctx, actorOf(ctx), in.RoomID, in.VesselID)
			if err != nil {
				return nil, err
			}
			return &vesselOutput{Body: vesselOf(v)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "update-vessel", Method: http.MethodPatch, Path: "/rooms/{room_id}/vessels/{vessel_id}", Tags: tags,
		Summary: "Change a vessel's particulars", Security: authed},
		func(ctx context.Context, in *updateVesselInput) (*vesselOutput, error) {
			v, err := h.svc.UpdateVessel(ctx, actorOf(ctx), in.RoomID, in.VesselID, in.Body.apply)
			if err != nil {
				return nil, err
			}
			return &vesselOutput{Body: vesselOf(v)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "remove-vessel", Method: http.MethodDelete, Path: "/rooms/{room_id}/vessels/{vessel_id}", Tags: tags,
		Summary: "Remove a vessel from a room", Security: authed, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *VesselPath) (*struct{}, error) {
			return nil, h.svc.RemoveVessel(ctx, actorOf(ctx), in.RoomID, in.VesselID)
		})
}

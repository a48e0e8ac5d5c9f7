package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/clearance"
)

type coastalAreaJSON struct {
	Code          string       `json:"code"`
	Name          string       `json:"name"`
	Country       string       `json:"country"`
	Regime        noticeRegime `json:"regime" doc:"notice: a notice lead_hours before the ETA; permission: written permission of the authority; none: nothing asked"`
	LeadHours     int          `json:"lead_hours" doc:"how long before the ETA a notice must be given"`
	RenoticeHours int          `json:"renotice_hours" doc:"how far the ETA may move after the latest notice or permission before a new one is needed"`
	CargoClasses  []cargoClass `json:"cargo_classes" doc:"the operations the rule applies to; empty for every one"`
	Source        string       `json:"source" doc:"where the entry comes from"`
	Verified      bool         `json:"verified" doc:"false: not confirmed against its source; to be checked before it is relied on"`
	Active        bool         `json:"active"`
	UpdatedAt     time.Time    `json:"updated_at"`
}

func coastalAreaOf(a clearance.CoastalArea) coastalAreaJSON {
	classes := make([]cargoClass, len(a.CargoClasses))
	for i, c := range a.CargoClasses {
		classes[i] = cargoClass(c)
	}
	return coastalAreaJSON{Code: a.Code, Name: a.Name, Country: a.Country, Regime: noticeRegime(a.Regime), LeadHours: a.LeadHours,
		RenoticeHours: a.RenoticeHours, CargoClasses: classes, Source: a.Source, Verified: a.Verified, Active: a.Active, UpdatedAt: a.UpdatedAt}
}

// CoastalAreaFields are the fields of a coastal-state entry that an admin sets (exported:
// huma reads an embedded struct's fields into the body only when it is).
type CoastalAreaFields struct {
	Name          *string       `json:"name,omitempty" maxLength:"200"`
	Country       *string       `json:"country,omitempty" maxLength:"200"`
	Regime        *noticeRegime `json:"regime,omitempty"`
	LeadHours     *int          `json:"lead_hours,omitempty" minimum:"0" maximum:"720"`
	RenoticeHours *int          `json:"renotice_hours,omitempty" minimum:"0" maximum:"720"`
	CargoClasses  *[]cargoClass `json:"cargo_classes,omitempty" maxItems:"3"`
	Source        *string       `json:"source,omitempty" maxLength:"2000"`
	Verified      *bool         `json:"verified,omitempty"`
	Active        *bool         `json:"active,omitempty"`
}

// apply sets the given fields on a.
func (f CoastalAreaFields) apply(a *clearance.CoastalArea) {
	setIf(&a.Name, f.Name)
	setIf(&a.Country, f.Country)
	if f.Regime != nil {
		a.Regime = clearance.NoticeRegime(*f.Regime)
	}
	setIf(&a.LeadHours, f.LeadHours)
	setIf(&a.RenoticeHours, f.RenoticeHours)
	if f.CargoClasses != nil {
		a.CargoClasses = make([]clearance.CargoClass, len(*f.CargoClasses))
		for i, c := range *f.CargoClasses {
			a.CargoClasses[i] = clearance.CargoClass(c)
		}
	}
	setIf(&a.Source, f.Source)
	setIf(&a.Verified, f.Verified)
	setIf(&a.Active, f.Active)
}

type createCoastalAreaInput struct {
	Body struct {
		Code string `json:"code" maxLength:"32" doc:"capital letters, digits, _ and -; fixed once created"`
		CoastalAreaFields
	}
}

type updateCoastalAreaInput struct {
	Code string `path:"code" maxLength:"32"`
	Body CoastalAreaFields
}

type listCoastalAreasInput struct {
	All bool `query:"all" doc:"include inactive entries"`
}

type coastalAreaOutput struct {
	Body coastalAreaJSON
}

type coastalAreasOutput struct {
	Body list[coastalAreaJSON]
}

func (h *Handlers) registerCoastalAreas(a huma.API) {
	tags := []string{"coastal states"}
	huma.Register(a, huma.Operation{OperationID: "list-coastal-areas", Method: http.MethodGet, Path: "/coastal-areas", Tags: tags,
		Summary: "The coastal-state table: what each state or STS area asks before an operation in its waters", Security: authed,
		Description: "Seeded from the domain reference; entries marked verified=false were not confirmed against their source and should be checked by an admin before they are relied on."},
		func(ctx context.Context, in *listCoastalAreasInput) (*coastalAreasOutput, error) {
			areas, err := h.svc.ListCoastalAreas(ctx, actorOf(ctx), in.All)
			if err != nil {
				return nil, err
			}
			return &coastalAreasOutput{Body: listOf(areas, "", coastalAreaOf)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "create-coastal-area", Method: http.MethodPost, Path: "/coastal-areas", Tags: tags,
		Summary: "Add a coastal state or area (admins)", Security: authed, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createCoastalAreaInput) (*coastalAreaOutput, error) {
			area := clearance.CoastalArea{Code: in.Body.Code, Regime: clearance.RegimeNotice, LeadHours: clearance.DefaultLeadHours,
				RenoticeHours: clearance.DefaultRenoticeHours, CargoClasses: []clearance.CargoClass{}, Active: true}
			in.Body.apply(&area)
			area, err := h.svc.CreateCoastalArea(ctx, actorOf(ctx), area)
			if err != nil {
				return nil, err
			}
			return &coastalAreaOutput{Body: coastalAreaOf(area)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "update-coastal-area", Method: http.MethodPatch, Path: "/coastal-areas/{code}", Tags: tags,
		Summary: "Change a coastal state or area (admins); its code is fixed", Security: authed},
		func(ctx context.Context, in *updateCoastalAreaInput) (*coastalAreaOutput, error) {
			area, err := h.svc.UpdateCoastalArea(ctx, actorOf(ctx), in.Code, in.Body.apply)
			if err != nil {
				return nil, err
			}
			return &coastalAreaOutput{Body: coastalAreaOf(area)}, nil
		})
}

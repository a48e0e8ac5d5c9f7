package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
)

type listTypesInput struct {
	All bool `query:"all" doc:"include inactive types"`
}

type docTypeInput struct {
	Code              string         `json:"code" maxLength:"32"`
	Name              string         `json:"name" maxLength:"200"`
	Description       string         `json:"description,omitempty" maxLength:"2000"`
	Category          string         `json:"category,omitempty" maxLength:"100"`
	SuppliedBy        supplierRole   `json:"supplied_by"`
	Scope             docScope       `json:"scope"`
	Criticality       criticality    `json:"criticality"`
	Expiry            expiryKind     `json:"expiry"`
	ExpiryTime        string         `json:"expiry_time,omitempty" maxLength:"5" doc:"for expires types: the time of day HH:MM its documents stop being valid on their expiry date (12:00 for the P&I year); empty: at the end of that day, UTC"`
	ExpiryZone        string         `json:"expiry_zone,omitempty" maxLength:"64" doc:"the IANA time zone of expiry_time (GMT, Europe/London); default UTC; only with expiry_time"`
	MaxAgeDays        int            `json:"max_age_days,omitempty" minimum:"0" maximum:"3650"`
	RequiredByDefault bool           `json:"required_by_default,omitempty"`
	Active            *bool          `json:"active,omitempty" doc:"default true"`
	AlsoSuppliedBy    []supplierRole `json:"also_supplied_by,omitempty" maxItems:"10" doc:"further roles that supply it themselves"`
	OnBehalf          bool           `json:"on_behalf,omitempty" doc:"the broker and the charterer may upload it on its supplier's behalf"`
	VisibleTo         []roomRole     `json:"visible_to,omitempty" maxItems:"10" doc:"roles that see every document of the type (default every role); its suppliers always see what they supply, a vessel's owner only its own vessel's"`
	CargoClasses      []cargoClass   `json:"cargo_classes,omitempty" maxItems:"10" doc:"the cargo classes of the operations the type is asked for in; none: every class"`
}

type createTypeInput struct {
	Body docTypeInput
}

type updateTypeInput struct {
	Code string `path:"code" maxLength:"32"`
	Body struct {
		Name              *string         `json:"name,omitempty" maxLength:"200"`
		Description       *string         `json:"description,omitempty" maxLength:"2000"`
		Category          *string         `json:"category,omitempty" maxLength:"100"`
		SuppliedBy        *supplierRole   `json:"supplied_by,omitempty"`
		Criticality       *criticality    `json:"criticality,omitempty"`
		Expiry            *expiryKind     `json:"expiry,omitempty"`
		ExpiryTime        *string         `json:"expiry_time,omitempty" maxLength:"5" doc:"HH:MM, as on create; \"\" for the end of the day"`
		ExpiryZone        *string         `json:"expiry_zone,omitempty" maxLength:"64" doc:"as on create; \"\" with no expiry_time"`
		MaxAgeDays        *int            `json:"max_age_days,omitempty" minimum:"0" maximum:"3650"`
		RequiredByDefault *bool           `json:"required_by_default,omitempty"`
		Active            *bool           `json:"active,omitempty"`
		AlsoSuppliedBy    *[]supplierRole `json:"also_supplied_by,omitempty" maxItems:"10"`
		OnBehalf          *bool           `json:"on_behalf,omitempty"`
		VisibleTo         *[]roomRole     `json:"visible_to,omitempty" maxItems:"10"`
		CargoClasses      *[]cargoClass   `json:"cargo_classes,omitempty" maxItems:"10" doc:"as on create; [] for every class"`
	}
}

type docTypeOutput struct {
	Body clearance.DocumentType
}

type docTypesOutput struct {
	Body list[clearance.DocumentType]
}

func (h *Handlers) registerCatalogue(a huma.API) {
	tags := []string{"catalogue"}
	huma.Register(a, huma.Operation{OperationID: "list-document-types", Method: http.MethodGet, Path: "/document-types", Tags: tags,
		Summary: "The document catalogue", Security: authed, Description: catalogueDescription()},
		func(ctx context.Context, in *listTypesInput) (*docTypesOutput, error) {
			types, err := h.svc.ListDocumentTypes(ctx, actorOf(ctx), in.All)
			if err != nil {
				return nil, err
			}
			return &docTypesOutput{Body: listOf(types, "", func(t clearance.DocumentType) clearance.DocumentType { return t })}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "create-document-type", Method: http.MethodPost, Path: "/document-types", Tags: tags,
		Summary: "Add a document type (admins)", Security: authed, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createTypeInput) (*docTypeOutput, error) {
			b := in.Body
			t := clearance.DocumentType{Code: b.Code, Name: b.Name, Description: b.Description, Category: b.Category,
				SuppliedBy: string(b.SuppliedBy), Scope: clearance.DocScope(b.Scope), Criticality: clearance.Criticality(b.Criticality),
				Expiry: clearance.ExpiryKind(b.Expiry), ExpiryTime: b.ExpiryTime, ExpiryZone: b.ExpiryZone, MaxAgeDays: b.MaxAgeDays,
				RequiredByDefault: b.RequiredByDefault, Active: b.Active == nil || *b.Active, AlsoSuppliedBy: rolesOf(b.AlsoSuppliedBy),
				OnBehalf: b.OnBehalf, CargoClasses: namesOf[clearance.CargoClass](b.CargoClasses)}
			if b.VisibleTo != nil {
				t.VisibleTo = rolesOf(b.VisibleTo)
			}
			t, err := h.svc.CreateDocumentType(ctx, actorOf(ctx), t)
			if err != nil {
				return nil, err
			}
			return &docTypeOutput{Body: t}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "update-document-type", Method: http.MethodPatch, Path: "/document-types/{code}", Tags: tags,
		Summary: "Change a document type (admins); its code and scope are fixed", Security: authed},
		func(ctx context.Context, in *updateTypeInput) (*docTypeOutput, error) {
			b := in.Body
			t, err := h.svc.UpdateDocumentType(ctx, actorOf(ctx), in.Code, func(t *clearance.DocumentType) {
				setIf(&t.Name, b.Name)
				setIf(&t.Description, b.Description)
				setIf(&t.Category, b.Category)
				setIf(&t.SuppliedBy, (*string)(b.SuppliedBy))
				if b.Criticality != nil {
					t.Criticality = clearance.Criticality(*b.Criticality)
				}
				if b.Expiry != nil {
					t.Expiry = clearance.ExpiryKind(*b.Expiry)
				}
				setIf(&t.ExpiryTime, b.ExpiryTime)
				setIf(&t.ExpiryZone, b.ExpiryZone)
				if b.MaxAgeDays != nil {
					t.MaxAgeDays = *b.MaxAgeDays
				}
				if b.RequiredByDefault != nil {
					t.RequiredByDefault = *b.RequiredByDefault
				}
				if b.Active != nil {
					t.Active = *b.Active
				}
				if b.AlsoSuppliedBy != nil {
					t.AlsoSuppliedBy = rolesOf(*b.AlsoSuppliedBy)
				}
				if b.OnBehalf != nil {
					t.OnBehalf = *b.OnBehalf
				}
				if b.VisibleTo != nil {
					t.VisibleTo = rolesOf(*b.VisibleTo)
				}
				if b.CargoClasses != nil {
					t.CargoClasses = namesOf[clearance.CargoClass](*b.CargoClasses)
				}
			})
			if err != nil {
				return nil, err
			}
			return &docTypeOutput{Body: t}, nil
		})
}

// setIf copies *src into *dst when src is given.
func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// rolesOf converts the API's role names to room roles (their enum schemas checked them).
func rolesOf[R ~string](in []R) []authz.Role { return namesOf[authz.Role](in) }

// namesOf converts the API's names of a closed list to the domain's type (their enum
// schemas checked them; the domain checks them again).
func namesOf[T, R ~string](in []R) []T {
	out := make([]T, len(in))
	for i, r := range in {
		out[i] = T(r)
	}
	return out
}

// catalogueDescription says, from the seed catalogue itself, who supplies each type and who
// sees it by default: the API's statement of the default visibility of every type.
func catalogueDescription() string {
	var b strings.Builder
	b.WriteString("Each type names who supplies it (`supplied_by`, `also_supplied_by`; the broker and the charterer upload on " +
		"the supplier's behalf only where `on_behalf` is true) and who sees its documents (`visible_to`; a supplier always sees " +
		"what it supplies, an owner only its own vessel's). A document a party may not see is absent from everything it reads.\n\n" +
		"A dated type may end its documents' validity at a time of day on their expiry date (`expiry_time` in `expiry_zone`: " +
		"the P&I year ends at 12:00 GMT); otherwise they are valid through that day (UTC). `cargo_classes` names the cargo " +
		"classes of the operations a type is asked for in (none: every class).\n\n" +
		"Defaults of the seed catalogue:\n\n| type | supplied by | on behalf | seen by | valid until | cargo classes |\n|---|---|---|---|---|---|\n")
	for _, t := range clearance.DefaultCatalogue() {
		seen := "every party"
		if len(t.VisibleTo) < len(authz.Roles()) {
			seen = joinRoles(t.VisibleTo) + ", and the supplier"
		}
		onBehalf := "no"
		if t.OnBehalf {
			onBehalf = "yes"
		}
		ends := "—"
		switch {
		case t.Expiry == clearance.ExpiryDate && t.ExpiryTime != "":
			ends = t.ExpiryTime + " " + t.ExpiryZone + " on the expiry date"
		case t.Expiry == clearance.ExpiryDate:
			ends = "end of the expiry date"
		}
		classes := "every class"
		if len(t.CargoClasses) > 0 {
			classes = joinRoles(t.CargoClasses)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", t.Code, joinRoles(t.Suppliers()), onBehalf, seen, ends, classes)
	}
	return b.String()
}

// joinRoles writes a list of names (roles, cargo classes) for the description.
func joinRoles[T ~string](list []T) string {
	return strings.Join(namesOf[string](list), ", ")
}

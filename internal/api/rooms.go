package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

type createRoomInput struct {
	Body struct {
		Title         string      `json:"title" maxLength:"200"`
		Location      string      `json:"location" maxLength:"200"`
		STSETA        time.Time   `json:"sts_eta" doc:"expected time of the operation (RFC 3339)"`
		Description   string      `json:"description,omitempty" maxLength:"5000"`
		CargoType     string      `json:"cargo_type,omitempty" maxLength:"100"`
		CargoQuantity *float64    `json:"cargo_quantity,omitempty" doc:"tonnes"`
		Role          creatorRole `json:"role,omitempty" default:"broker" doc:"the creator's role in the room"`
		RoomWindowFields
	}
}

type updateRoomInput struct {
	RoomPath
	Body struct {
		Title         *string    `json:"title,omitempty" maxLength:"200"`
		Location      *string    `json:"location,omitempty" maxLength:"200"`
		STSETA        *time.Time `json:"sts_eta,omitempty"`
		Description   *string    `json:"description,omitempty" maxLength:"5000"`
		CargoType     *string    `json:"cargo_type,omitempty" maxLength:"100"`
		CargoQuantity *float64   `json:"cargo_quantity,omitempty"`
		RoomWindowFields
	}
}

// RoomWindowFields are the fields of a room's operation that create and update share.
type RoomWindowFields struct {
	CargoClass    *cargoClass `json:"cargo_class,omitempty" doc:"oil (the default), chemical or gas: decides which documents and rules apply"`
	STSEnd        *time.Time  `json:"sts_end,omitempty" doc:"expected end of the operation (RFC 3339); certificates must be valid through it"`
	DurationHours *float64    `json:"duration_hours,omitempty" doc:"or the operation's length in hours (1 to 1440; 48 unless stated); moving the ETA keeps the length"`
	CoastalArea   *string     `json:"coastal_area,omitempty" maxLength:"32" doc:"code of the coastal state or area (GET /coastal-areas) whose notice rule applies; empty for none named"`
}

type adminAccessInput struct {
	RoomPath
	Body struct {
		Reason string `json:"reason" maxLength:"1000" doc:"why an admin needs to see this room; recorded in both trails"`
	}
}

type listRoomsInput struct {
	PageQuery
	Archived bool `query:"archived" doc:"true lists only the archived rooms; by default they are left out"`
}

type roomOutput struct {
	Body roomJSON
}

type roomsOutput struct {
	Body list[roomJSON]
}

type permissionsOutput struct {
	Body permissionsJSON
}

func (h *Handlers) registerRooms(a huma.API) {
	tags := []string{"rooms"}
	huma.Register(a, huma.Operation{OperationID: "create-room", Method: http.MethodPost, Path: "/rooms", Tags: tags,
		Summary: "Open a room; the caller becomes its first party", Security: authed, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createRoomInput) (*roomOutput, error) {
			b := in.Body
			v, err := h.svc.CreateRoom(ctx, actorOf(ctx), service.NewRoom{Role: string(b.Role), RoomFields: clearance.RoomFields{
				Title: b.Title, Location: b.Location, STSETA: b.STSETA, Description: b.Description,
				CargoType: b.CargoType, CargoQuantity: b.CargoQuantity, CargoClass: clearance.CargoClass(deref(b.CargoClass)),
				CoastalArea: deref(b.CoastalArea)}, End: b.STSEnd, DurationHours: b.DurationHours})
			if err != nil {
				return nil, err
			}
			return &roomOutput{Body: roomOf(v)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-rooms", Method: http.MethodGet, Path: "/rooms", Tags: tags,
		Summary: "The rooms the caller is a party of, newest first (archived ones with ?archived=true)", Security: authed},
		func(ctx context.Context, in *listRoomsInput) (*roomsOutput, error) {
			list := h.svc.ListRooms
			if in.Archived {
				list = h.svc.ListArchivedRooms
			}
			rooms, next, err := list(ctx, actorOf(ctx), in.request())
			if err != nil {
				return nil, err
			}
			return &roomsOutput{Body: listOf(rooms, next, roomOf)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-room", Method: http.MethodGet, Path: "/rooms/{room_id}", Tags: tags,
		Summary: "One room (404 unless the caller is a party)", Security: authed},
		func(ctx context.Context, in *RoomPath) (*roomOutput, error) {
			v, err := h.svc.GetRoom(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			return &roomOutput{Body: roomOf(v)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "update-room", Method: http.MethodPatch, Path: "/rooms/{room_id}", Tags: tags,
		Summary: "Change a room's details", Security: authed},
		func(ctx context.Context, in *updateRoomInput) (*roomOutput, error) {
			b := in.Body
			v, err := h.svc.UpdateRoom(ctx, actorOf(ctx), in.RoomID, service.RoomPatch{Title: b.Title, Location: b.Location,
				STSETA: b.STSETA, Description: b.Description, CargoType: b.CargoType, CargoQuantity: b.CargoQuantity,
				CargoClass: (*string)(b.CargoClass), CoastalArea: b.CoastalArea, End: b.STSEnd, DurationHours: b.DurationHours})
			if err != nil {
				return nil, err
			}
			return &roomOutput{Body: roomOf(v)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "delete-room", Method: http.MethodDelete, Path: "/rooms/{room_id}", Tags: tags,
		Summary: "Close a draft room for everyone (its records are kept); 409 once it has left draft: archive it instead", Security: authed, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *RoomPath) (*struct{}, error) {
			return nil, h.svc.DeleteRoom(ctx, actorOf(ctx), in.RoomID)
		})
	huma.Register(a, huma.Operation{OperationID: "room-permissions", Method: http.MethodGet, Path: "/rooms/{room_id}/permissions", Tags: tags,
		Summary: "What the caller may do in this room", Security: authed},
		func(ctx context.Context, in *RoomPath) (*permissionsOutput, error) {
			p, err := h.svc.RoomPermissions(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			actions := p.Actions
			if actions == nil {
				actions = []authz.Action{}
			}
			return &permissionsOutput{Body: permissionsJSON{RoomID: p.RoomID, Role: p.Role, Actions: actions}}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "admin-room-access", Method: http.MethodPost, Path: "/rooms/{room_id}/admin-access", Tags: tags,
		Summary: "A platform admin joins a room as a viewer, with a recorded reason", Security: authed, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *adminAccessInput) (*partyOutput, error) {
			p, err := h.svc.AdminAccess(ctx, actorOf(ctx), in.RoomID, in.Body.Reason)
			if err != nil {
				return nil, err
			}
			return &partyOutput{Body: partyOf(p)}, nil
		})
}

// deref is the value p points to, or T's zero value for nil (a field left out).
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// Records stay: archiving a finished room, and the platform admins' list of the rooms that
// are kept only for the record.

type keptRoomsInput struct {
	PageQuery
	State keptState `query:"state" required:"true" doc:"archived rooms, or deleted (draft) rooms"`
}

func (h *Handlers) registerRecords(a huma.API) {
	tags := []string{"rooms"}
	huma.Register(a, huma.Operation{OperationID: "archive-room", Method: http.MethodPost, Path: "/rooms/{room_id}/archive", Tags: tags,
		Summary: "Archive a completed or cancelled room: read-only and out of the default list, every record kept", Security: authed},
		func(ctx context.Context, in *RoomPath) (*roomOutput, error) {
			v, err := h.svc.ArchiveRoom(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			return &roomOutput{Body: roomOf(v)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "unarchive-room", Method: http.MethodPost, Path: "/rooms/{room_id}/unarchive", Tags: tags,
		Summary: "Take a room out of the archive", Security: authed},
		func(ctx context.Context, in *RoomPath) (*roomOutput, error) {
			v, err := h.svc.UnarchiveRoom(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			return &roomOutput{Body: roomOf(v)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-kept-rooms", Method: http.MethodGet, Path: "/admin/rooms", Tags: []string{"admin"},
		Summary: "Archived or deleted rooms, newest first (admins; their contents through admin access)", Security: authed},
		func(ctx context.Context, in *keptRoomsInput) (*roomsOutput, error) {
			rooms, next, err := h.svc.ListKeptRooms(ctx, actorOf(ctx), string(in.State), in.request())
			if err != nil {
				return nil, err
			}
			return &roomsOutput{Body: listOf(rooms, next, roomOf)}, nil
		})
}

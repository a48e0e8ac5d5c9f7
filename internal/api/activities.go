package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/service"
)

type listActivitiesInput struct {
	RoomPath
	PageQuery
	Action  string `query:"action" maxLength:"64" doc:"only this action, e.g. party_added"`
	ActorID string `query:"actor_id" maxLength:"64" doc:"only entries by this user ID"`
}

type activitiesOutput struct {
	Body list[activityJSON]
}

func (h *Handlers) registerActivities(a huma.API) {
	huma.Register(a, huma.Operation{OperationID: "list-activities", Method: http.MethodGet, Path: "/rooms/{room_id}/activities",
		Tags: []string{"activity"}, Summary: "The room's audit trail, newest first", Security: authed,
		Description: "Each entry carries the SHA-256 of the previous one (prev_hash), so the trail is tamper-evident; `stshub audit verify` recomputes it."},
		func(ctx context.Context, in *listActivitiesInput) (*activitiesOutput, error) {
			entries, next, err := h.svc.ListActivities(ctx, actorOf(ctx), in.RoomID, service.ActivityFilter{
				Action: in.Action, ActorID: in.ActorID, PageRequest: in.request()})
			if err != nil {
				return nil, err
			}
			return &activitiesOutput{Body: listOf(entries, next, activityOf)}, nil
		})
}

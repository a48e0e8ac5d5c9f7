package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/service"
)

type createUserInput struct {
	Body struct {
		Email    string       `json:"email" maxLength:"254"`
		Name     string       `json:"name" maxLength:"200"`
		Password string       `json:"password" maxLength:"256" doc:"at least 12 characters"`
		Role     platformRole `json:"role,omitempty" default:"user"`
	}
}

type userOutput struct {
	Body userJSON
}

type usersOutput struct {
	Body list[userJSON]
}

func (h *Handlers) registerUsers(a huma.API) {
	huma.Register(a, huma.Operation{OperationID: "create-user", Method: http.MethodPost, Path: "/users", Tags: []string{"users"},
		Summary: "Create a user (admins)", Security: authed, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createUserInput) (*userOutput, error) {
			u, err := h.svc.CreateUser(ctx, actorOf(ctx), service.NewUser{Email: in.Body.Email, Name: in.Body.Name, Password: in.Body.Password, Role: string(in.Body.Role)})
			if err != nil {
				return nil, err
			}
			return &userOutput{Body: userOf(u)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-users", Method: http.MethodGet, Path: "/users", Tags: []string{"users"},
		Summary: "List users by e-mail (admins)", Security: authed},
		func(ctx context.Context, in *PageQuery) (*usersOutput, error) {
			users, next, err := h.svc.ListUsers(ctx, actorOf(ctx), in.request())
			if err != nil {
				return nil, err
			}
			return &usersOutput{Body: listOf(users, next, userOf)}, nil
		})
}

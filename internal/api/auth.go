package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

type loginInput struct {
	Body struct {
		Email    string `json:"email" maxLength:"254"`
		Password string `json:"password" maxLength:"256"`
	}
}

type loginOutput struct {
	Body struct {
		Token     string    `json:"token" doc:"send as Authorization: Bearer <token>"`
		ExpiresAt time.Time `json:"expires_at"`
		User      userJSON  `json:"user"`
	}
}

type meOutput struct {
	Body userJSON
}

func (h *Handlers) registerAuth(a huma.API) {
	huma.Register(a, huma.Operation{OperationID: "login", Method: http.MethodPost, Path: "/auth/login", Tags: []string{"auth"},
		Summary: "Sign in", Description: "401 for an unknown e-mail or a wrong password alike; 429 with Retry-After after repeated failures."},
		func(ctx context.Context, in *loginInput) (*loginOutput, error) {
			l, err := h.svc.Login(ctx, in.Body.Email, in.Body.Password)
			if err != nil {
				return nil, err
			}
			out := &loginOutput{}
			out.Body.Token, out.Body.ExpiresAt, out.Body.User = l.Token, l.ExpiresAt, userOf(l.User)
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "logout", Method: http.MethodPost, Path: "/auth/logout", Tags: []string{"auth"},
		Summary: "Sign out: the token is dead from now on", Security: authed, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, _ *struct{}) (*struct{}, error) {
			token, _ := ctx.Value(tokenKey{}).(string)
			return nil, h.svc.Logout(ctx, actorOf(ctx), token)
		})
	huma.Register(a, huma.Operation{OperationID: "me", Method: http.MethodGet, Path: "/auth/me", Tags: []string{"auth"},
		Summary: "The signed-in user", Security: authed},
		func(ctx context.Context, _ *struct{}) (*meOutput, error) {
			u, err := h.svc.Me(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			return &meOutput{Body: userOf(u)}, nil
		})
}

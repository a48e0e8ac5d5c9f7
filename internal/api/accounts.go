package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/service"
)

type updateMeInput struct {
	Body struct {
		Name string `json:"name" maxLength:"200"`
	}
}

type changePasswordInput struct {
	Body struct {
		CurrentPassword string `json:"current_password" maxLength:"256"`
		NewPassword     string `json:"new_password" maxLength:"256" doc:"at least 12 characters"`
	}
}

type requestResetInput struct {
	Body struct {
		Email string `json:"email" maxLength:"254"`
	}
}

type requestResetOutput struct {
	Body struct {
		Detail string `json:"detail"`
	}
}

// resetRequested is the one answer to a reset request, whatever the e-mail.
var resetRequested = "If an account has this e-mail address, a link to choose a new password is on its way; it works for " + resetLifetime + "."

// resetLifetime is how long a reset link works, in words (authz.LinkTTL).
var resetLifetime = authz.LinkTTLWords(authz.ResetLink)

type resetPasswordInput struct {
	Body struct {
		Token    string `json:"token" maxLength:"100" doc:"the token of the reset link"`
		Password string `json:"password" maxLength:"256" doc:"at least 12 characters"`
	}
}

type UserPath struct {
	UserID string `path:"user_id" maxLength:"64"`
}

type updateUserInput struct {
	UserPath
	Body struct {
		Role     *platformRole `json:"role,omitempty"`
		Disabled *bool         `json:"disabled,omitempty" doc:"true disables the account and ends its sessions at once; false enables it"`
	}
}

type sendResetOutput struct {
	Body struct {
		Detail   string `json:"detail"`
		ResetURL string `json:"reset_url,omitempty" doc:"the link, only while the server sends no e-mail: pass it on yourself"`
	}
}

func (h *Handlers) registerAccounts(a huma.API) {
	tags := []string{"auth"}
	huma.Register(a, huma.Operation{OperationID: "update-me", Method: http.MethodPatch, Path: "/auth/me", Tags: tags,
		Summary: "Change your display name", Security: authed},
		func(ctx context.Context, in *updateMeInput) (*meOutput, error) {
			u, err := h.svc.UpdateProfile(ctx, actorOf(ctx), in.Body.Name)
			if err != nil {
				return nil, err
			}
			return &meOutput{Body: userOf(u)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "change-password", Method: http.MethodPost, Path: "/auth/password", Tags: tags,
		Summary: "Change your password", Security: authed,
		Description: "The current password is required (422 naming current_password when wrong). Every session of the account " +
			"ends, the calling one too: the answer is a new sign-in in its place. 429 with Retry-After after repeated failures."},
		func(ctx context.Context, in *changePasswordInput) (*loginOutput, error) {
			l, err := h.svc.ChangePassword(ctx, actorOf(ctx), in.Body.CurrentPassword, in.Body.NewPassword)
			if err != nil {
				return nil, err
			}
			out := &loginOutput{}
			out.Body.Token, out.Body.ExpiresAt, out.Body.User = l.Token, l.ExpiresAt, userOf(l.User)
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "request-password-reset", Method: http.MethodPost, Path: "/auth/password-reset", Tags: tags,
		Summary: "Forgotten password: e-mail a reset link", DefaultStatus: http.StatusAccepted,
		Description: "The answer is the same (202, same body) whether or not an account has the e-mail. 429 with Retry-After after repeated requests."},
		func(ctx context.Context, in *requestResetInput) (*requestResetOutput, error) {
			if err := h.svc.RequestPasswordReset(ctx, in.Body.Email); err != nil {
				return nil, err
			}
			out := &requestResetOutput{}
			out.Body.Detail = resetRequested
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "reset-password", Method: http.MethodPost, Path: "/auth/password-reset/confirm", Tags: tags,
		Summary:     "Choose a new password with a reset link and sign in",
		Description: "Every other session of the account ends. " + linkRefusals},
		func(ctx context.Context, in *resetPasswordInput) (*loginOutput, error) {
			l, err := h.svc.ResetPassword(ctx, in.Body.Token, in.Body.Password)
			if err != nil {
				return nil, err
			}
			out := &loginOutput{}
			out.Body.Token, out.Body.ExpiresAt, out.Body.User = l.Token, l.ExpiresAt, userOf(l.User)
			return out, nil
		})
	users := []string{"users"}
	huma.Register(a, huma.Operation{OperationID: "update-user", Method: http.MethodPatch, Path: "/users/{user_id}", Tags: users,
		Summary: "Change a user's platform role, disable or enable the account (admins)", Security: authed,
		Description: "Disabling ends every session of the account at once, on every node. An admin changes neither their own role nor their own state (409)."},
		func(ctx context.Context, in *updateUserInput) (*userOutput, error) {
			u, err := h.svc.UpdateUser(ctx, actorOf(ctx), in.UserID, service.UserPatch{Role: (*string)(in.Body.Role), Disabled: in.Body.Disabled})
			if err != nil {
				return nil, err
			}
			return &userOutput{Body: userOf(u)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "send-password-reset", Method: http.MethodPost, Path: "/users/{user_id}/password-reset", Tags: users,
		Summary: "Send a user a password reset link (admins)", Security: authed, DefaultStatus: http.StatusAccepted,
		Description: "The password stays until the link is used. 409 for a disabled account."},
		func(ctx context.Context, in *UserPath) (*sendResetOutput, error) {
			link, err := h.svc.SendPasswordReset(ctx, actorOf(ctx), in.UserID)
			if err != nil {
				return nil, err
			}
			out := &sendResetOutput{}
			out.Body.Detail, out.Body.ResetURL = "A password reset link was sent; it works for "+resetLifetime+".", link
			if link != "" {
				out.Body.Detail = "E-mail is off on this server: pass the reset link on yourself; it works for " + resetLifetime + "."
			}
			return out, nil
		})
}

package web

import (
	"errors"
	"net/http"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/httpx"
	"github.com/stshub/stshub/internal/service"
)

// The pages of accounts people manage (issue 22): one's own account (name, password), a
// forgotten password, and the invitation link's page. The links' pages are open to anyone
// holding a link; the service checks the token, limits the attempts, and does no password
// work before the token checks out.

// accountData drives the account page.
type accountData struct {
	User authz.User
}

func (h *handler) accountHost(r *http.Request, actor service.Actor, f *formState) (string, *page, error) {
	u, err := h.svc.Me(r.Context(), actor)
	if err != nil {
		return "", nil, err
	}
	return "account", &page{Title: "Your account", Nav: "account", Form: f, Data: accountData{User: u}}, nil
}

// accountPage shows the signed-in user's name and the form that changes the password.
func (h *handler) accountPage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	name, p, err := h.accountHost(r, actor, nil)
	if err != nil {
		h.renderError(w, r, err, "/")
		return
	}
	h.renderPage(w, r, http.StatusOK, name, p)
}

func (h *handler) updateAccount(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	spec := formSpec{name: "profile", anchor: "profile-form", host: func(f *formState) (string, *page, error) { return h.accountHost(r, actor, f) }}
	if _, err := h.svc.UpdateProfile(r.Context(), actor, r.PostFormValue("name")); err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Message: "Your name is saved."})
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

// changePassword changes the password: every session of the account ends, and this browser
// is signed in again with a new one.
func (h *handler) changePassword(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	spec := formSpec{name: "password", anchor: "password-form", host: func(f *formState) (string, *page, error) { return h.accountHost(r, actor, f) }}
	if r.PostFormValue("new_password") != r.PostFormValue("confirm_password") {
		h.refuse(w, r, spec, apperr.Invalid("confirm_password", "does not match the new password"))
		return
	}
	l, err := h.svc.ChangePassword(r.Context(), actor, r.PostFormValue("current_password"), r.PostFormValue("new_password"))
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	setSessionCookie(w, r, l.Token, l.ExpiresAt)
	setFlash(w, r, flash{Kind: "ok", Message: "Your password is changed. You were signed out everywhere else."})
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

// linkData drives the pages of a link: the invitation and the password reset.
type linkData struct {
	Token      string
	Invitation service.InvitationPreview
	Email      string // whose password a reset link sets
	Sent       bool   // the reset request page, after a request
	Lifetime   string // how long a reset link works, in words
}

// linkRefused shows why a link cannot be used (unknown, used, withdrawn, expired), or the
// rate limit's answer.
func (h *handler) linkRefused(w http.ResponseWriter, r *http.Request, err error) {
	p := httpx.FromError(r.Context(), h.log, err)
	switch p.Status {
	case http.StatusNotFound:
		h.renderPage(w, r, http.StatusNotFound, "error", &page{Title: "Link not usable", Data: errorInfo{Status: http.StatusNotFound,
			Heading: "This link cannot be used", Message: sentence(p.Detail)}})
	case http.StatusTooManyRequests:
		for k, vs := range p.Headers() {
			w.Header()[k] = vs
		}
		h.renderPage(w, r, http.StatusTooManyRequests, "error", &page{Title: "Too many attempts", Data: errorInfo{Status: http.StatusTooManyRequests,
			Heading: "Too many attempts", Message: "Too many attempts in a short time. Wait a minute and try again."}})
	default:
		h.renderError(w, r, err, "")
	}
}

// forgotPage asks for the e-mail a reset link goes to, or, with a link's token, for the new
// password.
func (h *handler) forgotPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	d := linkData{Token: token, Lifetime: authz.LinkTTLWords(authz.ResetLink)}
	if token != "" {
		email, err := h.svc.CheckResetLink(r.Context(), token)
		if err != nil {
			h.linkRefused(w, r, err)
			return
		}
		d.Email = email
	}
	h.renderPage(w, r, http.StatusOK, "password_reset", &page{Title: "Choose a new password", Data: d})
}

// requestReset answers every e-mail alike (service.RequestPasswordReset).
func (h *handler) requestReset(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.RequestPasswordReset(r.Context(), r.PostFormValue("email")); err != nil {
		h.linkRefused(w, r, err)
		return
	}
	h.renderPage(w, r, http.StatusOK, "password_reset", &page{Title: "Check your e-mail",
		Data: linkData{Sent: true, Lifetime: authz.LinkTTLWords(authz.ResetLink)}})
}

// resetPassword sets the new password of a reset link and signs the browser in.
func (h *handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	token := r.PostFormValue("token")
	host := func(f *formState) (string, *page, error) {
		email, err := h.svc.CheckResetLink(r.Context(), token)
		if err != nil {
			return "", nil, err
		}
		return "password_reset", &page{Title: "Choose a new password", Form: f, Data: linkData{Token: token, Email: email,
			Lifetime: authz.LinkTTLWords(authz.ResetLink)}}, nil
	}
	spec := formSpec{name: "reset", anchor: "reset-form", host: host}
	if r.PostFormValue("password") != r.PostFormValue("confirm_password") {
		h.refuse(w, r, spec, apperr.Invalid("confirm_password", "does not match the new password"))
		return
	}
	l, err := h.svc.ResetPassword(r.Context(), token, r.PostFormValue("password"))
	if err != nil {
		if isValidation(err) {
			h.refuse(w, r, spec, err)
			return
		}
		h.linkRefused(w, r, err)
		return
	}
	setSessionCookie(w, r, l.Token, l.ExpiresAt)
	setFlash(w, r, flash{Kind: "ok", Message: "Your new password is set and you are signed in. Every other session of your account ended."})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// invitationPage shows what an invitation link is for and the form that accepts it.
func (h *handler) invitationPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("token")
	inv, err := h.svc.PreviewInvitation(r.Context(), token)
	if err != nil {
		h.linkRefused(w, r, err)
		return
	}
	h.renderPage(w, r, http.StatusOK, "invitation", &page{Title: "Accept your invitation", Data: linkData{Token: token, Invitation: inv}})
}

// acceptInvitation makes the account, signs the browser in and opens the room it was
// invited to.
func (h *handler) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	token := r.PostFormValue("token")
	spec := formSpec{name: "accept", anchor: "accept-form", host: func(f *formState) (string, *page, error) {
		inv, err := h.svc.PreviewInvitation(r.Context(), token)
		if err != nil {
			return "", nil, err
		}
		return "invitation", &page{Title: "Accept your invitation", Form: f, Data: linkData{Token: token, Invitation: inv}}, nil
	}}
	if r.PostFormValue("password") != r.PostFormValue("confirm_password") {
		h.refuse(w, r, spec, apperr.Invalid("confirm_password", "does not match the password"))
		return
	}
	acc, err := h.svc.AcceptInvitation(r.Context(), token, r.PostFormValue("name"), r.PostFormValue("password"))
	if err != nil {
		if isValidation(err) || errors.Is(err, apperr.ErrConflict) {
			h.refuse(w, r, spec, err)
			return
		}
		h.linkRefused(w, r, err)
		return
	}
	setSessionCookie(w, r, acc.Token, acc.ExpiresAt)
	setFlash(w, r, flash{Kind: "ok", Message: "Welcome, " + acc.User.Name + ": your account is ready."})
	target := "/"
	if acc.RoomID != "" {
		target = "/rooms/" + acc.RoomID
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

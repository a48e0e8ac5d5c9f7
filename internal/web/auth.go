package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/httpx"
	"github.com/stshub/stshub/internal/service"
)

// loginData drives the sign-in page.
type loginData struct {
	Next  string
	Email string
	Error string
}

// loginPage shows the sign-in form; a signed-in user goes straight on.
func (h *handler) loginPage(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if _, ok := actorFrom(r.Context()); ok {
		http.Redirect(w, r, orHome(next), http.StatusSeeOther)
		return
	}
	h.renderPage(w, r, http.StatusOK, "login", &page{Title: "Sign in", Data: loginData{Next: next}})
}

func orHome(next string) string {
	if next == "" {
		return "/"
	}
	return next
}

// login opens a session (the same as the API's) and keeps its token in the session cookie.
// Unknown e-mail and wrong password get the same answer; repeated failures are slowed down
// by the service.
func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.PostFormValue("next"))
	email := strings.TrimSpace(r.PostFormValue("email"))
	l, err := h.svc.Login(r.Context(), email, r.PostFormValue("password"))
	if err != nil {
		status, msg := http.StatusUnauthorized, "The e-mail address or password is not correct."
		var rl *apperr.RateLimitedError
		switch {
		case errors.Is(err, service.ErrAccountDisabled):
			msg = "This account is disabled. Ask your platform administrator to enable it."
		case errors.As(err, &rl):
			p := httpx.FromError(r.Context(), h.log, err)
			for k, vs := range p.Headers() {
				w.Header()[k] = vs
			}
			status, msg = http.StatusTooManyRequests, "Too many sign-in attempts. Wait a minute, then try again."
		case !errors.Is(err, apperr.ErrUnauthenticated):
			h.internalError(w, r, err)
			return
		}
		h.renderPage(w, r, status, "login", &page{Title: "Sign in", Data: loginData{Next: next, Email: email, Error: msg}})
		return
	}
	setSessionCookie(w, r, l.Token, l.ExpiresAt)
	http.Redirect(w, r, orHome(next), http.StatusSeeOther)
}

// logout ends the session at once (for the API too) and clears the cookie.
func (h *handler) logout(w http.ResponseWriter, r *http.Request) {
	actor, ok := actorFrom(r.Context())
	token, _ := r.Context().Value(tokenKey{}).(string)
	if ok && token != "" {
		if err := h.svc.Logout(r.Context(), actor, token); err != nil && !errors.Is(err, apperr.ErrUnauthenticated) {
			h.internalError(w, r, err)
			return
		}
	}
	clearSessionCookie(w, r)
	setFlash(w, r, flash{Kind: "ok", Message: "You are signed out."})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

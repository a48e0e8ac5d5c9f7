package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/reqinfo"
	"github.com/stshub/stshub/internal/service"
)

// SessionCookie carries the same session token as the API's bearer token.
const SessionCookie = "stshub_session"

// flashCookie carries a one-line message across a redirect (after a form without JS).
const flashCookie = "stshub_flash"

// contentSecurityPolicy allows only this origin's scripts, styles and connections: no inline
// script or style anywhere, so an injected tag can do nothing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets the headers every response of the web UI carries. Downloads
// replace the policy with a stricter one of their own.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

type actorKey struct{}
type tokenKey struct{}

// session resolves the session cookie to an actor for the rest of the request. A cookie
// that no longer names a live session is cleared. It decides nothing: pages that need a
// signed-in user are routed through signedIn, and the service decides everything else.
func (h *handler) session(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		c, err := r.Cookie(SessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		actor, err := h.svc.Authenticate(r.Context(), c.Value)
		switch {
		case errors.Is(err, apperr.ErrUnauthenticated):
			clearSessionCookie(w, r)
			next.ServeHTTP(w, r)
			return
		case err != nil:
			h.internalError(w, r, err)
			return
		}
		reqinfo.From(r.Context()).UserID = actor.UserID
		ctx := context.WithValue(r.Context(), actorKey{}, actor)
		ctx = context.WithValue(ctx, tokenKey{}, c.Value)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// actorFrom returns the signed-in user of the request.
func actorFrom(ctx context.Context) (service.Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(service.Actor)
	return a, ok
}

// signedIn is the route-level "is anyone signed in" check: fn runs with the signed-in
// user, or the browser is sent to the sign-in page. It decides nothing else (the service
// does), but it gives the request a page scope (service.PageScope), so the many reads of one
// page or section read the caller's membership of the room once. The live stream, which
// lives long, is not routed through it.
func (h *handler) signedIn(fn func(http.ResponseWriter, *http.Request, service.Actor)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		actor, ok := actorFrom(r.Context())
		if !ok {
			h.toLogin(w, r)
			return
		}
		fn(w, r.WithContext(service.PageScope(r.Context())), actor)
	}
}

// toLogin sends the browser to the sign-in page, which brings it back here afterwards.
func (h *handler) toLogin(w http.ResponseWriter, r *http.Request) {
	back := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		back = r.Header.Get("Referer")
	}
	if isHTMX(r) {
		if cur, err := url.Parse(r.Header.Get("HX-Current-URL")); err == nil {
			back = cur.RequestURI()
		}
	}
	target := "/login"
	if next := localPath(back); next != "" && next != "/" {
		target += "?next=" + url.QueryEscape(next)
	}
	if isHTMX(r) {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// localPath returns s when it is a path on this site ("/rooms/…?x#y"), else "". It refuses
// anything a browser could read as another origin: "//host", "/\host", schemes, hosts.
//
// SECURITY: the next parameter of the sign-in page goes through here; an open redirect
// would let a phishing link use our sign-in page to send users elsewhere.
func localPath(s string) string {
	if s == "" {
		return ""
	}
	if u, err := url.Parse(s); err == nil && u.IsAbs() {
		// A Referer is absolute: keep only its path when it is ours.
		s = u.RequestURI()
		if u.Fragment != "" {
			s += "#" + u.EscapedFragment()
		}
	}
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") ||
		strings.ContainsAny(s, "\\\r\n\t") {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return s
}

// secureKey marks a request as reached over https (handler.markSecure).
type secureKey struct{}

// markSecure tells the cookie writers that every request is reached over https when the
// server's public URL says so, though it arrives over plain HTTP from a TLS proxy.
func (h *handler) markSecure(next http.Handler) http.Handler {
	if !h.secureCookies {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), secureKey{}, true)))
	})
}

// secure reports whether the cookies of r's answer must be Secure: r came over TLS, or the
// server is reached over https.
func secure(r *http.Request) bool { return r.TLS != nil || r.Context().Value(secureKey{}) != nil }

// setSessionCookie stores the session token: script cannot read it, it goes only to this
// site's own navigations and same-site requests, and it lasts as long as the session.
func setSessionCookie(w http.ResponseWriter, r *http.Request, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", Expires: expires,
		MaxAge: max(int(time.Until(expires).Seconds()), 1), HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteLaxMode})
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: secure(r), SameSite: http.SameSiteLaxMode})
}

// setFlash keeps a message for the next page the browser loads.
func setFlash(w http.ResponseWriter, r *http.Request, f flash) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(f.Kind + "|" + f.Message), Path: "/",
		MaxAge: 60, HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteLaxMode})
}

// takeFlash returns the waiting message, if any, and clears it.
func takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: secure(r), SameSite: http.SameSiteLaxMode})
	v, err := url.QueryUnescape(c.Value)
	if err != nil {
		return nil
	}
	kind, msg, ok := strings.Cut(v, "|")
	if !ok || msg == "" || (kind != "ok" && kind != "error") {
		return nil
	}
	if len(msg) > 1000 { // room for a link to pass on (an invitation's, with e-mail off)
		msg = msg[:1000]
	}
	return &flash{Kind: kind, Message: msg}
}

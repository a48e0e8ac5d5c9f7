package httpx

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/reqinfo"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies mws so that the first one listed runs first.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// saneRequestID accepts a proxy's X-Request-ID only when it is short and plain.
var saneRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// RequestInfo gives each request an ID and records the client address, for logs, limits and
// audit entries. Only a request from one of the trusted proxies (config.TrustedProxies) is
// believed about itself: its X-Request-ID, when sane, is kept, and its client is the last
// address of X-Forwarded-For that is not a trusted proxy. From anyone else both headers are
// ignored: a caller cannot pick its address (the sign-in limits go by it) nor write an ID
// of its choosing into the trail.
func RequestInfo(trusted []netip.Prefix) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ip := peerAddress(r.RemoteAddr)
			proxied := isTrusted(ip, trusted)
			id := r.Header.Get("X-Request-ID")
			if !proxied || !saneRequestID.MatchString(id) {
				b := make([]byte, 12)
				_, _ = rand.Read(b)
				id = hex.EncodeToString(b)
			}
			if proxied {
				ip = forwardedClient(r.Header.Values("X-Forwarded-For"), trusted, ip)
			}
			w.Header().Set("X-Request-ID", id)
			next.ServeHTTP(w, r.WithContext(reqinfo.With(r.Context(), &reqinfo.Info{RequestID: id, IP: ip})))
		})
	}
}

// peerAddress is the host of a connection's remote address.
func peerAddress(remote string) string {
	ip, _, err := net.SplitHostPort(remote)
	if err != nil {
		return remote
	}
	return ip
}

func isTrusted(ip string, trusted []netip.Prefix) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// forwardedClient walks X-Forwarded-For from the nearest hop back and answers the first
// address that is not a trusted proxy: the client as the outermost trusted proxy saw it.
// Anything before it was written by the client and is not believed. peer when the header
// names no such address.
func forwardedClient(headers []string, trusted []netip.Prefix, peer string) string {
	var hops []string
	for _, h := range headers {
		for _, hop := range strings.Split(h, ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		addr, err := netip.ParseAddr(hops[i])
		if err != nil {
			return peer // a malformed hop: nothing further back can be trusted
		}
		if !isTrusted(addr.String(), trusted) {
			return addr.Unmap().String()
		}
	}
	return peer
}

// Recover turns a panic into a logged 500 problem.
func Recover(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if v := recover(); v != nil {
					if v == http.ErrAbortHandler {
						panic(v)
					}
					err := fmt.Errorf("panic: %v\n%s", v, debug.Stack())
					WriteError(w, r, log, err)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// AccessLog writes one line per request: method, route, status, duration, size, and the
// request, user and room IDs. It never logs headers, query strings or bodies, where
// tokens and passwords travel.
func AccessLog(log *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			rec := NewRecorder(w)
			next.ServeHTTP(rec, r)
			info := reqinfo.From(r.Context())
			level := slog.LevelInfo
			if rec.Status() >= 500 {
				level = slog.LevelError
			}
			log.LogAttrs(r.Context(), level, "request",
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("route", r.Pattern),
				slog.Int("status", rec.Status()),
				slog.Int64("bytes", rec.Written()),
				slog.Duration("duration", time.Since(start)),
				slog.String("request_id", info.RequestID),
				slog.String("user_id", info.UserID),
				slog.String("room_id", info.RoomID),
				slog.String("ip", info.IP),
			)
		})
	}
}

// SecurityHeaders sets the headers every response carries; with https (the server's public
// URL is https) also HSTS, for a year: browsers then never reach it over plain HTTP.
func SecurityHeaders(https bool) Middleware {
	return func(next http.Handler) http.Handler { return securityHeaders(next, https) }
}

func securityHeaders(next http.Handler, https bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if https {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		if h.Get("Content-Security-Policy") == "" {
			h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		}
		next.ServeHTTP(w, r)
	})
}

// LimitBody caps request bodies at n bytes before anything reads them; reading past it
// fails with *http.MaxBytesError, which TooLarge recognises. Only the routes upload says
// stream files may send multipart/form-data: they read it under their own, larger limit
// (ReadUpload). Anywhere else a multipart body is refused unread (415), so no form parser
// ever spools a caller's file parts to disk — not even on the sign-in form.
func LimitBody(n int64, upload func(*http.Request) bool) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
				if upload(r) {
					next.ServeHTTP(w, r)
					return
				}
				WriteProblem(w, NewProblem(r.Context(), http.StatusUnsupportedMediaType,
					"multipart/form-data is accepted only where a file is uploaded; send this form as application/x-www-form-urlencoded or JSON"))
				return
			}
			if r.ContentLength > n {
				WriteProblem(w, NewProblem(r.Context(), http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", n)))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

// TooLarge turns a body-limit error into apperr.ErrTooLarge.
func TooLarge(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return fmt.Errorf("request body is larger than %d bytes: %w", mbe.Limit, apperr.ErrTooLarge)
	}
	return err
}

// Package httpx is the HTTP plumbing shared by the JSON API and the web UI: middleware
// (request IDs, access logs, metrics, panics, body limits, security headers) and the one
// mapper from typed errors to problem+json responses (RFC 9457).
package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/reqinfo"
)

// ProblemContentType is the media type of every error response.
const ProblemContentType = "application/problem+json"

// StatusClientClosedRequest is the status logged for a request whose caller went away
// before its answer (nginx's 499): no client ever reads it.
const StatusClientClosedRequest = 499

// Problem is an RFC 9457 problem document. It also satisfies huma's StatusError and
// ContentTypeFilter interfaces, so the API framework writes it as it is.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail"`
	Instance  string              `json:"instance,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
	Errors    []apperr.FieldError `json:"errors,omitempty"`

	headers http.Header
}

// Error makes a Problem an error.
func (p *Problem) Error() string { return p.Detail }

// GetStatus is the HTTP status.
func (p *Problem) GetStatus() int { return p.Status }

// ContentType answers problem+json whatever JSON type was negotiated.
func (p *Problem) ContentType(string) string { return ProblemContentType }

// Headers are the extra response headers the problem needs (Retry-After, WWW-Authenticate).
func (p *Problem) Headers() http.Header { return p.headers }

// NewProblem returns a problem with the given status and detail, tagged with the request ID.
func NewProblem(ctx context.Context, status int, detail string, fields ...apperr.FieldError) *Problem {
	return &Problem{
		Type:      "about:blank",
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    detail,
		RequestID: reqinfo.From(ctx).RequestID,
		Errors:    fields,
		headers:   http.Header{},
	}
}

// FromError is the one mapping from an error to a response: validation 422, forbidden 403,
// not found 404, conflict 409, and so on. Anything it does not know is a 500 whose detail
// names only the request ID; the error itself is logged once, with that ID.
func FromError(ctx context.Context, log *slog.Logger, err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	var ve *apperr.ValidationError
	if errors.As(err, &ve) {
		return NewProblem(ctx, http.StatusUnprocessableEntity, "the request has invalid fields", ve.Fields...)
	}
	var rl *apperr.RateLimitedError
	if errors.As(err, &rl) {
		p := NewProblem(ctx, http.StatusTooManyRequests, "too many attempts; try again later")
		p.headers.Set("Retry-After", strconv.Itoa(int(math.Ceil(max(rl.RetryAfter.Seconds(), 1)))))
		return p
	}
	if status, ok := outageStatus(err); ok {
		// Not the caller's fault and not a bug: the database is down or full. Logged for the
		// operator; the client is told to try again (503) or that nothing was kept (507).
		info := reqinfo.From(ctx)
		log.WarnContext(ctx, "storage outage", "err", err, "request_id", info.RequestID)
		p := NewProblem(ctx, status, outageDetail[status])
		if status == http.StatusServiceUnavailable {
			p.headers.Set("Retry-After", strconv.Itoa(retryAfterOutage))
		}
		return p
	}
	for _, k := range []struct {
		err    error
		status int
	}{
		{apperr.ErrUnauthenticated, http.StatusUnauthorized},
		{apperr.ErrForbidden, http.StatusForbidden},
		{apperr.ErrNotFound, http.StatusNotFound},
		{apperr.ErrConflict, http.StatusConflict},
		{apperr.ErrBadRequest, http.StatusBadRequest},
		{apperr.ErrTooLarge, http.StatusRequestEntityTooLarge},
		{apperr.ErrUnsupportedMedia, http.StatusUnsupportedMediaType},
		{ErrBodyTooSlow, http.StatusRequestTimeout},
	} {
		if errors.Is(err, k.err) {
			p := NewProblem(ctx, k.status, publicDetail(err, k.err))
			if k.status == http.StatusUnauthorized {
				p.headers.Set("WWW-Authenticate", `Bearer realm="stshub"`)
			}
			return p
		}
	}
	if errors.Is(err, context.Canceled) {
		// The client went away; nothing will read the answer.
		return NewProblem(ctx, StatusClientClosedRequest, "request cancelled")
	}
	info := reqinfo.From(ctx)
	log.ErrorContext(ctx, "internal error", "err", err, "request_id", info.RequestID, "user_id", info.UserID, "room_id", info.RoomID)
	return NewProblem(ctx, http.StatusInternalServerError, "internal error; quote request ID "+info.RequestID+" when reporting it")
}

// retryAfterOutage is the Retry-After, in seconds, of a 503 for a database outage: long
// enough for a restart or a failover, short enough that a client retrying is not idle long.
const retryAfterOutage = 5

var outageDetail = map[int]string{
	http.StatusServiceUnavailable:  "the database is unavailable; try again in a few seconds (a change sent just as it went may have been kept: check before sending it again)",
	http.StatusInsufficientStorage: "storage is full; nothing was kept — try again once space has been freed",
}

// outageStatus is the status of a database outage (503) or a full disk (507).
func outageStatus(err error) (int, bool) {
	switch {
	case errors.Is(err, apperr.ErrStorageFull):
		return http.StatusInsufficientStorage, true
	case errors.Is(err, apperr.ErrUnavailable):
		return http.StatusServiceUnavailable, true
	}
	return 0, false
}

// publicDetail is the error's message without the trailing ": <kind>" that wrapping adds,
// unless that would leave a bare noun ("room: not found" stays as it is).
func publicDetail(err, kind error) string {
	msg := err.Error()
	trimmed := strings.TrimSuffix(msg, ": "+kind.Error())
	if !strings.Contains(trimmed, " ") {
		return msg
	}
	return trimmed
}

// WriteProblem writes p as the response.
func WriteProblem(w http.ResponseWriter, p *Problem) {
	for k, vs := range p.headers {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", ProblemContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// WriteError maps err and writes it.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	WriteProblem(w, FromError(r.Context(), log, err))
}

// Package api is the JSON API under /api/v1: thin huma handlers that decode a request, make
// one service call and render the result. The OpenAPI description at /api/v1/openapi.json
// is generated from these handlers, so it cannot drift from them.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/httpx"
	"github.com/stshub/stshub/internal/reqinfo"
	"github.com/stshub/stshub/internal/service"
)

// BasePath is where the API lives.
const BasePath = "/api/v1"

// bearerScheme names the security scheme of authenticated operations.
const bearerScheme = "bearer"

// Handlers serves the API's operations.
type Handlers struct {
	svc       *service.Service
	log       *slog.Logger
	maxUpload int64
}

func init() {
	// huma builds its own errors (validation, malformed bodies, 5xx) through this hook;
	// route them all into the one problem mapper. Handler errors reach it as status 500
	// with the service's typed error, which FromError maps to its real status.
	huma.NewErrorWithContext = func(hctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
		var ctx context.Context = context.Background()
		if hctx != nil {
			ctx = hctx.Context()
		}
		p := problemOf(ctx, status, msg, errs)
		if hctx != nil {
			for k, vs := range p.Headers() {
				for _, v := range vs {
					hctx.SetHeader(k, v)
				}
			}
		}
		return p
	}
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		return problemOf(context.Background(), status, msg, errs)
	}
}

// loggerKey carries the API's logger in the request context: huma's error hook is global,
// so the logger it needs for unexpected errors is reached through the context.
type loggerKey struct{}

func problemOf(ctx context.Context, status int, msg string, errs []error) *httpx.Problem {
	log, _ := ctx.Value(loggerKey{}).(*slog.Logger)
	if log == nil {
		log = slog.Default()
	}
	var ready *httpx.Problem
	if len(errs) == 1 && errors.As(errs[0], &ready) {
		return ready
	}
	if status == http.StatusInternalServerError && len(errs) == 1 {
		return httpx.FromError(ctx, log, httpx.TooLarge(errs[0]))
	}
	var fields []apperr.FieldError
	for _, err := range errs {
		if err == nil {
			continue
		}
		if d, ok := err.(huma.ErrorDetailer); ok {
			detail := d.ErrorDetail()
			field := fieldName(detail.Location)
			if name, ok := missingProperty(detail.Message); ok {
				field = strings.TrimPrefix(field+"."+name, "body.")
			}
			fields = append(fields, apperr.FieldError{Field: field, Message: detail.Message})
			continue
		}
		fields = append(fields, apperr.FieldError{Field: "", Message: err.Error()})
	}
	if status >= 500 {
		log.ErrorContext(ctx, "internal error", "status", status, "msg", msg, "errors", fields, "request_id", reqinfo.From(ctx).RequestID)
		return httpx.NewProblem(ctx, status, "internal error; quote request ID "+reqinfo.From(ctx).RequestID+" when reporting it")
	}
	switch {
	case status == http.StatusBadRequest && msg == "validation failed":
		msg = "the request body is not valid JSON"
	case status == http.StatusUnsupportedMediaType:
		msg = "unsupported content type; send application/json"
	case status == http.StatusUnprocessableEntity && msg == "validation failed":
		msg = "the request has invalid fields"
	}
	return httpx.NewProblem(ctx, status, msg, fields...)
}

// fieldName turns huma's "body.vessel.imo" or "query.limit" into "vessel.imo" or "limit".
func fieldName(location string) string {
	for _, prefix := range []string{"body.", "path.", "query.", "header."} {
		if rest, ok := strings.CutPrefix(location, prefix); ok {
			return rest
		}
	}
	return location
}

// missingProperty reads the property name out of huma's "expected required property X to be
// present", so the error names the missing field itself rather than the whole body.
func missingProperty(msg string) (string, bool) {
	rest, ok := strings.CutPrefix(msg, "expected required property ")
	if !ok {
		return "", false
	}
	name, ok := strings.CutSuffix(rest, " to be present")
	return name, ok
}

// New registers every operation on mux under BasePath and returns the huma API (for its
// OpenAPI document). maxUpload is the largest document file accepted.
func New(mux *http.ServeMux, svc *service.Service, log *slog.Logger, version string, maxUpload int64) huma.API {
	config := huma.DefaultConfig("STS Clearance Hub API", version)
	config.Info.Description = "Clearance rooms for ship-to-ship transfers: parties, vessels, documents, sign-offs, snapshots and a tamper-evident audit trail. Errors are application/problem+json (RFC 9457)."
	config.CreateHooks = nil // no $schema links in responses
	config.DocsPath = ""     // the hosted docs page loads scripts from a CDN
	config.OpenAPIPath = "/openapi"
	config.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		bearerScheme: {Type: "http", Scheme: "bearer", Description: "a token from POST /auth/login"},
	}
	a := humago.NewWithPrefix(mux, BasePath, config)
	h := &Handlers{svc: svc, log: log}
	a.UseMiddleware(h.withLogger, h.authenticate(a))
	h.registerAuth(a)
	h.registerUsers(a)
	h.registerAccounts(a)
	h.registerInvitations(a)
	h.registerRooms(a)
	h.registerRecords(a)
	h.registerParties(a)
	h.registerVessels(a)
	h.registerActivities(a)
	h.registerCatalogue(a)
	h.registerCoastalAreas(a)
	h.registerDocuments(a)
	h.registerQuestions(a)
	h.registerChecklists(a)
	h.registerMilestones(a)
	h.registerSignOff(a)
	h.registerNotices(a)
	h.registerTasks(a)
	h.registerNotifications(a)
	h.registerFiles(a, mux, maxUpload)
	h.registerTrail(a, mux)
	h.registerSnapshots(a, mux)
	return a
}

func (h *Handlers) withLogger(ctx huma.Context, next func(huma.Context)) {
	next(huma.WithValue(ctx, loggerKey{}, h.log))
}

type actorKey struct{}
type tokenKey struct{}

// authenticate resolves the bearer token of every operation that declares the bearer
// security requirement; the others (login, the OpenAPI document) pass through.
func (h *Handlers) authenticate(a huma.API) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		op := ctx.Operation()
		if op == nil || len(op.Security) == 0 {
			next(ctx)
			return
		}
		token, ok := strings.CutPrefix(ctx.Header("Authorization"), "Bearer ")
		if !ok {
			token = ""
		}
		actor, err := h.svc.Authenticate(ctx.Context(), strings.TrimSpace(token))
		if err != nil {
			p := httpx.FromError(ctx.Context(), h.log, err)
			_ = huma.WriteErr(a, ctx, p.Status, p.Detail, p)
			return
		}
		reqinfo.From(ctx.Context()).UserID = actor.UserID
		ctx = huma.WithValue(ctx, actorKey{}, actor)
		next(huma.WithValue(ctx, tokenKey{}, token))
	}
}

// actorOf is the signed-in caller of an authenticated operation.
func actorOf(ctx context.Context) service.Actor {
	a, _ := ctx.Value(actorKey{}).(service.Actor)
	return a
}

// authed marks an operation as needing a bearer token.
var authed = []map[string][]string{{bearerScheme: {}}}

package app

import (
	"reflect"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/httpx"
	"github.com/stshub/stshub/internal/store"
)

// healthBody is what GET /healthz answers.
type healthBody struct {
	Status string `json:"status" enum:"ok" doc:"always ok: the process is up and serving HTTP"`
}

// readyBody is what GET /readyz answers when the server is ready.
type readyBody struct {
	Status   string     `json:"status" enum:"ready"`
	Database engineName `json:"database" doc:"the engine the server runs on"`
}

// engineName is a database engine's name, as store.Dialect spells it.
type engineName string

// Schema lists the engines the store supports.
func (engineName) Schema(huma.Registry) *huma.Schema {
	var names []any
	for _, d := range store.Dialects() {
		names = append(names, d.String())
	}
	return &huma.Schema{Type: "string", Enum: names}
}

// describeOperations adds the probes and the metrics to the OpenAPI description. They are
// plain handlers on the mux (see routes), outside huma and outside /api/v1, so that they
// never queue and cost nothing extra; only their description lives in the document, with
// a server of "/" of their own because the document's server is /api/v1.
func describeOperations(o *huma.OpenAPI) {
	problem := o.Components.Schemas.Schema(reflect.TypeFor[httpx.Problem](), true, "")
	root := []*huma.Server{{URL: "/", Description: "the server's root: this path is not under /api/v1"}}
	jsonOf := func(t reflect.Type) map[string]*huma.MediaType {
		return map[string]*huma.MediaType{"application/json": {Schema: o.Components.Schemas.Schema(t, true, "")}}
	}
	ops := []*huma.Operation{
		{
			OperationID: "healthz", Method: "GET", Path: "/healthz", Tags: []string{"operations"},
			Summary:     "Liveness probe",
			Description: "Answers 200 while the process serves HTTP, without touching the database. Never waits behind other requests.",
			Responses: map[string]*huma.Response{
				"200": {Description: "The process is up.", Content: jsonOf(reflect.TypeFor[healthBody]())},
			},
		},
		{
			OperationID: "readyz", Method: "GET", Path: "/readyz", Tags: []string{"operations"},
			Summary: "Readiness probe",
			Description: "Answers 200 when the database answers within 2 s and its schema is current (every migration applied), " +
				"503 otherwise. Never waits behind other requests.",
			Responses: map[string]*huma.Response{
				"200": {Description: "Ready: the database answers and its schema is current.", Content: jsonOf(reflect.TypeFor[readyBody]())},
				"503": {Description: "Not ready: the database is unreachable or its schema is not current.",
					Content: map[string]*huma.MediaType{"application/problem+json": {Schema: problem}}},
			},
		},
		{
			OperationID: "metrics", Method: "GET", Path: "/metrics", Tags: []string{"operations"},
			Summary: "Prometheus metrics",
			Description: "The Prometheus text exposition format (version 0.0.4): requests by route and status, latency, " +
				"database pool statistics, the Go runtime, and the queues (stshub_http_reads_waiting, " +
				"stshub_http_reads_working, stshub_db_writes_waiting). Never waits behind other requests. " +
				"Open on the main listener by default; STSHUB_METRICS_ADDR serves it on another address instead (the main " +
				"listener then answers 404), and STSHUB_METRICS_TOKEN makes it ask for that bearer token.",
			Responses: map[string]*huma.Response{
				"200": {Description: "The metrics.",
					Content: map[string]*huma.MediaType{"text/plain": {Schema: &huma.Schema{Type: huma.TypeString}}}},
				"401": {Description: "STSHUB_METRICS_TOKEN is set and the request does not carry it as its bearer token.",
					Content: map[string]*huma.MediaType{"application/problem+json": {Schema: problem}}},
			},
		},
	}
	for _, op := range ops {
		o.AddOperation(op)
		o.Paths[op.Path].Servers = root
	}
}

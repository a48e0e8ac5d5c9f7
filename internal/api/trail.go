package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/httpx"
)

type trailCheckJSON struct {
	Intact   bool   `json:"intact" doc:"every entry's hash holds, from the first to the recorded head"`
	Entries  int64  `json:"entries"`
	HeadSeq  int64  `json:"head_seq"`
	HeadHash string `json:"head_hash" doc:"the hash of the last entry: the one snapshots print as their audit head"`
	BrokenAt int64  `json:"broken_at,omitempty" doc:"the first entry that does not match, when not intact"`
	Reason   string `json:"reason,omitempty"`
}

type trailCheckOutput struct {
	Body trailCheckJSON
}

// registerTrail adds the verification of a room's trail (huma) and its CSV export (a
// streamed plain handler, described in the OpenAPI document by hand).
func (h *Handlers) registerTrail(a huma.API, mux *http.ServeMux) {
	huma.Register(a, huma.Operation{OperationID: "verify-activities", Method: http.MethodGet, Path: "/rooms/{room_id}/activities/verify",
		Tags: []string{"activity"}, Summary: "Recompute the room's audit chain, as `stshub audit verify --room` does", Security: authed},
		func(ctx context.Context, in *RoomPath) (*trailCheckOutput, error) {
			c, err := h.svc.VerifyRoomTrail(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			out := trailCheckJSON{Intact: c.Broken == nil, Entries: c.Entries, HeadSeq: c.Head.Seq, HeadHash: c.Head.Hash}
			if c.Broken != nil {
				out.BrokenAt, out.Reason = c.Broken.Seq, c.Broken.Reason
			}
			return &trailCheckOutput{Body: out}, nil
		})

	mux.HandleFunc("GET "+BasePath+"/rooms/{room_id}/activities/export", h.exportActivity)
	a.OpenAPI().AddOperation(&huma.Operation{OperationID: "export-activities", Method: http.MethodGet, Path: "/rooms/{room_id}/activities/export",
		Tags: []string{"activity"}, Summary: "The room's audit trail as CSV, oldest first, with each entry's details and hash; recorded in the trail", Security: authed,
		Description: "Broker and charterer (export_activity). Entries about documents confidential to others are left out, as in the list.",
		Parameters:  []*huma.Param{{Name: "room_id", In: "path", Required: true, Schema: &huma.Schema{Type: "string"}}},
		Responses: map[string]*huma.Response{
			"200": {Description: "the trail, as an attachment", Content: map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: "string"}}}},
			"401": {Description: "not signed in"}, "403": {Description: "the role may not export the trail"}, "404": {Description: "no such room"},
		}})
}

// exportActivity streams the trail's CSV. Its headers are sent with the first row, so a
// refusal before it (not signed in, not a party, not allowed) is an ordinary problem.
func (h *Handlers) exportActivity(w http.ResponseWriter, r *http.Request) {
	actor, err := h.bearerActor(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	roomID := r.PathValue("room_id")
	out := &httpx.Download{W: w, ContentType: "text/csv; charset=utf-8",
		Disposition: attachment("trail-" + roomID + "-" + time.Now().UTC().Format("20060102-150405") + ".csv")}
	if err := h.svc.ExportActivity(r.Context(), actor, roomID, out); err != nil {
		if !out.Started() {
			h.fail(w, r, err)
			return
		}
		h.log.Error("trail export cut short", "room_id", roomID, "err", err)
		panic(http.ErrAbortHandler) // the client must not take a cut-off file for the whole trail
	}
}

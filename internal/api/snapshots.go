package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/service"
)

type snapshotJSON struct {
	ID               string         `json:"id"`
	RoomID           string         `json:"room_id"`
	Title            string         `json:"title"`
	CreatedBy        string         `json:"created_by" doc:"user ID"`
	CreatorEmail     string         `json:"created_by_email"`
	Status           snapshotStatus `json:"status"`
	SnapshotType     snapshotType   `json:"snapshot_type"`
	IncludeDocuments bool           `json:"include_documents"`
	IncludeActivity  bool           `json:"include_activity"`
	IncludeApprovals bool           `json:"include_approvals"`
	FileSize         int64          `json:"file_size"`
	SHA256           string         `json:"sha256" doc:"of the file; empty until completed"`
	CreatedAt        time.Time      `json:"created_at" doc:"the moment whose state the snapshot holds"`
	CompletedAt      *time.Time     `json:"completed_at"`
	FailureReason    string         `json:"failure_reason,omitempty"`
	DownloadURL      string         `json:"download_url"`
}

func snapshotOf(s clearance.Snapshot) snapshotJSON {
	return snapshotJSON{ID: s.ID, RoomID: s.RoomID, Title: s.Title, CreatedBy: s.CreatedBy, CreatorEmail: s.CreatorEmail,
		Status: snapshotStatus(s.Status), SnapshotType: snapshotType(s.Type), IncludeDocuments: s.IncludeDocuments, IncludeActivity: s.IncludeActivity,
		IncludeApprovals: s.IncludeApprovals, FileSize: s.FileSize, SHA256: s.FileSHA256, CreatedAt: s.CreatedAt,
		CompletedAt: s.CompletedAt, FailureReason: s.FailureReason,
		DownloadURL: BasePath + "/rooms/" + s.RoomID + "/snapshots/" + s.ID + "/download"}
}

type createSnapshotInput struct {
	RoomPath
	Body struct {
		Title            string       `json:"title,omitempty" maxLength:"200"`
		SnapshotType     snapshotType `json:"snapshot_type"`
		IncludeDocuments *bool        `json:"include_documents,omitempty" doc:"default true"`
		IncludeActivity  *bool        `json:"include_activity,omitempty" doc:"default false"`
		IncludeApprovals *bool        `json:"include_approvals,omitempty" doc:"default true"`
	}
}

// SnapshotPath is the path of one snapshot.
type SnapshotPath struct {
	RoomPath
	SnapshotID string `path:"snapshot_id" maxLength:"64"`
}

type listSnapshotsInput struct {
	RoomPath
	PageQuery
}

type snapshotOutput struct {
	Body snapshotJSON
}

type snapshotsOutput struct {
	Body list[snapshotJSON]
}

func (h *Handlers) registerSnapshots(a huma.API, mux *http.ServeMux) {
	tags := []string{"snapshots"}
	huma.Register(a, huma.Operation{OperationID: "create-snapshot", Method: http.MethodPost, Path: "/rooms/{room_id}/snapshots", Tags: tags,
		Summary: "Capture the room's state now; the file is rendered in the background", Security: authed, DefaultStatus: http.StatusAccepted,
		Description: "Answers 202 with status generating; poll the snapshot until completed. The state is captured when this call commits."},
		func(ctx context.Context, in *createSnapshotInput) (*snapshotOutput, error) {
			b := in.Body
			s, err := h.svc.CreateSnapshot(ctx, actorOf(ctx), in.RoomID, service.NewSnapshot{Title: b.Title, Type: string(b.SnapshotType),
				IncludeDocuments: b.IncludeDocuments, IncludeActivity: b.IncludeActivity, IncludeApprovals: b.IncludeApprovals})
			if err != nil {
				return nil, err
			}
			return &snapshotOutput{Body: snapshotOf(s)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "list-snapshots", Method: http.MethodGet, Path: "/rooms/{room_id}/snapshots", Tags: tags,
		Summary: "A room's snapshots, newest first", Security: authed},
		func(ctx context.Context, in *listSnapshotsInput) (*snapshotsOutput, error) {
			snaps, next, err := h.svc.ListSnapshots(ctx, actorOf(ctx), in.RoomID, in.request())
			if err != nil {
				return nil, err
			}
			return &snapshotsOutput{Body: listOf(snaps, next, snapshotOf)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "get-snapshot", Method: http.MethodGet, Path: "/rooms/{room_id}/snapshots/{snapshot_id}", Tags: tags,
		Summary: "One snapshot", Security: authed},
		func(ctx context.Context, in *SnapshotPath) (*snapshotOutput, error) {
			s, err := h.svc.GetSnapshot(ctx, actorOf(ctx), in.RoomID, in.SnapshotID)
			if err != nil {
				return nil, err
			}
			return &snapshotOutput{Body: snapshotOf(s)}, nil
		})
	huma.Register(a, huma.Operation{OperationID: "delete-snapshot", Method: http.MethodDelete, Path: "/rooms/{room_id}/snapshots/{snapshot_id}", Tags: tags,
		Summary: "Delete a snapshot and its file; 409 when the record keeps it (its room has been cleared, or it is older than the retention period)", Security: authed, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *SnapshotPath) (*struct{}, error) {
			return nil, h.svc.DeleteSnapshot(ctx, actorOf(ctx), in.RoomID, in.SnapshotID)
		})

	mux.HandleFunc("GET "+BasePath+"/rooms/{room_id}/snapshots/{snapshot_id}/download", h.downloadSnapshot)
	a.OpenAPI().AddOperation(&huma.Operation{OperationID: "download-snapshot", Method: http.MethodGet, Path: "/rooms/{room_id}/snapshots/{snapshot_id}/download",
		Tags: tags, Summary: "Download a completed snapshot (409 while generating); recorded in the trail", Security: authed,
		Parameters: []*huma.Param{
			{Name: "room_id", In: "path", Required: true, Schema: &huma.Schema{Type: "string"}},
			{Name: "snapshot_id", In: "path", Required: true, Schema: &huma.Schema{Type: "string"}}},
		Responses: map[string]*huma.Response{
			"200": {Description: "the file as an attachment; ETag is its SHA-256"},
			"401": {Description: "not signed in"}, "404": {Description: "no such room or snapshot"},
			"409": {Description: "still generating, or failed"},
		}})
}

// downloadSnapshot streams a completed snapshot after the service's permission check.
func (h *Handlers) downloadSnapshot(w http.ResponseWriter, r *http.Request) {
	actor, err := h.bearerActor(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	snap, obj, err := h.svc.OpenSnapshotFile(r.Context(), actor, r.PathValue("room_id"), r.PathValue("snapshot_id"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer obj.Close()
	hd := w.Header()
	hd.Set("Content-Type", snap.ContentType)
	hd.Set("Content-Disposition", attachment("snapshot-"+snap.CreatedAt.Format("20060102-150405")+"-"+snap.ID[len(snap.ID)-8:]+"."+snap.Type))
	hd.Set("ETag", `"`+snap.FileSHA256+`"`)
	hd.Set("Cache-Control", "private, no-cache")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", snap.CreatedAt, obj)
}

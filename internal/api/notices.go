package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/clearance"
)

type noticeJSON struct {
	ID          string     `json:"id"`
	VesselID    string     `json:"vessel_id"`
	VesselName  string     `json:"vessel_name"`
	Kind        noticeKind `json:"kind" doc:"a notice sent, or a written permission received"`
	NotifiedAt  time.Time  `json:"notified_at" doc:"when the coastal state was notified (or gave its permission)"`
	Reference   string     `json:"reference" doc:"the notice's or permission's reference"`
	ETAAtNotice time.Time  `json:"eta_at_notice" doc:"the room's STS ETA when the notice was recorded"`
	RecordedBy  string     `json:"recorded_by" doc:"e-mail of who recorded it"`
	RecordedAt  time.Time  `json:"recorded_at"`
}

func noticeOf(n clearance.NoticeRecord) noticeJSON {
	return noticeJSON{ID: n.ID, VesselID: n.VesselID, VesselName: n.VesselName, Kind: noticeKind(n.Kind), NotifiedAt: n.NotifiedAt, Reference: n.Reference,
		ETAAtNotice: n.ETAAtNotice, RecordedBy: n.RecorderEmail, RecordedAt: n.RecordedAt}
}

type recordNoticeInput struct {
	RoomPath
	Body struct {
		VesselID   string     `json:"vessel_id" maxLength:"64" doc:"a vessel of this room"`
		Kind       noticeKind `json:"kind,omitempty" default:"notice" doc:"notice (sent) or permission (received in writing)"`
		NotifiedAt time.Time  `json:"notified_at" doc:"RFC 3339; at most 1 h in the future"`
		Reference  string     `json:"reference" maxLength:"200"`
	}
}

type noticeOutput struct {
	Body noticeJSON
}

type noticesOutput struct {
	Body struct {
		Items    []noticeJSON `json:"items" doc:"latest recorded first; a vessel's first notice here is the one in force"`
		Warnings []string     `json:"warnings" doc:"per vessel, what the room's coastal-state rule still asks: no notice, one given later than the area's lead time before the ETA, no written permission where one is required, or an ETA moved beyond the area's threshold since the latest record; these block commencement"`
	}
}

func (h *Handlers) registerNotices(a huma.API) {
	tags := []string{"notices"}
	huma.Register(a, huma.Operation{OperationID: "list-notices", Method: http.MethodGet, Path: "/rooms/{room_id}/notices", Tags: tags,
		Summary: "A room's coastal-state notices, latest recorded first, with what is wrong with the ones in force", Security: authed,
		Description: "The room's coastal state or area (GET /coastal-areas) says what it asks: a notice at least its lead time before the operation (MARPOL Annex I reg. 42: 48 h) and a new one when the ETA moves by more than its threshold (6 h), or a written permission. A vessel's latest recorded notice is the one in force, with the ETA the room had when it was recorded."},
		func(ctx context.Context, in *RoomPath) (*noticesOutput, error) {
			notices, warnings, err := h.svc.ListNotices(ctx, actorOf(ctx), in.RoomID)
			if err != nil {
				return nil, err
			}
			out := &noticesOutput{}
			out.Body.Items = listOf(notices, "", noticeOf).Items
			out.Body.Warnings = append([]string{}, warnings...)
			return out, nil
		})
	huma.Register(a, huma.Operation{OperationID: "record-notice", Method: http.MethodPost, Path: "/rooms/{room_id}/notices", Tags: tags,
		Summary: "Record a coastal-state notice (or permission) for a vessel", Security: authed, DefaultStatus: http.StatusCreated,
		Description: "The room's current STS ETA is stored with the notice. A vessel of another room is a 422 naming vessel_id."},
		func(ctx context.Context, in *recordNoticeInput) (*noticeOutput, error) {
			b := in.Body
			n, err := h.svc.RecordNotice(ctx, actorOf(ctx), in.RoomID, b.VesselID, string(b.Kind), b.NotifiedAt, b.Reference)
			if err != nil {
				return nil, err
			}
			return &noticeOutput{Body: noticeOf(n)}, nil
		})
}

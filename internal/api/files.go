package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/httpx"
	"github.com/stshub/stshub/internal/reqinfo"
	"github.com/stshub/stshub/internal/service"
)

// Uploads and downloads stream, so they are plain net/http handlers rather than huma
// operations; they are described in the OpenAPI document all the same.

// registerFiles mounts the streaming routes on mux and documents them in the API description.
func (h *Handlers) registerFiles(a huma.API, mux *http.ServeMux, maxUpload int64) {
	h.maxUpload = maxUpload
	mux.HandleFunc("POST "+BasePath+"/rooms/{room_id}/documents", h.upload)
	mux.HandleFunc("GET "+BasePath+"/rooms/{room_id}/documents/{document_id}/download", h.download)
	mux.HandleFunc("GET "+BasePath+"/rooms/{room_id}/documents/{document_id}/preview", h.preview)

	oapi := a.OpenAPI()
	docSchema := oapi.Components.Schemas.Schema(reflect.TypeOf(documentJSON{}), true, "Document")
	problem := func(desc string) *huma.Response {
		return &huma.Response{Description: desc, Content: map[string]*huma.MediaType{httpx.ProblemContentType: {}}}
	}
	roomParam := &huma.Param{Name: "room_id", In: "path", Required: true, Schema: &huma.Schema{Type: "string"}}
	str := func(desc string) *huma.Schema { return &huma.Schema{Type: "string", Description: desc} }
	oapi.AddOperation(&huma.Operation{OperationID: "upload-document", Method: http.MethodPost, Path: "/rooms/{room_id}/documents",
		Tags: []string{"documents"}, Summary: "Upload a new version of a document (multipart, streamed)", Security: authed,
		Description: fmt.Sprintf("Send the form fields before the `file` part. The content type is sniffed: PDF, images, Office files and plain text are accepted, anything else is 415. Files over %d bytes are 413. The document goes (back) to under_review.", maxUpload),
		Parameters: []*huma.Param{roomParam, {Name: service.IdempotencyKeyField, In: "header", Schema: &huma.Schema{Type: "string", MaxLength: new(service.MaxIdempotencyKey)},
			Description: fmt.Sprintf("a key of your choice (a UUID) that makes the upload safe to retry: sent again by you with the same key within %d hours, the same upload is answered with the version the first one created (201, header `Idempotent-Replayed: true`) and adds none; the same key with another room, document, field or file is 422", int(service.IdempotencyWindow.Hours()))}},
		RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{"multipart/form-data": {Schema: &huma.Schema{
			Type: "object", Required: []string{"type", "file"},
			Properties: map[string]*huma.Schema{
				"type":         str("catalogue code, e.g. Q88"),
				"vessel_id":    str("the vessel, for per-vessel types"),
				"expires_on":   str("YYYY-MM-DD; required for types with an expiry date"),
				"performed_at": str("RFC 3339; required for point-in-time evidence"),
				"notes":        str("free text"),
				"outcome": {Type: "string", Enum: enumSchema(clearance.Outcomes()).Enum,
					Description: "a screening's (SANCTIONS, AIS) outcome; required for a screening, refused for any other type. A match puts the room on a compliance hold"},
				"provider":           str("who ran the screening; required for a screening"),
				"remark":             str("the screening's remark; required for a match (what matched)"),
				"registered_owner":   str("the registered owner screened; defaults to the vessel's"),
				"manager":            str("the manager (DOC company) screened; defaults to the vessel's"),
				"counterparties":     str("the counterparties screened, one a line (or separated by ;); defaults to the room's charterer, seller and buyer parties"),
				"counterparty_ships": str("IMO numbers of the other ships screened, separated by new lines, ; or ,; defaults to the room's other vessels"),
				"file":               {Type: "string", Format: "binary"},
			}}}}},
		Responses: map[string]*huma.Response{
			"201": {Description: "the document with its new version", Content: map[string]*huma.MediaType{"application/json": {Schema: docSchema}}},
			"400": problem("malformed or interrupted upload"), "401": problem("not signed in"), "403": problem("the role may not upload"),
			"404": problem("no such room"), "409": problem("conflict"), "413": problem("file too large"),
			"415": problem("file type not accepted"), "422": problem("invalid fields"),
		}})
	oapi.AddOperation(&huma.Operation{OperationID: "download-document", Method: http.MethodGet, Path: "/rooms/{room_id}/documents/{document_id}/download",
		Tags: []string{"documents"}, Summary: "Download a version (the latest unless ?version=ID); supports Range and If-None-Match; recorded in the trail", Security: authed,
		Parameters: []*huma.Param{roomParam,
			{Name: "document_id", In: "path", Required: true, Schema: &huma.Schema{Type: "string"}},
			{Name: "version", In: "query", Schema: &huma.Schema{Type: "string"}, Description: "a version ID"}},
		Responses: map[string]*huma.Response{
			"200": {Description: "the file, as an attachment; ETag is its SHA-256", Content: map[string]*huma.MediaType{"application/octet-stream": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}},
			"206": {Description: "the requested range"}, "304": {Description: "not modified"},
			"401": problem("not signed in"), "404": problem("no such room, document or version"),
		}})
	oapi.AddOperation(&huma.Operation{OperationID: "preview-document", Method: http.MethodGet, Path: "/rooms/{room_id}/documents/{document_id}/preview",
		Tags: []string{"documents"}, Summary: "Show a version in the browser (the latest unless ?version=ID): PDFs and PNG, JPEG, GIF or WebP images only; recorded in the trail as a view", Security: authed,
		Description: "The same permission check as the download. The file is sent `Content-Disposition: inline` under its sniffed type with `X-Content-Type-Options: nosniff` and a `Content-Security-Policy` under which it loads nothing and only this site may frame it; an image is sandboxed too, a PDF is not (browsers' PDF viewers do not run in a sandboxed document). Any other type (HTML, SVG, Office, text) is 409: download it instead. The trail records `document_previewed` once per person, version and hour, however many requests (ranges, revisits) the viewing takes; the download records every request.",
		Parameters: []*huma.Param{roomParam,
			{Name: "document_id", In: "path", Required: true, Schema: &huma.Schema{Type: "string"}},
			{Name: "version", In: "query", Schema: &huma.Schema{Type: "string"}, Description: "a version ID"}},
		Responses: map[string]*huma.Response{
			"200": {Description: "the file, inline", Content: map[string]*huma.MediaType{"application/pdf": {Schema: &huma.Schema{Type: "string", Format: "binary"}},
				"image/*": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}},
			"206": {Description: "the requested range"}, "304": {Description: "not modified"},
			"401": problem("not signed in"), "404": problem("no such room, document or version"), "409": problem("not a file the browser may show: download it"),
		}})
}

// preview streams a PDF or an image version inline, after the service's permission check
// (which records the view in the trail once an hour).
func (h *Handlers) preview(w http.ResponseWriter, r *http.Request) {
	actor, err := h.bearerActor(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, obj, err := h.svc.OpenPreview(r.Context(), actor, r.PathValue("room_id"), r.PathValue("document_id"), r.URL.Query().Get("version"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer obj.Close()
	httpx.ServeInline(w, r, v.ContentType, v.SHA256, v.UploadedAt, obj)
}

// bearerActor authenticates a plain handler's request the way the huma middleware does.
func (h *Handlers) bearerActor(r *http.Request) (service.Actor, error) {
	token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	actor, err := h.svc.Authenticate(r.Context(), strings.TrimSpace(token))
	if err == nil {
		reqinfo.From(r.Context()).UserID = actor.UserID
	}
	return actor, err
}

func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	httpx.WriteError(w, r, h.log, httpx.TooLarge(err))
}

// upload streams a multipart form into the service: form fields first, then the file part
// goes straight to the file store.
func (h *Handlers) upload(w http.ResponseWriter, r *http.Request) {
	actor, err := h.bearerActor(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	roomID := r.PathValue("room_id")
	// Permission before reading a byte of the body.
	if err := h.svc.AuthorizeUpload(r.Context(), actor, roomID); err != nil {
		h.fail(w, r, err)
		return
	}
	in := service.UploadInput{IdempotencyKey: r.Header.Get(service.IdempotencyKeyField)}
	err = httpx.ReadUpload(w, r, httpx.UploadForm{
		MaxFile:      h.maxUpload,
		NotMultipart: fmt.Errorf("send multipart/form-data: %w", apperr.ErrUnsupportedMedia),
		NoBoundary:   fmt.Errorf("not a multipart body: %w", apperr.ErrBadRequest),
		Unreadable: func(cause error) error {
			return fmt.Errorf("malformed multipart body: %w: %w", apperr.ErrBadRequest, cause)
		},
		NoFile: apperr.Invalid("file", "is required"),
		Field: func(name, value string) error {
			if !in.SetField(name, value) {
				return apperr.Invalid(name, "is not a field of this form")
			}
			return nil
		},
		File: func(filename string, file io.Reader) error {
			in.Filename, in.File = filename, file
			doc, replayed, err := h.svc.UploadReplayable(r.Context(), actor, roomID, in)
			if err != nil {
				return err
			}
			if replayed {
				w.Header().Set("Idempotent-Replayed", "true")
			}
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Location", BasePath+"/rooms/"+roomID+"/documents/"+doc.ID)
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(documentOf(doc))
			return nil
		},
	})
	if err != nil {
		h.fail(w, r, err)
	}
}

// download streams a stored version after the service's permission check, as an attachment.
func (h *Handlers) download(w http.ResponseWriter, r *http.Request) {
	actor, err := h.bearerActor(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v, obj, err := h.svc.OpenVersion(r.Context(), actor, r.PathValue("room_id"), r.PathValue("document_id"), r.URL.Query().Get("version"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer obj.Close()
	hd := w.Header()
	hd.Set("Content-Type", v.ContentType)
	hd.Set("Content-Disposition", attachment(v.Filename))
	hd.Set("ETag", `"`+v.SHA256+`"`)
	hd.Set("Cache-Control", "private, no-cache")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	httpx.LimitRanges(r)
	http.ServeContent(w, r, "", v.UploadedAt, obj)
}

// attachment is a Content-Disposition that offers the file for saving under its name:
// an ASCII fallback and the UTF-8 original (RFC 6266, with RFC 8187 encoding).
func attachment(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, extValue(name))
}

// extValue percent-encodes every byte of s that RFC 8187 does not allow as an attr-char.
func extValue(s string) string {
	const attrChar = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || strings.IndexByte(attrChar, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

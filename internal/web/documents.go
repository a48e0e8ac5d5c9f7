package web

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/httpx"
	"github.com/stshub/stshub/internal/service"
)

// documentData is one document of a room: its review, its versions, and the forms to
// review it and upload a new version.
type documentData struct {
	RoomID string
	Room   service.RoomView
	Doc    service.DocumentView
	Can    map[string]bool
	caller
	// Which date the upload form asks for, from the document type.
	NeedsExpiry      bool
	NeedsPerformedAt bool
	MaxUpload        int64
	Now              string // default for performed_at (UTC, datetime-local)
	// Screening: the type is a screening; its upload asks for an outcome (one of Outcomes),
	// the provider, a remark and what it screened.
	Screening bool
	Outcomes  []clearance.Outcome
	// Questions are the questions on the document with their threads (questions.go).
	Questions []service.QuestionView
	// The upload form warns before sending an expiry date earlier than ValidFrom (already
	// expired: it asks to confirm) or than ThroughFrom (lapses during the operation, which
	// ends at WindowEnd), both YYYY-MM-DD.
	ValidFrom, ThroughFrom string
	WindowEnd              time.Time
}

func docURL(roomID, docID string) string {
	return "/rooms/" + url.PathEscape(roomID) + "/documents/" + url.PathEscape(docID)
}

// loadDocument reads a document's page: what the caller may do, the room and the document
// (on the one membership read of the request's page scope, see signedIn).
func (h *handler) loadDocument(ctx context.Context, actor service.Actor, roomID, docID string) (*documentData, error) {
	perms, err := h.svc.RoomActions(ctx, actor, roomID)
	if err != nil {
		return nil, err
	}
	room, err := h.svc.GetRoom(ctx, actor, roomID)
	if err != nil {
		return nil, err
	}
	doc, err := h.svc.GetDocument(ctx, actor, roomID, docID)
	if err != nil {
		return nil, err
	}
	questions, err := h.svc.ListQuestions(ctx, actor, roomID, docID)
	if err != nil {
		return nil, err
	}
	d := &documentData{RoomID: roomID, Room: room, Doc: doc, Can: map[string]bool{}, caller: callerOf(actor, perms), MaxUpload: h.maxUpload, Questions: questions,
		NeedsExpiry: doc.Type.Expiry == clearance.ExpiryDate, NeedsPerformedAt: doc.Type.Expiry == clearance.ExpiryPointInTime,
		Now: inputTime(time.Now()), Screening: clearance.IsScreening(doc.TypeCode), Outcomes: clearance.Outcomes()}
	for _, a := range perms.Actions {
		d.Can[string(a)] = true
	}
	if d.NeedsExpiry {
		endsAt := doc.Type.ValidityEnd()
		d.WindowEnd = room.WindowEnd()
		d.ValidFrom = clearance.FirstDateValidAt(endsAt, time.Now()).Format(time.DateOnly)
		d.ThroughFrom = clearance.FirstDateValidAt(endsAt, d.WindowEnd).Format(time.DateOnly)
	}
	return d, nil
}

// fieldAcknowledgeExpired is the upload form's confirmation that an expiry date already
// past is meant: the web asks for it before storing such an upload (the API takes it, and
// its answer says the document has expired).
const fieldAcknowledgeExpired = "acknowledge_expired"

// checkExpiredAcknowledged refuses an upload of type t whose expiry date (in, as typed)
// has already passed at now, unless the form confirms it.
func checkExpiredAcknowledged(t clearance.DocumentType, expiresOn string, acknowledged bool, now time.Time) error {
	on, err := clearance.ParseDate(strings.TrimSpace(expiresOn))
	if err != nil || acknowledged || !on.Before(clearance.FirstDateValidAt(t.ValidityEnd(), now)) {
		return nil // a date that does not parse is the service's to refuse
	}
	return apperr.Invalid(fieldAcknowledgeExpired, "the expiry date "+on.Format(time.DateOnly)+
		" has passed: this version has already expired and cannot be approved. Correct the date, or confirm that you upload it as it is (choose the file again)")
}

func (h *handler) documentHost(ctx context.Context, actor service.Actor, roomID, docID string) (string, *page, error) {
	since, err := h.liveSince(ctx, actor, roomID) // before the page's data: never newer than it
	if err != nil {
		return "", nil, err
	}
	d, err := h.loadDocument(ctx, actor, roomID, docID)
	if err != nil {
		return "", nil, err
	}
	title := d.Doc.Type.Name
	if d.Doc.VesselName != "" {
		title += " — " + d.Doc.VesselName
	}
	return "document", &page{Title: title, Nav: "rooms", RoomID: roomID, LiveSince: since, Data: d}, nil
}

// documentPage shows one document with its history and its review and upload forms.
func (h *handler) documentPage(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	name, p, err := h.documentHost(r.Context(), actor, roomID, r.PathValue("doc"))
	if err != nil {
		h.renderError(w, r, err, roomURL(roomID, "documents"))
		return
	}
	h.renderPage(w, r, http.StatusOK, name, p)
}

// documentSection answers htmx's re-fetch of the document page's live part.
func (h *handler) documentSection(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID, docID := r.PathValue("room"), r.PathValue("doc")
	if !isHTMX(r) {
		http.Redirect(w, r, docURL(roomID, docID), http.StatusSeeOther)
		return
	}
	_, p, err := h.documentHost(r.Context(), actor, roomID, docID)
	if err != nil {
		h.renderError(w, r, err, "")
		return
	}
	h.renderFragment(w, r, http.StatusOK, "section-document", p)
}

// reviewSpec is where a review form lives: the document page, or the room's document
// checklist (its quick approve button says so in the field "from").
func (h *handler) reviewSpec(r *http.Request, actor service.Actor, name string) (formSpec, string) {
	roomID, docID := r.PathValue("room"), r.PathValue("doc")
	if r.PostFormValue("from") == "room" {
		return h.roomFormSpec(r, actor, "documents", "documents", ""), roomURL(roomID, "documents")
	}
	return formSpec{name: name, anchor: "document", fragment: "section-document", host: func(*formState) (string, *page, error) {
		return h.documentHost(r.Context(), actor, roomID, docID)
	}}, docURL(roomID, docID)
}

func docLabel(d service.DocumentView) string {
	if d.VesselName != "" {
		return d.TypeCode + " of " + d.VesselName
	}
	return d.TypeCode
}

func (h *handler) approve(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	spec, back := h.reviewSpec(r, actor, "review")
	// The review panel asks for both when the document lapses before the operation ends.
	in := service.ApproveInput{AcknowledgeLapse: r.PostFormValue("acknowledge_lapse") != "", Note: r.PostFormValue("note")}
	d, err := h.svc.ApproveDocument(r.Context(), actor, r.PathValue("room"), r.PathValue("doc"), in)
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	h.done(w, r, back, docLabel(d)+" approved.")
}

func (h *handler) reject(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	spec, back := h.reviewSpec(r, actor, "reject")
	d, err := h.svc.RejectDocument(r.Context(), actor, r.PathValue("room"), r.PathValue("doc"), r.PostFormValue("reason"))
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	h.done(w, r, back, docLabel(d)+" rejected; the uploader sees your reason.")
}

func (h *handler) waive(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	spec, back := h.reviewSpec(r, actor, "waive")
	d, err := h.svc.WaiveRequirement(r.Context(), actor, r.PathValue("room"), r.PathValue("doc"), r.PostFormValue("reason"))
	if err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	h.done(w, r, back, docLabel(d)+" is no longer required.")
}

// upload streams a new version into the service: the form's fields come first, then the
// file part goes straight to the file store without being buffered (the page's form puts
// the file input last, and browsers send fields in form order). The permission is checked
// before a byte of the body is read.
func (h *handler) upload(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID, docID := r.PathValue("room"), r.PathValue("doc")
	spec := formSpec{name: "upload", anchor: "upload", fragment: "section-document", host: func(*formState) (string, *page, error) {
		return h.documentHost(r.Context(), actor, roomID, docID)
	}}
	// The slot's type and vessel come from the document itself, not from the form.
	doc, err := h.svc.GetDocument(r.Context(), actor, roomID, docID)
	if err != nil {
		h.renderError(w, r, err, roomURL(roomID, "documents"))
		return
	}
	if err := h.svc.AuthorizeUpload(r.Context(), actor, roomID); err != nil {
		h.refuse(w, r, spec, err)
		return
	}
	in := service.UploadInput{TypeCode: doc.TypeCode, VesselID: deref(doc.VesselID)}
	r.PostForm = url.Values{} // what the form is shown again with, if refused
	noFile := apperr.Invalid("file", "is required: choose the file to upload")
	err = httpx.ReadUpload(w, r, httpx.UploadForm{
		MaxFile:      h.maxUpload,
		NotMultipart: fmt.Errorf("the form must be sent as multipart/form-data: %w", apperr.ErrBadRequest),
		NoBoundary:   fmt.Errorf("the upload could not be read: %w", apperr.ErrBadRequest),
		Unreadable: func(error) error {
			return fmt.Errorf("the upload was interrupted: %w", apperr.ErrBadRequest)
		},
		NoFile: noFile,
		Field: func(name, value string) error {
			r.PostForm.Set(name, value)
			if name != "type" && name != "vessel_id" { // the slot's, taken from the document above
				in.SetField(name, value) // and any other field is ignored
			}
			return nil
		},
		File: func(filename string, file io.Reader) error {
			if err := checkExpiredAcknowledged(doc.Type, in.ExpiresOn, r.PostForm.Get(fieldAcknowledgeExpired) != "", time.Now()); err != nil {
				return err
			}
			var fe fieldErrors
			if in.PerformedAt != "" {
				if t, err := parseUTC(in.PerformedAt); err != nil {
					fe.c.Add("performed_at", "must be a date and time, YYYY-MM-DD HH:MM (UTC)")
				} else {
					in.PerformedAt = t.Format(time.RFC3339)
				}
			}
			if err := fe.err(); err != nil {
				return err
			}
			if filename == "" { // the file input was left empty
				return noFile
			}
			in.Filename, in.File = filename, file
			d, err := h.svc.Upload(r.Context(), actor, roomID, in)
			if err != nil {
				return err
			}
			version := 0
			if len(d.Versions) > 0 {
				version = d.Versions[0].Number
			}
			h.done(w, r, docURL(roomID, docID), fmt.Sprintf("Version %d of %s uploaded; it is now under review.", version, docLabel(d)))
			return nil
		},
	})
	if err != nil {
		h.refuse(w, r, spec, err)
	}
}

// downloadVersion streams a stored version after the service's permission check, as an
// attachment that the browser saves rather than shows.
func (h *handler) downloadVersion(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	v, obj, err := h.svc.OpenVersion(r.Context(), actor, roomID, r.PathValue("doc"), r.PathValue("version"))
	if err != nil {
		h.renderError(w, r, err, roomURL(roomID, "documents"))
		return
	}
	defer obj.Close()
	serveAttachment(w, r, v.ContentType, v.Filename, v.SHA256, v.UploadedAt, obj)
}

// previewVersion shows a stored PDF or image in the browser after the same permission check
// as its download (service.OpenPreview, which records the view once an hour), inline under
// the policy of its type (httpx.ServeInline); any other file is refused with the reason,
// and stays a download.
func (h *handler) previewVersion(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	v, obj, err := h.svc.OpenPreview(r.Context(), actor, roomID, r.PathValue("doc"), r.PathValue("version"))
	if err != nil {
		h.renderError(w, r, err, docURL(roomID, r.PathValue("doc")))
		return
	}
	defer obj.Close()
	httpx.ServeInline(w, r, v.ContentType, v.SHA256, v.UploadedAt, obj)
}

// serveAttachment sends a stored file for saving: the sniffed content type, never shown
// inline (attachment, nosniff, a sandboxing policy), Range and If-None-Match supported.
func serveAttachment(w http.ResponseWriter, r *http.Request, contentType, filename, sha string, modified time.Time, content io.ReadSeeker) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": filename})
	if disposition == "" {
		disposition = `attachment; filename="download"`
	}
	hd.Set("Content-Disposition", disposition)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("ETag", `"`+sha+`"`)
	hd.Set("Cache-Control", "private, no-cache")
	httpx.LimitRanges(r)
	http.ServeContent(w, r, "", modified, content)
}

// addRequirement makes a catalogue type required in the room (for one vessel when the type
// is supplied per vessel), or requires again one that was waived.
func (h *handler) addRequirement(w http.ResponseWriter, r *http.Request, actor service.Actor) {
	roomID := r.PathValue("room")
	d, err := h.svc.AddRequirement(r.Context(), actor, roomID, r.PostFormValue("type"), r.PostFormValue("vessel_id"))
	if err != nil {
		h.refuse(w, r, h.roomFormSpec(r, actor, "requirement", "documents", ""), err)
		return
	}
	h.done(w, r, roomURL(roomID, "documents"), docLabel(d)+" is now required.")
}

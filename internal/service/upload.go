package service

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/store"
)

// UploadInput is one file for one document of a room. The fields are checked before a
// single byte of File is stored.
type UploadInput struct {
	TypeCode    string
	VesselID    string
	ExpiresOn   string // YYYY-MM-DD; required for types with an expiry date
	PerformedAt string // RFC 3339; required for point-in-time evidence
	Notes       string
	Filename    string    // the client's name for the file: shown, never used as a path
	File        io.Reader // streamed to the file store
	// IdempotencyKey, when set, makes a retry of this upload answer with the version the
	// first one created (idempotency.go).
	IdempotencyKey string

	// A screening's (clearance.IsScreening) outcome, provider and remark, and what of its
	// subjects the form names (lists: one a line, or separated by ";"; IMO numbers by "," too); refused for
	// any other type.
	Outcome, Provider, Remark                                   string
	RegisteredOwner, Manager, Counterparties, CounterpartyShips string
}

// SetField sets the input's field of that name (type, vessel_id, expires_on, performed_at,
// notes, and a screening's outcome, provider, remark, registered_owner, manager,
// counterparties and counterparty_ships: the names the upload forms send and its field
// errors use) and reports whether there is one.
func (in *UploadInput) SetField(name, value string) bool {
	switch name {
	case "type":
		in.TypeCode = value
	case "vessel_id":
		in.VesselID = value
	case "expires_on":
		in.ExpiresOn = value
	case "performed_at":
		in.PerformedAt = value
	case "notes":
		in.Notes = value
	case fieldOutcome:
		in.Outcome = value
	case fieldProvider:
		in.Provider = value
	case fieldRemark:
		in.Remark = value
	case fieldRegisteredOwner:
		in.RegisteredOwner = value
	case fieldManager:
		in.Manager = value
	case fieldCounterparties:
		in.Counterparties = value
	case fieldCounterpartyShips:
		in.CounterpartyShips = value
	default:
		return false
	}
	return true
}

// AuthorizeUpload checks, before the request body is read, that the caller may upload in
// the room, so a non-party cannot make the server store anything.
func (s *Service) AuthorizeUpload(ctx context.Context, actor Actor, roomID string) error {
	_, err := authorizeRoom(ctx, s.db.Read(), actor, roomID, authz.UploadDocument)
	return err
}

// Upload stores a new version of a room's document: the file goes to the file store
// (streamed, hashed, fsynced, held from the sweep), then the version row and its audit
// entry commit together. A failure after the file was stored deletes nothing: the blob may
// be another upload's too, and the sweep collects it once nothing keeps it.
func (s *Service) Upload(ctx context.Context, actor Actor, roomID string, in UploadInput) (DocumentView, error) {
	doc, _, err := s.UploadReplayable(ctx, actor, roomID, in)
	return doc, err
}

// UploadReplayable is Upload, reporting replayed when in.IdempotencyKey names an earlier
// upload of the actor's asking for the same (idempotency.go): its document is the answer,
// and no version is added.
func (s *Service) UploadReplayable(ctx context.Context, actor Actor, roomID string, in UploadInput) (doc DocumentView, replayed bool, err error) {
	m, err := authorizeMember(ctx, s.db.Read(), actor, roomID, authz.UploadDocument)
	if err != nil {
		return DocumentView{}, false, err
	}
	if err := checkIdempotencyKey(in.IdempotencyKey); err != nil {
		return DocumentView{}, false, err
	}
	t, meta, err := s.checkUpload(ctx, roomID, &in)
	if err != nil {
		return DocumentView{}, false, err
	}
	// Who may supply this type, for this vessel, is known before a byte is stored.
	supply := request{action: authz.UploadDocument, vesselID: in.VesselID, docType: &t}
	if err := permit(m, supply); err != nil {
		return DocumentView{}, false, err
	}
	br := bufio.NewReaderSize(in.File, files.SniffLen)
	head, err := br.Peek(files.SniffLen)
	if err != nil && !errors.Is(err, io.EOF) {
		return DocumentView{}, false, fmt.Errorf("the upload was interrupted: %w", apperr.ErrBadRequest)
	}
	if len(head) == 0 {
		return DocumentView{}, false, apperr.Invalid("file", "is empty")
	}
	contentType, ok := files.Sniff(head, in.Filename)
	if !ok {
		return DocumentView{}, false, fmt.Errorf("files of type %s are not accepted (PDF, images, Office files and plain text are): %w", contentType, apperr.ErrUnsupportedMedia)
	}
	blob, hold, err := s.storeHeld(ctx, bodyReader{br}, s.opts.MaxUploadBytes)
	defer s.release(hold)
	if err != nil {
		var be bodyError
		if errors.As(err, &be) && !errors.Is(err, apperr.ErrTooLarge) {
			return DocumentView{}, false, fmt.Errorf("the upload was interrupted: %w: %w", apperr.ErrBadRequest, be.err)
		}
		return DocumentView{}, false, err
	}
	fingerprint := uploadFingerprint(roomID, in, blob.SHA256)
	var docID string
	commit := func(tx store.Q) error {
		// Again inside the transaction: the caller may have been removed or unbound meanwhile.
		m, err := authorizeRequest(ctx, tx, actor, roomID, supply)
		if err != nil {
			return err
		}
		onBehalfOf, err := clearance.MaySupply(t, authz.Role(m.Role))
		if err != nil {
			return err
		}
		now := s.now()
		prior, found, err := priorUpload(ctx, tx, actor.UserID, in.IdempotencyKey, fingerprint, now)
		if err != nil || found {
			docID, replayed = prior.DocumentID, found
			return err
		}
		d, err := tx.FindDocument(ctx, roomID, t.Code, in.VesselID)
		if errors.Is(err, apperr.ErrNotFound) {
			// Not required in this room: kept as an additional, informative document.
			d = store.Document{ID: newID(), RoomID: roomID, TypeCode: t.Code, VesselID: optional(in.VesselID),
				Status: string(clearance.DocMissing), Criticality: string(t.Criticality), Required: false, CreatedAt: now, UpdatedAt: now}
			if err := tx.CreateDocument(ctx, d); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		next, err := clearance.Transition(clearance.DocStatus(d.Status), clearance.EventUpload)
		if err != nil {
			return err
		}
		v := clearance.DocumentVersion{ID: newID(), DocumentID: d.ID, RoomID: roomID, Number: d.VersionCount + 1, SHA256: blob.SHA256,
			Size: blob.Size, ContentType: contentType, Filename: in.Filename, ExpiresOn: meta.expiresOn, PerformedAt: meta.performedAt,
			Notes: in.Notes, UploadedBy: actor.UserID, UploaderEmail: actor.Email, UploadedAt: now, OnBehalfOf: onBehalfOf}
		screening := clearance.IsScreening(t.Code)
		if screening {
			r, err := screeningRoom(ctx, tx, roomID, in.VesselID)
			if err != nil {
				return err
			}
			subjects := clearance.DefaultSubjects(t.Code, meta.screening.subjects, r)
			v.Outcome, v.Provider, v.Remark, v.Subjects = meta.screening.outcome, meta.screening.provider, meta.screening.remark, &subjects
		}
		if err := tx.AddVersion(ctx, v); err != nil {
			return err
		}
		if in.IdempotencyKey != "" {
			if err := tx.SaveUploadKey(ctx, store.UploadKey{UserID: actor.UserID, Key: in.IdempotencyKey, Fingerprint: fingerprint,
				RoomID: roomID, DocumentID: d.ID, VersionID: v.ID, CreatedAt: now}); err != nil {
				return err
			}
		}
		previous := d.Status
		d.Status, d.VersionCount, d.ExpiresOn, d.PerformedAt, d.UpdatedAt = string(next), v.Number, v.ExpiresOn, v.PerformedAt, now
		d.ReviewReason, d.ReviewedBy, d.ReviewerEmail, d.ReviewedAt = "", "", "", nil
		d.Outcome, d.RerunReason = v.Outcome, "" // a new version is the re-run
		if in.Notes != "" {
			d.Notes = in.Notes
		}
		if err := tx.SaveDocument(ctx, d); err != nil {
			return err
		}
		docID = d.ID
		uploaded := map[string]any{"type": t.Code, "vessel_id": in.VesselID, "version": v.Number, "version_id": v.ID, "sha256": v.SHA256,
			"size": v.Size, "content_type": contentType, "filename": v.Filename, "expires_on": dateString(v.ExpiresOn),
			"previous_status": previous, "on_behalf_of": string(onBehalfOf)}
		if screening {
			uploaded["outcome"], uploaded["provider"], uploaded["remark"], uploaded["subjects"] = string(v.Outcome), v.Provider, v.Remark, v.Subjects
		}
		if err := s.record(ctx, tx, actor, event{scope: roomID, action: audit.ActionDocumentUploaded, targetType: "document", targetID: d.ID,
			meta: uploaded}); err != nil {
			return err
		}
		if next == clearance.DocUnderReview {
			if err := s.notifyAwaitsReview(ctx, tx, actor, m.Room, d, t); err != nil {
				return err
			}
		}
		if v.Outcome.IsMatch() {
			label := t.Code
			if v.Subjects != nil && v.Subjects.Vessel.Name != "" {
				label = screeningLabel(t.Code, v.Subjects.Vessel.Name)
			}
			match := clearance.MatchState{DocumentID: d.ID, Label: label, Outcome: v.Outcome, Required: d.Required}
			if err := s.holdForScreening(ctx, tx, actor, roomID, match); err != nil {
				return err
			}
		}
		if err := s.followGate(ctx, tx, actor, roomID); err != nil {
			return err
		}
		return hold.handOver(ctx, tx, now)
	}
	err = s.db.InTx(ctx, commit)
	if in.IdempotencyKey != "" && errors.Is(err, apperr.ErrConflict) {
		// A retry with the same key that committed just before this one: answer with it.
		err = s.db.InTx(ctx, commit)
	}
	if err != nil {
		return DocumentView{}, false, err
	}
	doc, err = s.committedDocumentView(ctx, roomID, docID)
	return doc, replayed, err
}

// bodyReader marks the errors of reading the client's file, so a truncated upload (the
// client's fault, 400) is told apart from a failing file store (the server's, 500).
type bodyReader struct{ r io.Reader }

func (b bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		err = bodyError{err}
	}
	return n, err
}

type bodyError struct{ err error }

func (e bodyError) Error() string { return e.err.Error() }
func (e bodyError) Unwrap() error { return e.err }

type uploadMeta struct {
	expiresOn, performedAt *time.Time
	screening              screeningInput
}

// checkUpload validates an upload's fields and cleans the file name.
func (s *Service) checkUpload(ctx context.Context, roomID string, in *UploadInput) (clearance.DocumentType, uploadMeta, error) {
	var meta uploadMeta
	if strings.TrimSpace(in.TypeCode) == "" {
		return clearance.DocumentType{}, meta, apperr.Invalid("type", "is required (send the form fields before the file)")
	}
	in.VesselID = strings.TrimSpace(in.VesselID)
	t, err := s.slotType(ctx, s.db.Read(), roomID, in.TypeCode, in.VesselID)
	c := collectorOf(err)
	if err != nil && len(c.Fields()) == 0 {
		return t, meta, err
	}
	in.ExpiresOn, in.PerformedAt = strings.TrimSpace(in.ExpiresOn), strings.TrimSpace(in.PerformedAt)
	switch {
	case in.ExpiresOn != "" && t.Expiry != clearance.ExpiryDate:
		c.Add("expires_on", "does not apply: "+t.Code+" has no expiry date")
	case in.ExpiresOn != "":
		d, err := clearance.ParseDate(in.ExpiresOn)
		if err != nil {
			c.Add("expires_on", err.Error())
		}
		meta.expiresOn = &d
	case t.Expiry == clearance.ExpiryDate:
		c.Add("expires_on", "is required: "+t.Code+" has an expiry date")
	}
	switch {
	case in.PerformedAt != "" && t.Expiry != clearance.ExpiryPointInTime:
		c.Add("performed_at", "does not apply: "+t.Code+" is not point-in-time evidence")
	case in.PerformedAt != "":
		p, err := time.Parse(time.RFC3339, in.PerformedAt)
		switch {
		case err != nil:
			c.Add("performed_at", "must be an RFC 3339 time")
		case p.After(s.now().Add(time.Hour)):
			// Evidence as of a time cannot be from the future: it would outlive its age limit.
			c.Add("performed_at", "must not be in the future")
		}
		p = p.UTC().Truncate(time.Microsecond)
		meta.performedAt = &p
	case t.Expiry == clearance.ExpiryPointInTime:
		c.Add("performed_at", "is required: "+t.Code+" is evidence as of a time")
	}
	meta.screening = checkScreening(&c, t, in)
	in.Notes = strings.TrimSpace(in.Notes)
	if len([]rune(in.Notes)) > 2000 {
		c.Add("notes", "must be at most 2000 characters")
	}
	in.Filename = cleanFilename(in.Filename)
	return t, meta, c.Err()
}

// cleanFilename keeps only the last element of the client's file name, without control
// characters or path separators, at most 200 characters. It is only ever shown and offered
// back in Content-Disposition; files are stored under their hash.
func cleanFilename(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = filepath.Base(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '/' || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(strings.Trim(name, "."))
	if r := []rune(name); len(r) > 200 {
		name = string(r[len(r)-200:])
	}
	if name == "" || name == "/" {
		return "document"
	}
	return name
}

func dateString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

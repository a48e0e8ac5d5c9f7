package httpx

import (
	"bufio"
	"cmp"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"sync"

	"github.com/stshub/stshub/internal/apperr"
)

// MaxFormField bounds each text field of an upload form.
const MaxFormField = 64 << 10

// formOverhead is what an upload form's body may carry besides its file: the text fields
// and the multipart framing.
const formOverhead = 1 << 20

// ReadUpload's own refusals of a form, where its UploadForm leaves them unworded.
var (
	// ErrNotMultipart: the body is not multipart/form-data.
	ErrNotMultipart = errors.New("the body is not multipart/form-data")
	// ErrNoBoundary: a multipart/form-data body without the boundary that separates its parts.
	ErrNoBoundary = errors.New("the multipart body has no boundary")
	// ErrNoFile: the form ended without a file part.
	ErrNoFile = errors.New("the form has no file part")
)

// FormError is a part of an upload form that could not be read: the body is malformed,
// was cut short, or went over its limit (Err is then an *http.MaxBytesError, which
// TooLarge recognises).
type FormError struct{ Err error }

func (e *FormError) Error() string { return "the form could not be read: " + e.Err.Error() }
func (e *FormError) Unwrap() error { return e.Err }

// UploadForm is how one handler reads a streamed upload form with ReadUpload: the file's
// limit, its words for the form's own refusals (the API answers with problems, the UI
// with a message above the form), and what to do with the fields and the file.
type UploadForm struct {
	// MaxFile bounds the file. The body is cut off 1 MiB after it: room for the fields and
	// the multipart framing; the file store enforces MaxFile itself.
	MaxFile int64

	NotMultipart error                   // the body is not multipart/form-data (else ErrNotMultipart)
	NoBoundary   error                   // it is, but names no boundary (else ErrNoBoundary)
	Unreadable   func(cause error) error // a part could not be read (else a *FormError)
	NoFile       error                   // the form ended without a file part (else ErrNoFile)

	// Field and File are required.
	//
	// Field is handed each text field in the order sent, a repeated one each time; its
	// error stops the reading and is what ReadUpload returns.
	Field func(name, value string) error
	// File is handed the file part unread, with the client's name for it (possibly ""),
	// to stream while ReadUpload waits; ReadUpload returns what File returns.
	File func(filename string, content io.Reader) error
}

// ReadUpload streams an upload form: r's multipart/form-data body, read through a pooled
// buffer and cut off after form.MaxFile bytes plus 1 MiB.
//
// The parts are read in order. Every part before the first one named "file" is a text
// field: it is read whole, up to MaxFormField bytes, and handed to form.Field. The file
// part is handed to form.File; nothing after it is read, so the fields must come first and
// a second file part is never looked at. A field over MaxFormField is refused with
// apperr.Invalid(name, "is too long"), one holding text that is not valid UTF-8 or holds a
// NUL likewise (CleanText); the form's other refusals are in form's words.
func ReadUpload(w http.ResponseWriter, r *http.Request, form UploadForm) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return cmp.Or(form.NotMultipart, ErrNotMultipart)
	}
	mr, release, err := multipartForm(w, r, form.MaxFile+formOverhead)
	if err != nil {
		return cmp.Or(form.NoBoundary, ErrNoBoundary)
	}
	defer release()
	unreadable := func(cause error) error {
		if form.Unreadable != nil {
			return form.Unreadable(cause)
		}
		return &FormError{cause}
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return cmp.Or(form.NoFile, ErrNoFile)
		}
		if err != nil {
			return unreadable(err)
		}
		if part.FormName() == "file" {
			return form.File(part.FileName(), part)
		}
		value, err := io.ReadAll(io.LimitReader(part, MaxFormField+1))
		if err != nil {
			return unreadable(err)
		}
		if len(value) > MaxFormField {
			return apperr.Invalid(part.FormName(), "is too long")
		}
		if !IsCleanText(string(value)) || !IsCleanText(part.FormName()) {
			return apperr.Invalid(fieldName(part.FormName()), badTextMessage)
		}
		if err := form.Field(part.FormName(), string(value)); err != nil {
			return err
		}
	}
}

// uploadReaders are the read buffers under upload forms. mime/multipart buffers only 4 KiB
// unless handed a larger bufio.Reader; with 256 KiB a 1 MiB file arrives in a few reads
// and goes to disk in a few writes, instead of 256 of each.
var uploadReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 256<<10) }}

// multipartForm streams r's multipart/form-data body, read through a pooled buffer and
// cut off after limit bytes. Call release once the form has been read, and not before.
func multipartForm(w http.ResponseWriter, r *http.Request, limit int64) (form *multipart.Reader, release func(), err error) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, nil, ErrNotMultipart
	}
	br := uploadReaders.Get().(*bufio.Reader)
	br.Reset(http.MaxBytesReader(w, r.Body, limit))
	release = func() {
		br.Reset(nil) // keep no request alive through the pool
		uploadReaders.Put(br)
	}
	return multipart.NewReader(br, params["boundary"]), release, nil
}

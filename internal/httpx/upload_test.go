package httpx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apperr"
)

// uploadPart is one part of a test form: a text field, or a file part when file is set.
type uploadPart struct {
	name, value string
	file        bool
	filename    string
}

func field(name, value string) uploadPart { return uploadPart{name: name, value: value} }
func filePart(filename, content string) uploadPart {
	return uploadPart{name: "file", value: content, file: true, filename: filename}
}

// uploadBody encodes parts as a multipart/form-data body.
func uploadBody(t *testing.T, parts ...uploadPart) (body []byte, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		var err error
		if p.file {
			var fw io.Writer
			if fw, err = mw.CreateFormFile(p.name, p.filename); err == nil {
				_, err = io.WriteString(fw, p.value)
			}
		} else {
			err = mw.WriteField(p.name, p.value)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

// uploadSeen is what ReadUpload handed to a form's callbacks.
type uploadSeen struct {
	Fields []string // name=value, or name=<n bytes> for long values
	Files  []string // filename:content
}

// readUpload runs ReadUpload on body with form's words and a recording Field and File
// (File reads its content whole: fine for these small files).
func readUpload(t *testing.T, body []byte, contentType string, form UploadForm) (uploadSeen, error) {
	t.Helper()
	var seen uploadSeen
	form.Field = func(name, value string) error {
		if len(value) > 20 {
			value = fmt.Sprintf("<%d bytes>", len(value))
		}
		seen.Fields = append(seen.Fields, name+"="+value)
		return nil
	}
	form.File = func(filename string, content io.Reader) error {
		b, err := io.ReadAll(content)
		seen.Files = append(seen.Files, filename+":"+string(b))
		return err
	}
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	return seen, ReadUpload(httptest.NewRecorder(), r, form)
}

func TestReadUpload(t *testing.T) {
	atLimit, overLimit := strings.Repeat("n", MaxFormField), strings.Repeat("n", MaxFormField+1)
	tooLong := func(field string) func(error) bool {
		return func(err error) bool {
			var ve *apperr.ValidationError
			return errors.As(err, &ve) && slices.Equal(ve.Fields, []apperr.FieldError{{Field: field, Message: "is too long"}})
		}
	}
	is := func(want error) func(error) bool { return func(err error) bool { return errors.Is(err, want) } }
	bodyTooLarge := func(err error) bool {
		var fe *FormError
		var mbe *http.MaxBytesError
		return errors.As(err, &fe) && errors.As(err, &mbe) && errors.Is(TooLarge(err), apperr.ErrTooLarge)
	}
	// Twenty fields of 60 KiB: each within MaxFormField, together over the 1 MiB the body
	// may carry besides a file of MaxFile 0.
	var manyFields []uploadPart
	for i := range 20 {
		manyFields = append(manyFields, field(fmt.Sprint("f", i), strings.Repeat("x", 60<<10)))
	}
	noBoundary := func(t *testing.T) ([]byte, string) { return []byte("--x\r\n"), "multipart/form-data" }
	cases := []struct {
		name    string
		maxFile int64
		body    func(t *testing.T) ([]byte, string)
		want    uploadSeen
		err     func(error) bool // nil: no error
		cut     bool             // the file is cut off by the body's limit
	}{
		{name: "fields, then the file",
			body: parts(field("type", "Q88"), field("notes", "hi"), filePart("q88.pdf", "%PDF")),
			want: uploadSeen{Fields: []string{"type=Q88", "notes=hi"}, Files: []string{"q88.pdf:%PDF"}}},
		{name: "a field of exactly the limit",
			body: parts(field("notes", atLimit), filePart("q88.pdf", "%PDF")),
			want: uploadSeen{Fields: []string{fmt.Sprintf("notes=<%d bytes>", MaxFormField)}, Files: []string{"q88.pdf:%PDF"}}},
		{name: "a field one byte over the limit",
			body: parts(field("type", "Q88"), field("notes", overLimit), field("later", "x"), filePart("q88.pdf", "%PDF")),
			want: uploadSeen{Fields: []string{"type=Q88"}}, err: tooLong("notes")},
		{name: "repeated and unknown fields are handed over as sent",
			body: parts(field("notes", "a"), field("status", "approved"), field("notes", "b"), filePart("f.txt", "x")),
			want: uploadSeen{Fields: []string{"notes=a", "status=approved", "notes=b"}, Files: []string{"f.txt:x"}}},
		{name: "a missing file",
			body: parts(field("type", "Q88")),
			want: uploadSeen{Fields: []string{"type=Q88"}}, err: is(ErrNoFile)},
		{name: "an empty form", body: parts(), err: is(ErrNoFile)},
		{name: "a file part without a file name",
			body: parts(field("type", "Q88"), filePart("", "")),
			want: uploadSeen{Fields: []string{"type=Q88"}, Files: []string{":"}}},
		{name: "two files: only the first is handed over",
			body: parts(field("type", "Q88"), filePart("one.pdf", "1"), filePart("two.pdf", "2")),
			want: uploadSeen{Fields: []string{"type=Q88"}, Files: []string{"one.pdf:1"}}},
		{name: "the file before the fields: nothing after it is read",
			body: parts(filePart("q88.pdf", "%PDF"), field("type", "Q88")),
			want: uploadSeen{Files: []string{"q88.pdf:%PDF"}}},
		{name: "a non-multipart body",
			body: func(*testing.T) ([]byte, string) { return []byte(`{"type":"Q88"}`), "application/json" },
			err:  is(ErrNotMultipart)},
		{name: "no content type",
			body: func(*testing.T) ([]byte, string) { return []byte("type=Q88"), "" },
			err:  is(ErrNotMultipart)},
		{name: "multipart without a boundary", body: noBoundary, err: is(ErrNoBoundary)},
		{name: "a body cut short",
			body: func(t *testing.T) ([]byte, string) {
				b, ct := uploadBody(t, field("type", "Q88"), field("notes", "hello"))
				return b[:bytes.Index(b, []byte("hello"))+2], ct
			},
			want: uploadSeen{Fields: []string{"type=Q88"}}, err: func(err error) bool {
				var fe *FormError
				return errors.As(err, &fe) && errors.Is(err, io.ErrUnexpectedEOF)
			}},
		{name: "a body over the limit in the fields",
			body: parts(manyFields...), err: bodyTooLarge,
			want: uploadSeen{Fields: func() (f []string) {
				for i := range 17 { // 17 × 60 KiB fit in 1 MiB with their framing, 18 do not
					f = append(f, fmt.Sprintf("f%d=<%d bytes>", i, 60<<10))
				}
				return f
			}()}},
		{name: "a body over the limit in the file",
			body: parts(field("type", "Q88"), filePart("big.pdf", strings.Repeat("x", 1<<20))),
			want: uploadSeen{Fields: []string{"type=Q88"}, Files: []string{"cut"}}, cut: true,
			err: func(err error) bool {
				var mbe *http.MaxBytesError
				return errors.As(err, &mbe) && mbe.Limit == formOverhead
			}},
		{name: "a file of MaxFile within the limit", maxFile: 1 << 20,
			body: parts(field("type", "Q88"), filePart("big.pdf", strings.Repeat("x", 1<<20))),
			want: uploadSeen{Fields: []string{"type=Q88"}, Files: []string{"big.pdf:" + strings.Repeat("x", 1<<20)}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body, ct := c.body(t)
			seen, err := readUpload(t, body, ct, UploadForm{MaxFile: c.maxFile})
			if c.err == nil && err != nil || c.err != nil && !c.err(err) {
				t.Errorf("error: %v", err)
			}
			// A file cut off by the limit is checked by its length only: what came before the
			// cut, the limit less the framing.
			if c.cut && len(seen.Files) == 1 {
				if n := len(seen.Files[0]); n >= 1<<20 || n < 1<<20-1<<10 {
					t.Errorf("the file over the limit came %d bytes long", n)
				}
				seen.Files = []string{"cut"}
			}
			if !reflect.DeepEqual(seen, c.want) {
				t.Errorf("handed over %q, want %q", seen, c.want)
			}
		})
	}
}

func parts(p ...uploadPart) func(t *testing.T) ([]byte, string) {
	return func(t *testing.T) ([]byte, string) { return uploadBody(t, p...) }
}

// TestReadUploadWords: a form's own words replace the default refusals, and an error of
// Field or File is returned as it is, stopping the reading.
func TestReadUploadWords(t *testing.T) {
	notMultipart, noBoundary, noFile := errors.New("not multipart"), errors.New("no boundary"), errors.New("no file")
	var cause error
	words := UploadForm{NotMultipart: notMultipart, NoBoundary: noBoundary, NoFile: noFile,
		Unreadable: func(err error) error { cause = err; return errors.New("unreadable") }}

	if _, err := readUpload(t, []byte("x"), "text/plain", words); err != notMultipart {
		t.Errorf("text/plain: %v", err)
	}
	if _, err := readUpload(t, []byte("--x\r\n"), "multipart/form-data", words); err != noBoundary {
		t.Errorf("no boundary: %v", err)
	}
	body, ct := uploadBody(t, field("type", "Q88"))
	if _, err := readUpload(t, body, ct, words); err != noFile {
		t.Errorf("no file: %v", err)
	}
	if _, err := readUpload(t, body[:len(body)-10], ct, words); err == nil || err.Error() != "unreadable" || !errors.Is(cause, io.ErrUnexpectedEOF) {
		t.Errorf("cut short: %v (cause %v)", err, cause)
	}

	refused := errors.New("refused")
	body, ct = uploadBody(t, field("a", "1"), field("b", "2"), filePart("f.pdf", "x"))
	var fields []string
	form := UploadForm{
		Field: func(name, _ string) error {
			fields = append(fields, name)
			return refused
		},
		File: func(string, io.Reader) error { t.Error("the file was handed over after a refused field"); return nil },
	}
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", ct)
	if err := ReadUpload(httptest.NewRecorder(), r, form); err != refused || !slices.Equal(fields, []string{"a"}) {
		t.Errorf("a refused field: %v after %v", err, fields)
	}
	form.Field = func(string, string) error { return nil }
	form.File = func(string, io.Reader) error { return refused }
	r = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", ct)
	if err := ReadUpload(httptest.NewRecorder(), r, form); err != refused {
		t.Errorf("a refused file: %v", err)
	}
}

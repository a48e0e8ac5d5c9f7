package httpx

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// form builds a multipart body with one field and one file part.
func form(t *testing.T, file []byte) (body *bytes.Buffer, contentType string) {
	t.Helper()
	body = &bytes.Buffer{}
	mw := multipart.NewWriter(body)
	if err := mw.WriteField("notes", "hello"); err != nil {
		t.Fatal(err)
	}
	fw, err := mw.CreateFormFile("file", "f.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(file); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return body, mw.FormDataContentType()
}

// readForm reads every part of the form and returns the file part's bytes.
func readForm(t *testing.T, body io.Reader, contentType string, limit int64) ([]byte, error) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", body)
	r.Header.Set("Content-Type", contentType)
	mr, release, err := multipartForm(httptest.NewRecorder(), r, limit)
	if err != nil {
		return nil, err
	}
	defer release()
	var file []byte
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return file, nil
		}
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, err
		}
		if p.FormName() == "file" {
			file = b
		}
	}
}

func TestMultipartFormReadsLargeFilesWhole(t *testing.T) {
	// Several forms in a row through the pooled buffers: each file arrives exactly.
	for i, size := range []int{0, 1, 4 << 10, 3<<20 + 17, 300 << 10} {
		file := bytes.Repeat([]byte{byte(i), '\r', '\n', '-', byte(i + 1)}, size/5+1)[:size]
		body, ct := form(t, file)
		got, err := readForm(t, body, ct, 10<<20)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if !bytes.Equal(got, file) {
			t.Fatalf("size %d: the file came back with %d bytes, different", size, len(got))
		}
	}
}

func TestMultipartFormRefusals(t *testing.T) {
	if _, err := readForm(t, strings.NewReader("x"), "text/plain", 1<<20); !errors.Is(err, ErrNotMultipart) {
		t.Errorf("text/plain: got %v, want ErrNotMultipart", err)
	}
	if _, err := readForm(t, strings.NewReader("x"), "multipart/form-data", 1<<20); !errors.Is(err, ErrNotMultipart) {
		t.Errorf("no boundary: got %v, want ErrNotMultipart", err)
	}
	body, ct := form(t, make([]byte, 2<<20))
	var tooLarge *http.MaxBytesError
	if _, err := readForm(t, body, ct, 1<<20); !errors.As(err, &tooLarge) {
		t.Errorf("a body over the limit: got %v, want *http.MaxBytesError", err)
	}
}

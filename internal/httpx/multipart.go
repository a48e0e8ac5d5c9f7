package httpx

import (
	"bufio"
	"errors"
	"mime"
	"mime/multipart"
	"net/http"
	"sync"
)

// ErrNotMultipart is returned by MultipartForm for a body that is not multipart/form-data.
var ErrNotMultipart = errors.New("the body is not multipart/form-data")

// uploadReaders are the read buffers under upload forms. mime/multipart buffers only 4 KiB
// unless handed a larger bufio.Reader; with 256 KiB a 1 MiB file arrives in a few reads
// and goes to disk in a few writes, instead of 256 of each.
var uploadReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 256<<10) }}

// MultipartForm streams r's multipart/form-data body, read through a pooled buffer and
// cut off after limit bytes. Call release once the form has been read, and not before.
func MultipartForm(w http.ResponseWriter, r *http.Request, limit int64) (form *multipart.Reader, release func(), err error) {
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

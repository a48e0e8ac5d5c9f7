package bench

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"github.com/stshub/stshub/internal/files"
)

// refUpload is what the reference's upload read from the form and wrote to disk.
type refUpload struct {
	typeCode, notes, filename string
	sha256                    string
	size                      int64
}

// uploadBufferSize is the read buffer of the reference's form parser and file copy, as
// large as the product's: with mime/multipart's default 4 KiB the reference would be the
// slower one, and no longer the machine's figure.
const uploadBufferSize = 256 << 10

// The buffers are pooled, as the product's are: a bare program that allocated half a
// megabyte per request would spend its time in the garbage collector.
var (
	uploadReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, uploadBufferSize) }}
	uploadBuffers = sync.Pool{New: func() any { b := make([]byte, uploadBufferSize); return &b }}
)

// receiveUpload reads a multipart upload (fields "type" and "notes", then "file") and
// stores the file the way a careful bare program would: streamed to a temporary file
// while hashed, fsynced, dropped from the page cache, renamed under its SHA-256 and the
// rename made durable. The file is not sniffed or size-limited beyond maxBytes.
func (r *reference) receiveUpload(req *http.Request, maxBytes int64) (refUpload, error) {
	_, params, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return refUpload{}, fmt.Errorf("not a multipart form")
	}
	br := uploadReaders.Get().(*bufio.Reader)
	defer uploadReaders.Put(br)
	br.Reset(http.MaxBytesReader(nil, req.Body, maxBytes))
	form := multipart.NewReader(br, params["boundary"])
	var up refUpload
	for {
		part, err := form.NextPart()
		if err != nil {
			return refUpload{}, fmt.Errorf("no file in the form: %w", err)
		}
		switch part.FormName() {
		case "type", "notes":
			value, err := io.ReadAll(io.LimitReader(part, 4096))
			if err != nil {
				return refUpload{}, err
			}
			if part.FormName() == "type" {
				up.typeCode = string(value)
			} else {
				up.notes = string(value)
			}
		case "file":
			up.filename = part.FileName()
			up.sha256, up.size, err = r.storeBlob(part)
			return up, err
		}
	}
}

// storeBlob writes one blob under the reference's own folder.
func (r *reference) storeBlob(src io.Reader) (sum string, size int64, err error) {
	tmp, err := os.CreateTemp(filepath.Join(r.blobs, "tmp"), "put-*")
	if err != nil {
		return "", 0, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	hash := sha256.New()
	buf := uploadBuffers.Get().(*[]byte)
	defer uploadBuffers.Put(buf)
	if size, err = io.CopyBuffer(io.MultiWriter(tmp, hash), src, *buf); err != nil {
		return "", 0, err
	}
	if err = tmp.Sync(); err != nil {
		return "", 0, err
	}
	_ = files.DropFromCache(tmp)
	if err = tmp.Close(); err != nil {
		return "", 0, err
	}
	sum = hex.EncodeToString(hash.Sum(nil))
	dir := filepath.Join(r.blobs, sum[:2])
	if err = os.MkdirAll(dir, 0o750); err != nil {
		return "", 0, err
	}
	if err = os.Rename(tmp.Name(), filepath.Join(dir, sum)); err != nil {
		return "", 0, err
	}
	d, err := os.Open(dir)
	if err != nil {
		return "", 0, err
	}
	defer d.Close()
	return sum, size, d.Sync()
}

package httpx

import "net/http"

// Download is a streamed download whose headers go out with its first byte: a handler that
// fails before writing anything (not signed in, not allowed) can still answer with a
// problem instead of a broken file.
type Download struct {
	W           http.ResponseWriter
	ContentType string
	Disposition string // the Content-Disposition, e.g. attachment; filename="trail.csv"
	started     bool
}

// Write sends the headers with the first bytes, then the bytes.
func (d *Download) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		h := d.W.Header()
		h.Set("Content-Type", d.ContentType)
		h.Set("Content-Disposition", d.Disposition)
		h.Set("Cache-Control", "private, no-store")
	}
	return d.W.Write(p)
}

// Started reports whether anything was sent: after that, a failure can only cut the
// response short.
func (d *Download) Started() bool { return d.started }

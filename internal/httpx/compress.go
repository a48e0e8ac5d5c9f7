package httpx

import (
	"compress/gzip"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// compressible are the media types worth compressing: the pages, the API's JSON, the
// static assets and text exports. Files people upload (PDF, images) are compressed
// already, and a live event stream must reach the browser event by event.
var compressible = []string{"text/html", "application/json", "application/problem+json", "text/css",
	"text/javascript", "application/javascript", "image/svg+xml", "text/csv", "text/plain"}

// minCompressBytes is the size below which a response of known length goes as it is: the
// gzip header and trailer would eat the saving.
const minCompressBytes = 1024

var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return w }}

// Compress gzips text responses for clients that accept gzip. It leaves alone HEAD
// requests, range requests (a range is of the stored bytes), downloads (an attachment is
// the stored file byte for byte, its ETag its SHA-256), responses that set their own
// Content-Encoding, other media types and short responses of known length. A strong ETag
// becomes weak, since the compressed bytes differ from the ones it names.
func Compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead || r.Header.Get("Range") != "" {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Add("Vary", "Accept-Encoding")
		if !acceptsGzip(r.Header.Values("Accept-Encoding")) {
			next.ServeHTTP(w, r)
			return
		}
		cw := &gzipResponse{ResponseWriter: w}
		defer cw.close()
		next.ServeHTTP(cw, r)
	})
}

// acceptsGzip reads Accept-Encoding: gzip (or *) with a non-zero quality.
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			name = strings.ToLower(strings.TrimSpace(name))
			if name != "gzip" && name != "*" {
				continue
			}
			q := 1.0
			if k, val, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
				q, _ = strconv.ParseFloat(strings.TrimSpace(val), 64)
			}
			if q > 0 {
				return true
			}
		}
	}
	return false
}

// gzipResponse decides at the status line whether the body is compressed, then writes
// through a pooled gzip writer.
type gzipResponse struct {
	http.ResponseWriter
	wroteHeader bool
	gz          *gzip.Writer
}

func (g *gzipResponse) WriteHeader(code int) {
	if g.wroteHeader {
		g.ResponseWriter.WriteHeader(code) // let net/http report the superfluous call
		return
	}
	g.wroteHeader = true
	if h := g.Header(); shouldCompress(code, h) {
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		if etag := h.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
			h.Set("ETag", "W/"+etag)
		}
		g.gz = gzipWriters.Get().(*gzip.Writer)
		g.gz.Reset(g.ResponseWriter)
	}
	g.ResponseWriter.WriteHeader(code)
}

// shouldCompress decides for a response about to start.
func shouldCompress(code int, h http.Header) bool {
	if code < 200 || code == http.StatusNoContent || code == http.StatusNotModified || h.Get("Content-Encoding") != "" ||
		strings.HasPrefix(h.Get("Content-Disposition"), "attachment") {
		return false
	}
	if n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64); err == nil && n < minCompressBytes {
		return false
	}
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	return err == nil && slices.Contains(compressible, mt)
}

func (g *gzipResponse) Write(b []byte) (int, error) {
	if !g.wroteHeader {
		if g.Header().Get("Content-Type") == "" {
			g.Header().Set("Content-Type", http.DetectContentType(b)) // what net/http would send
		}
		g.WriteHeader(http.StatusOK)
	}
	if g.gz == nil {
		return g.ResponseWriter.Write(b)
	}
	return g.gz.Write(b)
}

// Flush sends what is compressed so far, then flushes the connection.
func (g *gzipResponse) Flush() {
	if g.gz != nil {
		_ = g.gz.Flush()
	}
	_ = http.NewResponseController(g.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection's own writer.
func (g *gzipResponse) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// close ends the gzip stream and returns the writer to the pool.
func (g *gzipResponse) close() {
	if g.gz == nil {
		return
	}
	_ = g.gz.Close()
	g.gz.Reset(nil)
	gzipWriters.Put(g.gz)
	g.gz = nil
}

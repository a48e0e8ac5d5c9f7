package httpx

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCompress: text responses are gzipped for clients that accept it and read back
// exactly; everything that must not be compressed goes as it is.
func TestCompress(t *testing.T) {
	page := strings.Repeat("<p>Hurd’s Bank — MT AEGEAN SERENITY</p>\n", 200)
	serve := func(ct, body string, extra func(http.Header)) http.Handler {
		return Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if ct != "" {
				w.Header().Set("Content-Type", ct)
			}
			if extra != nil {
				extra(w.Header())
			}
			_, _ = io.WriteString(w, body)
		}))
	}
	cases := []struct {
		name       string
		h          http.Handler
		method     string
		accept     string
		rangeHdr   string
		compressed bool
	}{
		{"an HTML page", serve("text/html; charset=utf-8", page, nil), "GET", "gzip, deflate, br", "", true},
		{"JSON", serve("application/json", page, nil), "GET", "gzip", "", true},
		{"a problem", serve("application/problem+json", page, nil), "POST", "gzip", "", true},
		{"no content type (sniffed as HTML)", serve("", "<!doctype html>"+page, nil), "GET", "gzip", "", true},
		{"a client without gzip", serve("text/html", page, nil), "GET", "", "", false},
		{"gzip refused (q=0)", serve("text/html", page, nil), "GET", "gzip;q=0, identity", "", false},
		{"a PDF", serve("application/pdf", page, nil), "GET", "gzip", "", false},
		{"a live stream", serve("text/event-stream", page, nil), "GET", "gzip", "", false},
		{"a range", serve("text/csv", page, nil), "GET", "gzip", "bytes=0-10", false},
		{"HEAD", serve("text/html", page, nil), "HEAD", "gzip", "", false},
		{"short, of known length", serve("application/json", `{"ok":true}`, func(h http.Header) { h.Set("Content-Length", "11") }), "GET", "gzip", "", false},
		{"a download", serve("text/csv", page, func(h http.Header) { h.Set("Content-Disposition", `attachment; filename="x.csv"`) }), "GET", "gzip", "", false},
		{"already encoded", serve("text/css", page, func(h http.Header) { h.Set("Content-Encoding", "br") }), "GET", "gzip", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(c.method, "/", nil)
			if c.accept != "" {
				req.Header.Set("Accept-Encoding", c.accept)
			}
			if c.rangeHdr != "" {
				req.Header.Set("Range", c.rangeHdr)
			}
			rec := httptest.NewRecorder()
			c.h.ServeHTTP(rec, req)
			got := rec.Body.Bytes()
			if enc := rec.Header().Get("Content-Encoding"); (enc == "gzip") != c.compressed {
				t.Fatalf("Content-Encoding %q, want compressed=%v", enc, c.compressed)
			}
			if !c.compressed {
				return
			}
			if rec.Header().Get("Content-Length") != "" || !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
				t.Fatalf("headers %v", rec.Header())
			}
			zr, err := gzip.NewReader(bytes.NewReader(got))
			if err != nil {
				t.Fatal(err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil || !strings.HasSuffix(string(plain), page) {
				t.Fatalf("read back %d bytes (%v)", len(plain), err)
			}
			if len(got)*5 > len(plain) {
				t.Fatalf("%d bytes compressed to %d", len(plain), len(got))
			}
		})
	}
}

// TestCompressFlushAndETag: a flushed response sends what it has so far, and a strong ETag
// of a compressed response turns weak.
func TestCompressFlushAndETag(t *testing.T) {
	srv := httptest.NewServer(Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("ETag", `"v1"`)
		_, _ = io.WriteString(w, strings.Repeat("first part ", 200))
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("flush: %v", err)
		}
		_, _ = io.WriteString(w, "last")
	})))
	defer srv.Close()
	res, err := http.Get(srv.URL) // the client asks for gzip and decompresses by itself
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if !res.Uncompressed || !strings.HasSuffix(string(body), "last") || res.Header.Get("ETag") != `W/"v1"` {
		t.Fatalf("uncompressed %v, ETag %q, %d bytes", res.Uncompressed, res.Header.Get("ETag"), len(body))
	}
}

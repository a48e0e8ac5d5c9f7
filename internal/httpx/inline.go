package httpx

import (
	"io"
	"net/http"
	"time"
)

// PreviewPolicy is the Content-Security-Policy of a file shown in the browser: nothing
// loads, and the document is sandboxed (a unique origin, no scripts, no forms), so a file
// that is more than it claims can reach neither the site nor its cookies. Only the site's own
// pages may frame it (the document page shows it in an iframe).
const PreviewPolicy = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"

// ServeInline sends a stored file to be shown in the browser (a preview): inline, under its
// sniffed content type, never sniffed again by the browser (nosniff), sandboxed
// (PreviewPolicy), with Range and If-None-Match (the ETag is its SHA-256). The caller has
// checked the permission and that the type may be shown (clearance.Previewable).
func ServeInline(w http.ResponseWriter, r *http.Request, contentType, sha string, modified time.Time, content io.ReadSeeker) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Disposition", "inline")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", PreviewPolicy)
	hd.Set("X-Frame-Options", "SAMEORIGIN")
	hd.Set("ETag", `"`+sha+`"`)
	hd.Set("Cache-Control", "private, no-cache")
	LimitRanges(r)
	http.ServeContent(w, r, "", modified, content)
}

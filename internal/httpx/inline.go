package httpx

import (
	"io"
	"mime"
	"net/http"
	"time"
)

// The Content-Security-Policy of a file shown in the browser (ServeInline). Nothing loads
// from anywhere, and only the site's own pages may frame it (the document page shows it in
// an iframe). What the file is was sniffed at upload and is sent with nosniff, so the
// browser never takes it for anything else (HTML, script).
const (
	// SandboxedPreviewPolicy is for an image: its document is sandboxed too (a unique
	// origin, no scripts, no forms), so a file that is more than it claims reaches neither
	// the site nor its cookies.
	SandboxedPreviewPolicy = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"

	// PDFPreviewPolicy is for a PDF, which the browser's own PDF viewer shows, not as a
	// web page. It holds no sandbox: a sandboxed document is where the viewers refuse to
	// run. Safari shows an empty frame ("Blocked script execution … the document's frame
	// is sandboxed"), and older Chromium showed "This page has been blocked by Chrome"
	// (aem-core-wcm-components#2839, dokuwiki#3710, mulmoclaude#1299; element-web#8605,
	// PrivateBin#610). Chromium 156 ignores a PDF response's policy altogether (it
	// rendered under both; see the browser test), so there the sandbox bought nothing. The
	// browser keeps the viewer's own scripting away from the site (Chromium runs it in the
	// viewer's extension process, Firefox's pdf.js in a sandbox of its own). object-src
	// 'self' lets a viewer that wraps the file in a document of its own (WebKit, older
	// Chromium) embed that file and nothing else; style-src 'unsafe-inline' lets the
	// wrapper lay itself out (Chromium issue 271452).
	PDFPreviewPolicy = "default-src 'none'; object-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
)

// PreviewPolicy is the Content-Security-Policy of a previewed file of contentType: the PDF
// one for a PDF, the sandboxed one for anything else (images; and any type nobody thought
// of is sandboxed too).
func PreviewPolicy(contentType string) string {
	if t, _, err := mime.ParseMediaType(contentType); err == nil && t == "application/pdf" {
		return PDFPreviewPolicy
	}
	return SandboxedPreviewPolicy
}

// ServeInline sends a stored file to be shown in the browser (a preview): inline, under its
// sniffed content type, never sniffed again by the browser (nosniff), under the policy of
// its type (PreviewPolicy), with Range and If-None-Match (the ETag is its SHA-256). The
// caller has checked the permission and that the type may be shown (clearance.Previewable).
func ServeInline(w http.ResponseWriter, r *http.Request, contentType, sha string, modified time.Time, content io.ReadSeeker) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Disposition", "inline")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", PreviewPolicy(contentType))
	hd.Set("X-Frame-Options", "SAMEORIGIN")
	hd.Set("ETag", `"`+sha+`"`)
	hd.Set("Cache-Control", "private, no-cache")
	LimitRanges(r)
	http.ServeContent(w, r, "", modified, content)
}

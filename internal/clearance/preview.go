package clearance

import (
	"mime"
	"slices"
)

// previewTypes are the content types a browser may show inline, in a sandbox: PDFs and
// the common raster images (the one list; service.ErrNotPreviewable names them in words). Never HTML, SVG or anything else that can carry script into
// the page that shows it.
var previewTypes = []string{"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}

// Previewable reports whether a stored file of contentType (as sniffed at upload) may be
// shown in the browser rather than only downloaded.
func Previewable(contentType string) bool {
	t, _, err := mime.ParseMediaType(contentType)
	return err == nil && slices.Contains(previewTypes, t)
}

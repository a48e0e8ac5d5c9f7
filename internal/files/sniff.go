package files

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
)

// SniffLen is how many leading bytes Sniff needs.
const SniffLen = 512

// officeZip are the extensions of Office Open XML files, which sniff as ZIP archives.
var officeZip = map[string]string{
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
}

// oleLegacy are the extensions of legacy Office files (OLE2 compound documents).
var oleLegacy = map[string]string{
	".doc": "application/msword",
	".xls": "application/vnd.ms-excel",
	".ppt": "application/vnd.ms-powerpoint",
}

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// Sniff decides from a file's first bytes (and, only to tell Office formats apart, its
// name's extension) what the file is, and whether documents may be of that type: PDF,
// images, Office files and plain text are; executables, HTML, scripts and anything
// unrecognised are not. The client's declared content type is never consulted.
func Sniff(head []byte, filename string) (contentType string, allowed bool) {
	detected := http.DetectContentType(head)
	ext := strings.ToLower(filepath.Ext(filename))
	switch {
	case strings.HasPrefix(detected, "application/pdf"):
		return "application/pdf", true
	case detected == "image/png", detected == "image/jpeg", detected == "image/gif", detected == "image/webp", detected == "image/bmp":
		return detected, true
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return "image/tiff", true
	case detected == "application/zip":
		if ct, ok := officeZip[ext]; ok {
			return ct, true
		}
		return detected, false
	case bytes.HasPrefix(head, oleMagic):
		if ct, ok := oleLegacy[ext]; ok {
			return ct, true
		}
		return "application/x-ole-storage", false
	case strings.HasPrefix(detected, "text/plain"):
		if looksLikeMarkup(head) {
			return "text/html", false
		}
		if ext == ".csv" {
			return "text/csv; charset=utf-8", true
		}
		return "text/plain; charset=utf-8", true
	}
	return detected, false
}

// looksLikeMarkup catches HTML and SVG that DetectContentType files under text/plain
// (for example after a byte-order mark or leading text): a document store must never hold
// something a browser would run.
func looksLikeMarkup(head []byte) bool {
	lower := bytes.ToLower(head)
	for _, tag := range []string{"<script", "<html", "<svg", "<!doctype", "<iframe", "<body", "<?xml"} {
		if bytes.Contains(lower, []byte(tag)) {
			return true
		}
	}
	return false
}

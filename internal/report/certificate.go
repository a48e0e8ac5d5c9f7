package report

import (
	"bytes"
	"time"
)

// Certificate renders a plain one-page document: a title and lines of text. The demo data
// uses it to stand in for the certificates and reports that parties upload.
func Certificate(title string, lines []string, issued time.Time) ([]byte, error) {
	f := newDoc()
	f.SetCreationDate(issued)
	f.SetModificationDate(issued)
	f.SetCatalogSort(true)
	f.AddPage()
	f.SetFont(fontSans, "B", 16)
	f.MultiCell(0, 8, title, "", "L", false)
	f.Ln(4)
	f.SetFont(fontSans, "", 11)
	for _, l := range lines {
		f.MultiCell(0, 6, l, "", "L", false)
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

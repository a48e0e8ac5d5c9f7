package report

import (
	"fmt"
	"slices"
)

// Format is what a snapshot is rendered as.
//
// The formats are defined here, beside their renderers, and not in clearance: a format
// exists only because this package can render it, so adding one is a renderer and one row
// of the formats table below. Everything else is derived from Formats: the API's enum and
// its validation, the service's check, the web form's choices; the database keeps no CHECK
// on a snapshot's type (see the store package), so no migration is needed either.
type Format string

// The snapshot formats.
const (
	FormatPDF  Format = "pdf"
	FormatJSON Format = "json"
	FormatCSV  Format = "csv"
)

// formats is the one list of snapshot formats, in the order they are offered.
var formats = []struct {
	format      Format
	label       string // the format's name for people
	contentType string
	render      func(State, Meta) ([]byte, error)
}{
	{FormatPDF, "PDF", "application/pdf", PDF},
	{FormatJSON, "JSON", "application/json", func(s State, _ Meta) ([]byte, error) { return JSON(s) }},
	{FormatCSV, "CSV", "text/csv; charset=utf-8", func(s State, _ Meta) ([]byte, error) { return CSV(s) }},
}

// Formats lists the snapshot formats in the order they are offered.
func Formats() []Format {
	out := make([]Format, len(formats))
	for i, f := range formats {
		out[i] = f.format
	}
	return out
}

// IsFormat reports whether s names a snapshot format.
func IsFormat(s string) bool { return slices.Contains(Formats(), Format(s)) }

// Label is the format's name for people ("PDF"); an unknown format is its name.
func (f Format) Label() string {
	for _, x := range formats {
		if x.format == f {
			return x.label
		}
	}
	return string(f)
}

// Render renders a captured state as format f and says the file's content type.
func Render(f Format, s State, m Meta) (out []byte, contentType string, err error) {
	for _, x := range formats {
		if x.format == f {
			out, err = x.render(s, m)
			return out, x.contentType, err
		}
	}
	return nil, "", fmt.Errorf("unknown snapshot type %q", f)
}

// SnapshotStatus is where a snapshot's rendering stands. It lives beside the formats, as
// the other half of what a snapshot is.
type SnapshotStatus string

// The snapshot statuses.
const (
	SnapshotGenerating SnapshotStatus = "generating"
	SnapshotCompleted  SnapshotStatus = "completed"
	SnapshotFailed     SnapshotStatus = "failed"
)

// SnapshotStatuses lists the snapshot statuses in the order a snapshot passes them: the
// one list (API enum, database CHECK test).
func SnapshotStatuses() []SnapshotStatus {
	return []SnapshotStatus{SnapshotGenerating, SnapshotCompleted, SnapshotFailed}
}

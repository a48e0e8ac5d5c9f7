package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/stshub/stshub/internal/audit"
)

// trailHeader is the header row of a room trail's CSV export.
// actor_name and description put the entry in words (audit.Names), as the activity page and
// the PDF do; they follow the recorded columns.
var trailHeader = []string{"seq", "time", "actor_email", "action", "target_type", "target_id", "details", "hash", "prev_hash",
	"actor_name", "description"}

// TrailCSV writes a room's audit trail as CSV, an entry at a time (the trail may be long):
// one row per entry under a header row, with the entry's recorded details as JSON and its
// chained hash. RFC 4180 with CRLF, formula injection neutralised as in the snapshot CSV.
type TrailCSV struct {
	w       *csv.Writer
	names   audit.Names
	started bool
}

// NewTrailCSV starts an export to w; names names the room's vessels and people.
func NewTrailCSV(w io.Writer, names audit.Names) *TrailCSV {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &TrailCSV{w: cw, names: names}
}

// Write adds one entry (the header first, once).
func (t *TrailCSV) Write(e audit.Entry) error {
	if !t.started {
		t.started = true
		if err := t.w.Write(trailHeader); err != nil {
			return err
		}
	}
	details := string(e.Meta)
	if details == "" {
		details = "{}"
	}
	return writeRow(t.w, []string{strconv.FormatInt(e.Seq, 10), isoTime(e.TS), e.ActorEmail, e.Action, e.TargetType, e.TargetID,
		details, e.Hash, e.PrevHash, t.names.People[strings.ToLower(e.ActorEmail)], t.names.Describe(e)})
}

// Close writes the header of an empty trail and flushes.
func (t *TrailCSV) Close() error {
	if !t.started {
		t.started = true
		if err := t.w.Write(trailHeader); err != nil {
			return err
		}
	}
	t.w.Flush()
	return t.w.Error()
}

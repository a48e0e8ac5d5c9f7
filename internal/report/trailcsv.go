package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/stshub/stshub/internal/audit"
)

// trailHeader is the header row of a room trail's CSV export.
var trailHeader = []string{"seq", "time", "actor_email", "action", "target_type", "target_id", "details", "hash", "prev_hash"}

// TrailCSV writes a room's audit trail as CSV, an entry at a time (the trail may be long):
// one row per entry under a header row, with the entry's recorded details as JSON and its
// chained hash. RFC 4180 with CRLF, formula injection neutralised as in the snapshot CSV.
type TrailCSV struct {
	w       *csv.Writer
	started bool
}

// NewTrailCSV starts an export to w.
func NewTrailCSV(w io.Writer) *TrailCSV {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &TrailCSV{w: cw}
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
		details, e.Hash, e.PrevHash})
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

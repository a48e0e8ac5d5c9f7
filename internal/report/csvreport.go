package report

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"time"
)

// csvHeader is the first row of the CSV: the header of the documents table.
var csvHeader = []string{"room_id", "room_title", "vessel_name", "vessel_imo", "vessel_role", "type_code", "type_name",
	"criticality", "required", "status", "expires_on", "valid_until", "versions", "latest_sha256", "latest_filename",
	"uploaded_by", "uploaded_at", "reviewed_by", "reviewed_at", "review_reason", "waive_reason",
	"screening_outcome", "screening_provider", "screening_remark", "screened_subjects", "screening_rerun_reason",
	"reviewed_by_name", "validity"}

// CSV renders one file a spreadsheet opens as it is: first one row per document requirement
// after a header row, then the operation's other records as further tables, each after an
// empty row, a row with its title alone and its own header row (csvSections): the checklist
// items, the checklist signatures, the coastal-state notices, the milestones, the
// sign-offs (with what each covered) and the questions on documents. Times are
// ISO 8601 in UTC, dates YYYY-MM-DD. RFC 4180 (CRLF line ends, quoting where needed), with
// formula injection neutralised.
func CSV(s State) ([]byte, error) {
	vessels := map[string]Vessel{}
	for _, v := range s.Vessels {
		vessels[v.ID] = v
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.Write(csvHeader); err != nil {
		return nil, err
	}
	for _, d := range s.Documents {
		v := vessels[d.VesselID]
		if v.Name == "" {
			v.Name = d.VesselName // a vessel since removed from the room
		}
		row := []string{s.Room.ID, s.Room.Title, v.Name, v.IMO, v.Role, d.TypeCode, d.TypeName, d.Criticality,
			strconv.FormatBool(d.Required), d.Status, d.ExpiresOn, timeCell(d.ValidUntil), strconv.Itoa(d.Versions)}
		if lv := d.LatestVersion; lv != nil {
			row = append(row, lv.SHA256, lv.Filename, lv.UploadedBy, isoTime(lv.UploadedAt))
		} else {
			row = append(row, "", "", "", "")
		}
		row = append(row, d.ReviewedBy, timeCell(d.ReviewedAt), d.ReviewReason, d.WaiveReason)
		if sc := d.Screening; sc != nil {
			row = append(row, sc.Outcome, sc.Provider, sc.Remark, sc.Subjects(), sc.RerunReason)
		} else {
			row = append(row, "", "", "", "", "")
		}
		row = append(row, personCells(d.Reviewer)[0], d.Validity)
		if err := writeRow(w, row); err != nil {
			return nil, err
		}
	}
	for _, sec := range csvSections(s) {
		if err := w.Write([]string{""}); err != nil {
			return nil, err
		}
		if err := w.Write([]string{sec.title}); err != nil {
			return nil, err
		}
		if err := w.Write(sec.header); err != nil {
			return nil, err
		}
		for _, row := range sec.rows {
			if err := writeRow(w, row); err != nil {
				return nil, err
			}
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// writeRow writes a row of cells, each made safe for a spreadsheet.
func writeRow(w *csv.Writer, row []string) error {
	for i, cell := range row {
		row[i] = safeCell(cell)
	}
	return w.Write(row)
}

// csvSection is one further table of the CSV.
type csvSection struct {
	title  string
	header []string
	rows   [][]string
}

// csvSections are the tables after the documents, in order.
func csvSections(s State) []csvSection {
	items := csvSection{title: "Checklist items", header: []string{"vessel_name", "phase", "checklist", "complete", "position", "item",
		"required", "answer", "remark", "answered_by_name", "answered_by_email", "answered_at"}}
	sigs := csvSection{title: "Checklist signatures", header: []string{"vessel_name", "phase", "checklist", "side", "signed",
		"signed_by_name", "signed_by_email", "signed_at"}}
	for _, c := range s.Checklists {
		head := []string{c.VesselName, strconv.Itoa(c.Phase), c.Title}
		for _, it := range c.Items {
			by := personCells(it.AnsweredBy)
			items.rows = append(items.rows, append(append(slices.Clone(head), strconv.FormatBool(c.Complete), strconv.Itoa(it.Position), it.Text,
				strconv.FormatBool(it.Required), it.Answer, it.Remark), by[0], by[1], timeCell(it.AnsweredAt)))
		}
		for _, sg := range c.Signatures {
			by := personCells(sg.SignedBy)
			sigs.rows = append(sigs.rows, append(slices.Clone(head), sg.SideName, strconv.FormatBool(sg.SignedBy != nil), by[0], by[1], timeCell(sg.SignedAt)))
		}
	}
	notices := csvSection{title: "Coastal-state notices", header: []string{"vessel_name", "kind", "reference", "notified_at",
		"eta_at_notice", "recorded_by_name", "recorded_by_email", "recorded_at"}}
	for _, n := range s.Notices {
		notices.rows = append(notices.rows, []string{n.VesselName, n.Kind, n.Reference, isoTime(n.NotifiedAt), isoTime(n.ETAAtNotice),
			n.RecordedBy.Name, n.RecordedBy.Email, isoTime(n.RecordedAt)})
	}
	milestones := csvSection{title: "Milestones", header: []string{"milestone", "label", "occurred_at", "recorded_by_name",
		"recorded_by_email", "recorded_at"}}
	for _, m := range s.Milestones {
		milestones.rows = append(milestones.rows, []string{m.Milestone, m.Label, isoTime(m.OccurredAt), m.RecordedBy.Name,
			m.RecordedBy.Email, isoTime(m.RecordedAt)})
	}
	signOffs := csvSection{title: "Sign-offs", header: []string{"party_email", "party_name", "role", "decision", "decided_at", "counts",
		"stale", "changes_since", "covered_documents", "chain_seq", "chain_hash", "coverage_digest", "notes"}}
	for _, a := range s.Approvals {
		covered, seq, hash, digest := "", "", "", ""
		if c := a.Coverage; c != nil {
			covered, seq, hash, digest = strconv.Itoa(len(c.Documents)), strconv.FormatInt(c.Chain.Seq, 10), c.Chain.Hash, c.Digest
		}
		signOffs.rows = append(signOffs.rows, []string{a.Email, a.Name, a.Role, a.Status, isoTime(a.DecidedAt), strconv.FormatBool(a.Counts),
			strconv.FormatBool(a.Stale), strings.Join(a.ChangesSince, "; "), covered, seq, hash, digest, a.Notes})
	}
	return []csvSection{items, sigs, notices, milestones, signOffs, questionsCSV(s)}
}

// personCells are a person's name and e-mail cells; empty for nobody.
func personCells(p *Person) [2]string {
	if p == nil {
		return [2]string{}
	}
	return [2]string{p.Name, p.Email}
}

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func timeCell(t *time.Time) string {
	if t == nil {
		return ""
	}
	return isoTime(*t)
}

// safeCell defuses a cell that a spreadsheet would run as a formula (starting with =, +,
// -, @, a tab or a carriage return) by prefixing an apostrophe, as OWASP recommends.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

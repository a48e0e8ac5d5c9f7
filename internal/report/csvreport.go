package report

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"time"
)

// csvHeader is the first row of the CSV checklist.
var csvHeader = []string{"room_id", "room_title", "vessel_name", "vessel_imo", "vessel_role", "type_code", "type_name",
	"criticality", "required", "status", "expires_on", "valid_until", "versions", "latest_sha256", "latest_filename",
	"uploaded_by", "uploaded_at", "reviewed_by", "reviewed_at", "review_reason", "waive_reason",
	"screening_outcome", "screening_provider", "screening_remark", "screened_subjects", "screening_rerun_reason"}

// CSV renders one row per document requirement after a header row: RFC 4180 (CRLF line
// ends, quoting where needed), with formula injection neutralised.
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
			row = append(row, lv.SHA256, lv.Filename, lv.UploadedBy, lv.UploadedAt.UTC().Format(time.RFC3339))
		} else {
			row = append(row, "", "", "", "")
		}
		row = append(row, d.ReviewedBy, timeCell(d.ReviewedAt), d.ReviewReason, d.WaiveReason)
		if sc := d.Screening; sc != nil {
			row = append(row, sc.Outcome, sc.Provider, sc.Remark, sc.Subjects(), sc.RerunReason)
		} else {
			row = append(row, "", "", "", "", "")
		}
		for i, cell := range row {
			row[i] = safeCell(cell)
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func timeCell(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// safeCell defuses a cell that a spreadsheet would run as a formula (starting with =, +,
// -, @, a tab or a carriage return) by prefixing an apostrophe, as OWASP recommends.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

package report

import (
	"strconv"
	"time"

	"github.com/stshub/stshub/internal/authz"
)

// The questions on documents (RFIs) in a snapshot: every question the snapshot's creator
// may see, open or resolved, with its whole thread. Like the checklists they are part of
// the record, not an optional section: what was asked of a supplier, what it answered and
// who accepted the answer.

// Question is one question on a document with its thread, oldest message first.
type Question struct {
	ID          string            `json:"id"`
	DocumentID  string            `json:"document_id"`
	TypeCode    string            `json:"type_code"`
	TypeName    string            `json:"type_name"`
	VesselName  string            `json:"vessel_name"` // "" for a document of the whole operation
	AddressedTo string            `json:"addressed_to"`
	Status      string            `json:"status"` // open or resolved
	AskedAt     time.Time         `json:"asked_at"`
	Messages    []QuestionMessage `json:"messages"`
}

// QuestionMessage is one message of a thread: the question, a reply, a resolution or a
// reopening (the last two with an optional note).
type QuestionMessage struct {
	Kind   string    `json:"kind"`
	Text   string    `json:"text"`
	Author Person    `json:"author"`
	Role   string    `json:"role"` // the author's role in the room when writing
	At     time.Time `json:"at"`
}

// questionsCSV is the CSV's "Questions" table: one row per message, the question's own
// columns repeated, so a spreadsheet filters a thread by its question_id.
func questionsCSV(s State) csvSection {
	sec := csvSection{title: "Questions", header: []string{"question_id", "type_code", "vessel_name", "addressed_to", "status",
		"asked_at", "message", "kind", "author_name", "author_email", "author_role", "at", "text"}}
	for _, q := range s.Questions {
		for i, m := range q.Messages {
			sec.rows = append(sec.rows, []string{q.ID, q.TypeCode, q.VesselName, q.AddressedTo, q.Status, isoTime(q.AskedAt),
				strconv.Itoa(i + 1), m.Kind, m.Author.Name, m.Author.Email, m.Role, isoTime(m.At), m.Text})
		}
	}
	return sec
}

// questionsPDF lists the questions, each as a small table of its thread under a line that
// names the document, the addressee and the status.
func (r *pdfReport) questionsPDF() {
	w := r.w
	w.heading("Questions on documents", 16)
	if len(r.s.Questions) == 0 {
		w.paragraph("No question asked", textSize, "", colText)
		return
	}
	for _, q := range r.s.Questions {
		doc := q.TypeCode + " " + oneLine(q.TypeName)
		if q.VesselName != "" {
			doc += " — " + oneLine(q.VesselName)
		}
		status, sc := "open", colWarn
		if q.Status == "resolved" {
			status, sc = "resolved", colGood
		}
		w.paragraph(doc+" · to the "+authz.Role(oneLine(q.AddressedTo)).Label()+" · "+status, textSize, "B", sc)
		rows := make([][]cell, 0, len(q.Messages))
		for _, m := range q.Messages {
			rows = append(rows, []cell{{text: words(m.Kind), bold: true}, {text: orDash(oneLine(m.Text))},
				{text: m.Author.String(), sub: roleLabel(m.Role) + " · " + fmtMinute(m.At)}})
		}
		w.table([]column{{"", 22, "L", false, false}, {"Message", 104, "L", false, false}, {"By", 54, "L", false, false}}, rows)
	}
}

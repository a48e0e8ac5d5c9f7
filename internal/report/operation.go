package report

import (
	"strconv"
	"strings"
	"time"
)

// The operation's own records in a snapshot: the phase checklists with their answers and
// signatures, the coastal-state notices and the milestones. Every snapshot holds them (they
// are not optional sections): a vetting officer filing the record needs what the ships
// confirmed, to whom the coastal state was told, and when the ships moored and unmoored.

// Person is someone named in a record, by name and e-mail (never by a bare user ID). Name
// is "" when the account has none.
type Person struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// String is the person for people: "Ana Silva <ana@example.com>", or the e-mail alone.
func (p Person) String() string {
	name, email := oneLine(p.Name), oneLine(p.Email)
	switch {
	case name == "":
		return orDash(email)
	case email == "":
		return name
	}
	return name + " <" + email + ">"
}

// Checklist is one phase checklist of one vessel.
type Checklist struct {
	VesselID   string               `json:"vessel_id"`
	VesselName string               `json:"vessel_name"`
	Phase      int                  `json:"phase"`
	Title      string               `json:"title"`
	Complete   bool                 `json:"complete"`
	Lacks      string               `json:"lacks"` // what keeps it from being complete, in words
	Items      []ChecklistItem      `json:"items"`
	Signatures []ChecklistSignature `json:"signatures"` // one per side that signs, signed or not
}

// ChecklistItem is one item with its answer ("" while unanswered).
type ChecklistItem struct {
	Position   int        `json:"position"`
	Text       string     `json:"text"`
	Required   bool       `json:"required"`
	Answer     string     `json:"answer"`
	Remark     string     `json:"remark"`
	AnsweredBy *Person    `json:"answered_by"`
	AnsweredAt *time.Time `json:"answered_at"`
}

// ChecklistSignature is one side's signature: a ship's master's side or the POAC's.
type ChecklistSignature struct {
	Side     string     `json:"side"` // a vessel id, or "poac"
	SideName string     `json:"side_name"`
	SignedBy *Person    `json:"signed_by"` // nil while awaited
	SignedAt *time.Time `json:"signed_at"`
}

// Notice is a coastal-state notice sent, or a written permission received, for a vessel.
type Notice struct {
	VesselName  string    `json:"vessel_name"`
	Kind        string    `json:"kind"`
	Reference   string    `json:"reference"`
	NotifiedAt  time.Time `json:"notified_at"`
	ETAAtNotice time.Time `json:"eta_at_notice"`
	RecordedBy  Person    `json:"recorded_by"`
	RecordedAt  time.Time `json:"recorded_at"`
}

// Milestone is an operational milestone as recorded.
type Milestone struct {
	Milestone  string    `json:"milestone"`
	Label      string    `json:"label"`
	OccurredAt time.Time `json:"occurred_at"`
	RecordedBy Person    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

// People lists every person the state names, for the capture to fill in their names.
func (s *State) People() []*Person {
	out := []*Person{&s.Room.CreatedBy}
	for i := range s.Checklists {
		c := &s.Checklists[i]
		for j := range c.Items {
			if p := c.Items[j].AnsweredBy; p != nil {
				out = append(out, p)
			}
		}
		for j := range c.Signatures {
			if p := c.Signatures[j].SignedBy; p != nil {
				out = append(out, p)
			}
		}
	}
	for i := range s.Notices {
		out = append(out, &s.Notices[i].RecordedBy)
	}
	for i := range s.Milestones {
		out = append(out, &s.Milestones[i].RecordedBy)
	}
	for i := range s.Documents {
		if p := s.Documents[i].Reviewer; p != nil {
			out = append(out, p)
		}
	}
	return out
}

// checklistsPDF prints each vessel's checklists: status and signatures, then every item
// with its answer, remark and who gave it.
func (r *pdfReport) checklistsPDF() {
	w := r.w
	w.heading("Phase checklists", 24)
	if len(r.s.Checklists) == 0 {
		w.paragraph("No checklists: the room has no vessels", textSize, "", colText)
		return
	}
	w.note("STS Transfer Guide checklists 1–5 of each ship. Complete: every item answered, no required item answered no, " +
		"signed by each ship's side and the POAC.")
	for _, c := range r.s.Checklists {
		status, sc := "complete", colGood
		if !c.Complete {
			status, sc = "not complete", colBad
		}
		w.subheading(orDash(c.VesselName)+bulletDot+"checklist "+strconv.Itoa(c.Phase)+" "+oneLine(c.Title), status, 2*(lineH+2*padY))
		if !c.Complete && c.Lacks != "" {
			w.paragraph(oneLine(c.Lacks), 8, "", sc)
		}
		var sigs [][]cell
		for _, s := range c.Signatures {
			who, when := cell{text: "awaited", bold: true, color: &colBad}, cell{text: emptyValue}
			if s.SignedBy != nil {
				who, when = cell{text: s.SignedBy.String()}, cell{text: fmtSecond(deref(s.SignedAt))}
			}
			sigs = append(sigs, []cell{{text: oneLine(s.SideName)}, who, when})
		}
		w.table([]column{{"Signature", 55, "L", false, false}, {"Signed by", 85, "L", false, false}, {"Signed (UTC)", 40, "L", false, false}}, sigs)
		var items [][]cell
		for _, it := range c.Items {
			answer, ac := answerWord(it.Answer, it.Required)
			text := oneLine(it.Text)
			if !it.Required {
				text += " (optional)"
			}
			note := cell{text: orDash(strings.TrimSpace(clean(it.Remark)))}
			if it.AnsweredBy != nil {
				note.sub = it.AnsweredBy.String() + bulletDot + fmtSecond(deref(it.AnsweredAt))
			}
			items = append(items, []cell{{text: strconv.Itoa(it.Position)}, {text: text}, {text: answer, bold: true, color: &ac}, note})
		}
		w.f.Ln(1)
		w.table([]column{{"#", 8, "R", false, false}, {"Item", 88, "L", false, false}, {"Answer", 22, "L", false, false},
			{"Remark · answered by", 62, "L", false, false}}, items)
	}
}

// answerWord is an answer for the PDF with its colour: a required "no" in red.
func answerWord(answer string, required bool) (string, rgb) {
	switch answer {
	case "":
		return "unanswered", colWarn
	case "no":
		if required {
			return "no", colBad
		}
		return "no", colWarn
	}
	return words(answer), colGood
}

// noticesPDF lists the coastal-state notices and permissions.
func (r *pdfReport) noticesPDF() {
	w := r.w
	w.heading("Coastal-state notices", 16)
	if len(r.s.Notices) == 0 {
		w.paragraph("No notice or permission recorded", textSize, "", colText)
		return
	}
	rows := make([][]cell, 0, len(r.s.Notices))
	for _, n := range r.s.Notices {
		rows = append(rows, []cell{{text: orDash(oneLine(n.VesselName))}, {text: words(n.Kind)}, {text: orDash(oneLine(n.Reference))},
			{text: fmtMinute(n.NotifiedAt)}, {text: fmtMinute(n.ETAAtNotice)}, {text: n.RecordedBy.String(), sub: fmtMinute(n.RecordedAt)}})
	}
	w.table([]column{{"Vessel", 36, "L", false, false}, {"Kind", 20, "L", false, false}, {"Reference", 30, "L", false, false},
		{"Given (UTC)", 28, "L", false, false}, {"ETA then", 28, "L", false, false}, {"Recorded by", 38, "L", false, false}}, rows)
}

// milestonesPDF lists the operation's milestones.
func (r *pdfReport) milestonesPDF() {
	w := r.w
	w.heading("Operation milestones", 16)
	if len(r.s.Milestones) == 0 {
		w.paragraph("No milestone recorded", textSize, "", colText)
		return
	}
	rows := make([][]cell, 0, len(r.s.Milestones))
	for _, m := range r.s.Milestones {
		rows = append(rows, []cell{{text: orDash(m.Label)}, {text: fmtMinute(m.OccurredAt)}, {text: m.RecordedBy.String(), sub: fmtMinute(m.RecordedAt)}})
	}
	w.table([]column{{"Milestone", 60, "L", false, false}, {"When (UTC)", 40, "L", false, false}, {"Recorded by", 80, "L", false, false}}, rows)
}

func deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

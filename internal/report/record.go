package report

import (
	"strconv"
	"strings"

	"github.com/stshub/stshub/internal/audit"
)

// The parts of the PDF that make it a record to file: each document's review (who approved
// or rejected it, when) and validity against the operation window, the warnings, and the
// audit excerpt in words with people by name and e-mail.

// versionNote is a document's version under its status: "v2 of 2".
func versionNote(d Document) string {
	v := d.LatestVersion
	switch {
	case v == nil:
		return "nothing uploaded"
	case d.Versions > 1:
		return "v" + strconv.Itoa(v.Number) + " of " + strconv.Itoa(d.Versions)
	}
	return "v" + strconv.Itoa(v.Number)
}

// validityCell is the validity against the operation window in words, a lapse or an
// expiry in red, with the expiry date (or a point-in-time's end) below it.
func validityCell(d Document) cell {
	expiry := docExpiry(d)
	v := oneLine(d.Validity)
	if v == "" { // nothing uploaded, or a state captured before validity was put in words
		return cell{text: expiry}
	}
	c := cell{text: v}
	if expiry != emptyValue {
		c.sub = "until " + expiry
		if d.ExpiresOn != "" {
			c.sub = "expiry date " + expiry
		}
	}
	if strings.HasPrefix(v, "expired") || strings.HasPrefix(v, "lapses") {
		c.color, c.bold = &colBad, true
	}
	return c
}

// reviewerCell names who approved or rejected the document's latest version, by name and
// e-mail, and when (UTC).
func reviewerCell(d Document) cell {
	p := d.Reviewer
	if p == nil && d.ReviewedBy != "" { // a state captured before reviewers had names
		p = &Person{Email: d.ReviewedBy}
	}
	if p == nil || d.ReviewedAt == nil {
		if d.Status == "under_review" {
			return cell{text: "awaiting review", color: &colWarn}
		}
		return cell{text: emptyValue}
	}
	verb := "approved"
	switch {
	case d.Status == "rejected":
		verb = "rejected"
	case !d.Required:
		verb = "waived"
	}
	when := verb + " " + d.ReviewedAt.UTC().Format("2006-01-02 15:04")
	if oneLine(p.Name) == "" {
		return cell{text: orDash(p.Email), sub: when}
	}
	return cell{text: oneLine(p.Name), sub: oneLine(p.Email) + "\n" + when}
}

// warnings lists what blocks nothing yet deserves attention.
func (r *pdfReport) warnings() {
	w := r.w
	w.heading("Warnings", 16)
	if len(r.s.Warnings) == 0 {
		w.paragraph("None", textSize, "", colText)
		return
	}
	for _, s := range r.s.Warnings {
		w.paragraph("•  "+oneLine(s), textSize, "", colText)
	}
}

// actorCell is an audit entry's actor: the name, the e-mail below; "system" for its own.
func actorCell(e Activity) cell {
	switch {
	case e.Actor == "":
		return cell{text: "system"}
	case oneLine(e.ActorName) == "":
		return cell{text: oneLine(e.Actor)}
	}
	return cell{text: oneLine(e.ActorName), sub: oneLine(e.Actor)}
}

// activityWords is what an entry did in words; a state captured before entries were put
// in words shows the action's name.
func activityWords(e Activity) string {
	if d := oneLine(e.Description); d != "" {
		return d
	}
	return audit.Label(e.Action)
}

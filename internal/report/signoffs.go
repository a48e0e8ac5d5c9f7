package report

import (
	"fmt"
	"strings"
)

// signOffCoverage writes, under the sign-off table, what each decision covered (its
// documents at their versions and the chain position it was given at) and, for a stale
// one, what changed since.
func (r *pdfReport) signOffCoverage() {
	w := r.w
	first := true
	for _, a := range r.s.Approvals {
		if a.Coverage == nil {
			continue
		}
		if first {
			w.f.Ln(1.5)
			w.subheading("What each sign-off covered", "", 10)
			first = false
		}
		standing := "current"
		switch {
		case a.Stale:
			standing = "stale"
		case !a.Counts:
			standing = "no longer counts"
		}
		w.paragraph(fmt.Sprintf("%s (%s), %s on %s UTC: %s", oneLine(a.Email), roleLabel(a.Role), words(a.Status), fmtSecond(a.DecidedAt), standing),
			8.5, "B", colText)
		docs := make([]string, 0, len(a.Coverage.Documents))
		for _, d := range a.Coverage.Documents {
			name := oneLine(d.TypeName)
			if d.Vessel != "" {
				name += " — " + oneLine(d.Vessel)
			}
			if d.Version == 0 {
				docs = append(docs, name+": nothing uploaded")
				continue
			}
			docs = append(docs, fmt.Sprintf("%s: v%d %s (%s)", name, d.Version, hashPrefix(d.SHA256, 12), words(d.Status)))
		}
		if len(docs) == 0 {
			docs = append(docs, "no required document")
		}
		w.paragraph("Covered: "+strings.Join(docs, "; ")+".", 8, "", colText)
		w.note(fmt.Sprintf("Given at audit trail entry #%d (%s); coverage digest %s.", a.Coverage.Chain.Seq,
			hashPrefix(a.Coverage.Chain.Hash, 16), hashPrefix(a.Coverage.Digest, 16)))
		if a.Stale {
			w.paragraph("Changed since: "+strings.Join(cleanAll(a.ChangesSince), "; ")+".", 8, "", colWarn)
		}
		w.f.Ln(1)
	}
}

func cleanAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = oneLine(s)
	}
	return out
}

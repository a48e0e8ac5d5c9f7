package report

import (
	"regexp"
	"strings"
	"testing"
)

// TestPDFRecordToFile: the PDF a vetting officer files names, per document, who approved or
// rejected it (name and e-mail) and when, and its validity against the operation window;
// states the window and the warnings; and puts the audit lines in words, with people by name
// and e-mail and no ID.
func TestPDFRecordToFile(t *testing.T) {
	s, m := malta()
	pages := pdfTextAs(t, mustPDF(t, s, m), "-raw")
	flat := strings.Join(strings.Fields(strings.Join(pages, "\n")), " ")
	for _, want := range []string{
		"Operation window 2026-03-14 06:00 UTC to 2026-03-15 18:00 UTC · 36 h",
		"Warnings • Port state control inspection history — MT LEVANT PIONEER: missing (informative)",
		"Approved / rejected by (UTC)",
		// The Q88 of AEGEAN SERENITY: approved by the charterer's officer, named, with the time.
		"Claudia Brunner", "vetting@ mediterra-trading.ch approved 2026-03-04 11:27",
		// The rejected SIRE of LEVANT PIONEER, and who rejected it.
		"rejected 2026-03-06 16:30",
		"valid throughout", "no expiry: valid for this operation",
		"lapses during the operation on 2026-03-14", // the hoses
		// Audit lines in words.
		"approved SANCTIONS v1 of MT LEVANT PIONEER",
		"rejected SIRE v1 of MT LEVANT PIONEER",
		"signed off as charterer",
		"added Claudia Brunner <vetting@mediterra-trading.ch> as charterer",
		"moved the room from draft to clearing",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	audit := flat[strings.Index(flat, "Audit excerpt"):]
	audit = regexp.MustCompile(`Snapshot `+m.ID+` ·`).ReplaceAllString(audit, "") // the footers name the snapshot
	if id := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-`).FindString(audit); id != "" {
		t.Errorf("an audit line shows the ID %q", id)
	}
	for _, code := range []string{"document_approved", "approval_recorded", "party_added"} {
		if strings.Contains(audit, code) {
			t.Errorf("an audit line shows the action code %q", code)
		}
	}
}

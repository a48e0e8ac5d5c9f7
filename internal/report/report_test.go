package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites the file under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -run %s -update to create it): %v", t.Name(), err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the rendering (run go test -run %s -update if the change is intended)\n%s",
			path, t.Name(), firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant %q\n got %q", i+1, w, g)
		}
	}
	return "(same lines; line ends differ)"
}

// pdfText extracts the text of a PDF with pdftotext -layout, one string per page. Without
// pdftotext the test is skipped, unless CI=true, where it fails.
func pdfText(t testing.TB, pdf []byte) []string {
	t.Helper()
	return pdfTextAs(t, pdf, "-layout")
}

// pdfTextAs is pdfText in another pdftotext mode: "-raw" keeps the order the text was
// drawn in, so a table cell's lines stay together.
func pdfTextAs(t testing.TB, pdf []byte, mode string) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext (poppler-utils) is required in CI to check the PDF's text")
		}
		t.Skip("pdftotext not found: install poppler-utils to check the PDF's text")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, mode, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1] // pdftotext ends every page with a form feed
	}
	return pages
}

var wordBox = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// checkMargins fails when a word of the PDF lies outside the 15 mm side margins or off the
// page (pdftotext -bbox gives every word's box in points).
func checkMargins(t *testing.T, pdf []byte) {
	t.Helper()
	pdfText(t, pdf) // skips without pdftotext
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-bbox", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	const mm = 72 / 25.4
	words := wordBox.FindAllStringSubmatch(string(out), -1)
	if len(words) == 0 {
		t.Fatal("no words found")
	}
	for _, w := range words {
		x0, _ := strconv.ParseFloat(w[1], 64)
		y0, _ := strconv.ParseFloat(w[2], 64)
		x1, _ := strconv.ParseFloat(w[3], 64)
		y1, _ := strconv.ParseFloat(w[4], 64)
		if x0 < marginX*mm-0.5 || x1 > (pageW-marginX)*mm+0.5 || y0 < 0 || y1 > pageH*mm {
			t.Errorf("%q lies outside the margins: x %.1f–%.1f mm, y %.1f–%.1f mm", w[5], x0/mm, x1/mm, y0/mm, y1/mm)
		}
	}
}

func mustPDF(t testing.TB, s State, m Meta) []byte {
	t.Helper()
	b, err := PDF(s, m)
	if err != nil {
		t.Fatalf("PDF: %v", err)
	}
	return b
}

func TestJSONGolden(t *testing.T) {
	s, _ := malta()
	got, err := JSON(s)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "malta.json", got)
}

func TestCSVGolden(t *testing.T) {
	s, _ := malta()
	got, err := CSV(s)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "malta.csv", got)
}

// TestPDFTextGolden checks the PDF's text. To look at the PDF itself, set REPORT_PDF_OUT
// to a file name: REPORT_PDF_OUT=/tmp/malta.pdf go test -run TestPDFTextGolden ./internal/report/
func TestPDFTextGolden(t *testing.T) {
	s, m := malta()
	pdf := mustPDF(t, s, m)
	if out := os.Getenv("REPORT_PDF_OUT"); out != "" {
		if err := os.WriteFile(out, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pages := pdfText(t, pdf)
	golden(t, "malta.pdf.txt", []byte(strings.Join(pages, "\f")+"\f"))
}

func TestPDFIsDeterministic(t *testing.T) {
	s, m := malta()
	a, b := mustPDF(t, s, m), mustPDF(t, s, m)
	if !bytes.HasPrefix(a, []byte("%PDF-")) {
		t.Fatalf("output starts with %q, want %%PDF-", a[:min(len(a), 8)])
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same snapshot differ")
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20260312093000")) {
		t.Error("the creation date is not the snapshot's creation time")
	}
	// A different snapshot of the same state differs only in its identity, which shows.
	m.ID = "0195d8e2-0000-7000-8000-000000000000"
	if bytes.Equal(a, mustPDF(t, s, m)) {
		t.Error("the snapshot ID does not change the PDF")
	}
}

// TestPDFConcurrent renders in parallel, as a pool of snapshot workers would: fpdf keeps no
// shared mutable state, and every rendering gives the same bytes.
func TestPDFConcurrent(t *testing.T) {
	s, m := malta()
	want := mustPDF(t, s, m)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			got, err := PDF(s, m)
			if err == nil && !bytes.Equal(got, want) {
				err = fmt.Errorf("a concurrent rendering differs")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestPDFContent(t *testing.T) {
	s, m := malta()
	pdf := mustPDF(t, s, m)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatal("output does not start with %PDF-")
	}
	pages := pdfText(t, pdf)
	n := len(pages)
	if n < 2 {
		t.Fatalf("%d page(s), want at least 2", n)
	}
	if info, err := exec.LookPath("pdfinfo"); err == nil {
		path := filepath.Join(t.TempDir(), "r.pdf")
		if err := os.WriteFile(path, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(info, path).Output()
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`(?m)^Pages:\s+` + strconv.Itoa(n) + `$`).Match(out) {
			t.Errorf("pdfinfo disagrees with pdftotext's %d pages:\n%s", n, out)
		}
	}
	head := fmt.Sprintf("audit head 30/%s", s.Audit.Hash[:16])
	for i, p := range pages {
		footer := fmt.Sprintf("Snapshot %s · created 2026-03-12T09:30:00Z · %s · page %d of %d", m.ID, head, i+1, n)
		if !strings.Contains(p, footer) {
			t.Errorf("page %d lacks the footer %q", i+1, footer)
		}
		if !strings.Contains(p, s.Room.Title) {
			t.Errorf("page %d lacks the room title in its header", i+1)
		}
	}
	checkMargins(t, pdf)
	all := strings.Join(pages, "\n")
	for _, want := range []string{
		"STS Clearance Hub — Clearance snapshot",
		m.Title,
		"2026-03-14 06:00 UTC", // STS ETA
		"Es Sider crude · oil operation · 80,000 t",
		"CLEARING",
		"17 of 20 required documents approved",
		"2026-03-12 09:30 UTC by " + charterer, // generated
		"2026-03-12 09:29 UTC",                 // captured
		"entry #30",
		s.Audit.Hash, // in full on the cover
		greekName, russian, italian,
		"removed 2026-03-10",
		"115,800 t · Aframax", "249.9 m", "Lloyd's Register", "636019284",
		"Joint Plan of Operation (incl. mooring plan): missing",
		"waived",
		s.Documents[0].LatestVersion.SHA256[:12],
		"No sign-offs recorded", // must not appear: checked below
	} {
		if want == "No sign-offs recorded" {
			continue
		}
		if !strings.Contains(all, want) {
			t.Errorf("the PDF text lacks %q", want)
		}
	}
	if strings.Contains(all, s.Documents[0].LatestVersion.SHA256[:13]) {
		t.Error("a document hash is printed longer than 12 characters")
	}
	// Blockers keep their given order, most critical first.
	if i, j := strings.Index(all, "Joint Plan of Operation (incl. mooring plan): missing"),
		strings.Index(all, "Safety data sheet of cargo (and previous cargo): awaiting review"); i < 0 || j < i {
		t.Error("blockers are not in the given order")
	}
	// Every audit entry is listed.
	for _, e := range s.Activity {
		if !strings.Contains(all, e.Hash[:12]) {
			t.Errorf("audit entry #%d is missing", e.Seq)
		}
	}
}

func TestPDFSectionsOmitted(t *testing.T) {
	s, m := malta()
	s.Sections = Sections{}
	all := strings.Join(pdfText(t, mustPDF(t, s, m)), "\n")
	for _, absent := range []string{"Document checklist", "Sign-offs", "Audit excerpt", "Uploader", s.Activity[0].Hash[:12]} {
		if strings.Contains(all, absent) {
			t.Errorf("with no optional section, the PDF still shows %q", absent)
		}
	}
	for _, present := range []string{"Blockers", "Vessels", "Parties", "Not included: document checklist, sign-offs, audit excerpt"} {
		if !strings.Contains(all, present) {
			t.Errorf("the PDF lacks %q", present)
		}
	}

	s.Sections = Sections{Approvals: true}
	s.Approvals = nil
	all = strings.Join(pdfText(t, mustPDF(t, s, m)), "\n")
	if !strings.Contains(all, "No sign-offs recorded") {
		t.Error("an empty sign-off section does not say so")
	}
}

func TestPDFNoBlockersAndDefaultTitle(t *testing.T) {
	s, m := malta()
	s.Blockers = nil
	m.Title = ""
	// The title may wrap: compare with runs of white space collapsed.
	all := strings.Join(strings.Fields(strings.Join(pdfText(t, mustPDF(t, s, m)), "\n")), " ")
	for _, want := range []string{"None — every required document is approved and valid", "Snapshot of " + s.Room.Title} {
		if !strings.Contains(all, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
}

// TestPDFEdgeCases renders awkward input: empty state, missing optional values, long
// unbroken text and control characters. Nothing may fail and text must not leave the page.
func TestPDFEdgeCases(t *testing.T) {
	a, err := PDF(State{}, Meta{})
	if err != nil {
		t.Fatalf("empty state: %v", err)
	}
	if b, _ := PDF(State{}, Meta{}); !bytes.Equal(a, b) {
		t.Error("without a creation time the PDF is not deterministic")
	}
	empty := strings.Join(pdfText(t, a), "\n")
	for _, want := range []string{"No vessels recorded", "No parties recorded", "not recorded", "No checklists", "No notice or permission recorded",
		"No milestone recorded", "page 1 of "} {
		if !strings.Contains(empty, want) {
			t.Errorf("the PDF of an empty state lacks %q", want)
		}
	}
	s, m := malta()
	long := strings.Repeat("A-very-long-unbroken-word-", 12)
	s.Room.Title = long
	s.Room.Description = strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\r\n\t", 60)
	s.Documents[0].WaiveReason = strings.Repeat("reason ", 900) // taller than a page once wrapped
	s.Documents[0].Required = false
	s.Vessels[0].DWT, s.Vessels[0].LOA, s.Room.CargoQuantity = nil, nil, nil
	s.Parties[0].Name = "Name with {stshub:nb} alias and \x07 bell"
	s.Parties[1].Email = strings.Repeat("averyveryverylonglocalpart", 4) + "@example.com"
	pdf := mustPDF(t, s, m)
	checkMargins(t, pdf)
	pages := pdfText(t, pdf)
	all := strings.Join(pages, "\n")
	if strings.Contains(all, "\x07") {
		t.Error("a control character reached the PDF")
	}
	if !strings.Contains(all, "{stshub-nb}") {
		t.Error("the page-count alias in user text was not defused")
	}
	for i, p := range pages {
		if !strings.Contains(p, fmt.Sprintf("page %d of %d", i+1, len(pages))) {
			t.Errorf("page %d lacks its page number", i+1)
		}
	}
}

func TestCSVInjectionAndQuoting(t *testing.T) {
	s, _ := malta()
	s.Documents = s.Documents[:6]
	s.Documents[0].ReviewReason = "=cmd|' /C calc'!A0"
	s.Documents[1].ReviewReason = "+1"
	s.Documents[2].ReviewReason = "-1"
	s.Documents[3].ReviewReason = "@SUM(A1)"
	s.Documents[4].ReviewReason = "expired, \"per P&I\"\nsee note"
	s.Documents[5].ReviewReason = "plain"
	b, err := CSV(s)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if !strings.HasSuffix(text, "\r\n") {
		t.Error("the CSV does not end with CRLF")
	}
	// Every record ends with CRLF: no bare LF outside a quoted field.
	for i, rec := range strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n") {
		if strings.Count(rec, "\"")%2 == 0 && strings.Contains(rec, "\n") {
			t.Errorf("record %d has a bare LF line end", i)
		}
	}
	if !strings.HasPrefix(text, strings.Join(csvHeader, ",")+"\r\n") {
		t.Error("the first row is not the header")
	}
	if !strings.Contains(text, `"expired, ""per P&I""`+"\r\n"+`see note"`) {
		t.Error("a field with comma, quote and newline is not RFC 4180 quoted")
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1 // the tables after the documents have their own columns
	all, err := r.ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	// The documents table ends before the first section title (empty rows are skipped).
	end := slices.IndexFunc(all, func(row []string) bool { return len(row) == 1 && row[0] == "Checklist items" })
	if end < 0 {
		t.Fatal("no checklist items table")
	}
	rows := all[:end]
	col := -1
	for i, h := range rows[0] {
		if h == "review_reason" {
			col = i
		}
	}
	for i, want := range []string{"'=cmd|' /C calc'!A0", "'+1", "'-1", "'@SUM(A1)", "expired, \"per P&I\"\nsee note", "plain"} {
		if got := rows[i+1][col]; got != want {
			t.Errorf("row %d review_reason = %q, want %q", i+1, got, want)
		}
	}
	if len(rows) != 7 {
		t.Errorf("%d rows, want header and 6 documents", len(rows))
	}
	// The further tables: a title row, a header row, then rows; a spreadsheet formula in an
	// item's text is defused there too.
	titles := []string{}
	for _, row := range all[end:] {
		if len(row) == 1 {
			titles = append(titles, row[0])
		}
	}
	if strings.Join(titles, "|") != "Checklist items|Checklist signatures|Coastal-state notices|Milestones|Sign-offs|Questions" {
		t.Errorf("section titles %q", titles)
	}
	if !strings.Contains(text, "'=HYPERLINK(") || !strings.Contains(text, "Capt. Nikos Papadakis,"+aegeanOwn+",2026-03-09T10:00:00Z") {
		t.Error("the checklist items table lacks a defused formula or the answerer by name, e-mail and ISO time")
	}
}

func TestJSONContract(t *testing.T) {
	s, _ := malta()
	s.Schema = "" // the renderer stamps it
	a, err := JSON(s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := JSON(s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two renderings differ")
	}
	if !bytes.Contains(a, []byte(`"schema": "stshub.snapshot/v1"`)) {
		t.Error("no schema")
	}
	captured := s.CapturedAt.Format(time.RFC3339Nano)
	if bytes.Contains(a, []byte(captured)) || bytes.Contains(bytes.ToLower(a), []byte("captured")) {
		t.Errorf("CapturedAt (%s) is in the JSON", captured)
	}
	// A later capture of the unchanged room gives the same bytes.
	s.CapturedAt = s.CapturedAt.Add(time.Hour)
	if c, _ := JSON(s); !bytes.Equal(a, c) {
		t.Error("the capture time changes the JSON")
	}
	var back State
	if err := json.Unmarshal(a, &back); err != nil {
		t.Fatalf("the JSON does not parse back: %v", err)
	}
	if len(back.Documents) != len(s.Documents) || back.Audit != s.Audit {
		t.Error("the JSON does not round-trip")
	}
	empty, err := JSON(State{})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"blockers": []`, `"vessels": []`, `"parties": []`} {
		if !bytes.Contains(empty, []byte(key)) {
			t.Errorf("an empty state lacks %s", key)
		}
	}
}

// largeRoom is a busy room: two vessels, 60 documents, 500 audit entries.
func largeRoom() (State, Meta) {
	s, m := malta()
	base := s.Documents
	s.Documents = nil
	for i := range 60 {
		d := base[i%len(base)]
		d.ID = fmt.Sprintf("doc-%03d", i)
		if i >= len(base) {
			d.TypeName += fmt.Sprintf(" (annex %d)", i/len(base))
		}
		s.Documents = append(s.Documents, d)
	}
	act := s.Activity
	s.Activity = nil
	for i := range 500 {
		e := act[i%len(act)]
		e.Seq = int64(i + 1)
		e.TS = e.TS.Add(time.Duration(i) * time.Minute)
		e.Hash = hexOf(strconv.Itoa(i))
		s.Activity = append(s.Activity, e)
	}
	s.Audit = AuditHead{Seq: 500, Hash: hexOf("499")}
	s.Sections = Sections{Documents: true, Activity: true, Approvals: true}
	return s, m
}

func TestPDFLargeRoom(t *testing.T) {
	s, m := largeRoom()
	pdf := mustPDF(t, s, m)
	checkMargins(t, pdf)
	pages := pdfText(t, pdf)
	all := strings.Join(pages, "\n")
	for _, e := range s.Activity {
		if !strings.Contains(all, e.Hash[:12]) {
			t.Fatalf("audit entry #%d is missing", e.Seq)
		}
	}
	// The tables' headers repeat on every page they reach.
	// (The last entry's hash is the audit head, printed in every footer: leave it out.)
	for i, p := range pages {
		for _, e := range s.Activity[:499] {
			if strings.Contains(p, e.Hash[:12]) && !strings.Contains(p, "Seq") {
				t.Errorf("page %d continues the audit table without its header", i+1)
				break
			}
		}
	}
}

func BenchmarkPDFLargeRoom(b *testing.B) {
	s, m := largeRoom()
	var size int
	b.ReportAllocs()
	for b.Loop() {
		out, err := PDF(s, m)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}

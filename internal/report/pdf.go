package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PDF renders a snapshot as an A4 report for the parties' files and vetting departments:
// a cover with the room, its clearance status and the snapshot's identity, then the
// blockers, the vessels' particulars, the parties, the document checklist and the sign-offs
// when the snapshot includes them, the phase checklists, the coastal-state notices, the
// operation's milestones, the questions on documents, and the audit excerpt when included.
// Every page carries the room title in its header and the snapshot's ID, creation time,
// audit head and page number in its footer. Times are printed in UTC.
//
// The output is deterministic: the same State and Meta give the same bytes (the PDF's
// creation and modification dates are m.CreatedAt).
func PDF(s State, m Meta) ([]byte, error) {
	r := &pdfReport{s: s, m: m, w: writer{f: newDoc()}}
	return r.render()
}

// pdfReport is one rendering of a snapshot.
type pdfReport struct {
	s State
	m Meta
	w writer
}

func (r *pdfReport) render() ([]byte, error) {
	f := r.w.f
	// A zero date would make fpdf print the time of rendering: keep the output fixed.
	created := r.m.CreatedAt.UTC()
	if r.m.CreatedAt.IsZero() {
		created = time.Unix(0, 0).UTC()
	}
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	f.SetCatalogSort(true)
	f.SetCompression(true)
	f.SetTitle(r.title(), true)
	f.SetSubject("Clearance snapshot of "+oneLine(r.s.Room.Title), true)
	f.SetAuthor(oneLine(r.m.CreatedBy), true)
	f.SetCreator("STS Clearance Hub", true)
	f.SetLang("en")
	f.SetHeaderFuncMode(r.header, true)
	f.SetFooterFunc(r.footer)

	r.cover()
	r.blockers()
	r.warnings()
	r.vessels()
	r.parties()
	if r.s.Sections.Documents {
		r.documents()
	}
	if r.s.Sections.Approvals {
		r.approvals()
	}
	r.checklistsPDF()
	r.noticesPDF()
	r.milestonesPDF()
	r.questionsPDF()
	if r.s.Sections.Activity {
		r.activity()
	}

	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("render pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// title is the snapshot's title, or one made from the room's.
func (r *pdfReport) title() string {
	if t := oneLine(r.m.Title); t != "" {
		return t
	}
	return "Snapshot of " + oneLine(r.s.Room.Title)
}

// header is the running header: the room title, and the product on the right.
func (r *pdfReport) header() {
	w, f := r.w, r.w.f
	const right = "STS Clearance Hub · clearance snapshot"
	w.font(fontSans, "", 8)
	rw := f.GetStringWidth(right) + 4
	w.font(fontSans, "B", 8)
	w.text(colText)
	f.SetXY(marginX, marginTop-5)
	f.CellFormat(contentW-rw, 4, w.fit(orDash(r.s.Room.Title), contentW-rw), "", 0, "L", false, 0, "")
	w.font(fontSans, "", 8)
	w.text(colMuted)
	f.CellFormat(rw, 4, right, "", 0, "R", false, 0, "")
	w.draw(colRule)
	f.Line(marginX, marginTop, marginX+contentW, marginTop)
}

// footer is the running footer that ties every page to the snapshot.
func (r *pdfReport) footer() {
	w, f := r.w, r.w.f
	id := orDash(r.m.ID)
	rest := fmt.Sprintf(" · created %s · audit head %d/%s · page %d of %s",
		r.m.CreatedAt.UTC().Format(time.RFC3339), r.s.Audit.Seq, hashPrefix(r.s.Audit.Hash, 16), f.PageNo(), nbAlias)
	size := 7.5
	w.font(fontSans, "", size)
	for size > minFooterPt && f.GetStringWidth("Snapshot "+id+rest) > contentW {
		size -= 0.5
		w.font(fontSans, "", size)
	}
	if f.GetStringWidth("Snapshot "+id+rest) > contentW {
		id = w.fit(id, contentW-f.GetStringWidth("Snapshot "+rest))
	}
	w.draw(colRule)
	f.Line(marginX, footerRule, marginX+contentW, footerRule)
	w.text(colMuted)
	f.SetXY(marginX, footerRule+1.5)
	f.CellFormat(contentW, 4, "Snapshot "+id+rest, "", 0, "L", false, 0, "")
}

// progress is the clearance progress sentence.
func (r *pdfReport) progress() string {
	p := r.s.Progress
	return fmt.Sprintf("%d of %d required documents approved", p.Approved, p.Required)
}

func (r *pdfReport) cover() {
	w, f := r.w, r.w.f
	s := r.s
	f.AddPage()

	w.font(fontSans, "B", 10)
	w.text(colAccent)
	f.CellFormat(contentW, 5, "STS Clearance Hub — Clearance snapshot", "", 1, "L", false, 0, "")
	f.Ln(2)
	w.font(fontSans, "B", 18)
	w.text(colText)
	for _, l := range w.wrap(r.title(), contentW) {
		f.CellFormat(contentW, 8, l, "", 1, "L", false, 0, "")
	}
	if oneLine(r.m.Title) != "" {
		w.font(fontSans, "", 11.5)
		w.text(colMuted)
		for _, l := range w.wrap(oneLine(s.Room.Title), contentW) {
			f.CellFormat(contentW, 5.5, l, "", 1, "L", false, 0, "")
		}
	}
	f.Ln(4)
	r.summaryStrip()
	f.Ln(4)

	rows := [][]cell{
		{{text: "Room"}, {text: orDash(s.Room.Title), sub: "Room ID " + orDash(s.Room.ID)}},
		{{text: "Location"}, {text: orDash(s.Room.Location)}},
		{{text: "STS ETA"}, {text: fmtMinute(s.Room.STSETA)}},
		{{text: "Operation window"}, {text: r.window()}},
		{{text: "Coastal state"}, {text: r.coastalArea()}},
		{{text: "Cargo"}, {text: r.cargo()}},
		{{text: "Room status"}, {text: strings.ToUpper(orDash(words(s.Room.Status))), bold: true}},
		{{text: "Clearance progress"}, {text: r.progress()}},
	}
	if h := s.Room.Hold; h != nil {
		rows = append(rows, []cell{{text: "Hold"}, {text: holdText(*h), sub: "placed " + fmtMinute(h.PlacedAt) + " by " + orDash(h.PlacedBy)}})
	}
	if d := strings.TrimSpace(clean(s.Room.Description)); d != "" {
		rows = append(rows, []cell{{text: "Description"}, {text: d}})
	}
	rows = append(rows,
		[]cell{{text: "Room created"}, {text: fmtMinute(s.Room.CreatedAt) + " by " + s.Room.CreatedBy.String()}},
		[]cell{{text: "Snapshot ID"}, {text: orDash(r.m.ID), mono: true}},
		[]cell{{text: "Generated"}, {text: fmtMinute(r.m.CreatedAt) + " by " + orDash(r.m.CreatedBy)}},
		[]cell{{text: "State captured"}, {text: fmtMinute(s.CapturedAt)}},
		[]cell{{text: "Audit chain head"}, {text: "entry #" + strconv.FormatInt(s.Audit.Seq, 10) + ", the last change reflected"}},
		[]cell{{text: "Head hash (SHA-256)"}, {text: orDash(s.Audit.Hash), mono: true}},
		[]cell{{text: "Sections"}, {text: r.sectionList()}},
	)
	w.table([]column{{width: 42, label: true}, {width: contentW - 42}}, rows)
	f.Ln(2.5)
	w.note(fmt.Sprintf("This report shows the room as it stood at audit entry #%d, captured %s; later changes are "+
		"not reflected. To check it against the room's audit trail, the entry with that number must carry the head "+
		"hash above. Times are UTC.", s.Audit.Seq, fmtMinute(s.CapturedAt)))
}

// cargo is the cargo type and quantity.
func (r *pdfReport) cargo() string {
	t := oneLine(r.s.Room.CargoType)
	if t == "" {
		t = "cargo type not stated"
	}
	if c := r.s.Room.CargoClass; c != "" {
		t += bulletDot + c + " operation"
	}
	return t + bulletDot + fmtTonnes(r.s.Room.CargoQuantity)
}

// window is the operation window: from the ETA to its end, and its length ("—" for a state
// captured before rooms had one).
func (r *pdfReport) window() string {
	room := r.s.Room
	if room.STSEnd.IsZero() {
		return emptyValue
	}
	return r.windowSpan() + bulletDot + strconv.FormatFloat(room.STSEnd.Sub(room.STSETA).Hours(), 'f', -1, 64) + " h"
}

// windowSpan is "2026-03-14 06:00 UTC to 2026-03-15 18:00 UTC".
func (r *pdfReport) windowSpan() string {
	room := r.s.Room
	if room.STSEnd.IsZero() {
		return "from " + fmtMinute(room.STSETA)
	}
	return fmtMinute(room.STSETA) + " to " + fmtMinute(room.STSEnd)
}

// coastalArea names the coastal state or area whose rule applies.
func (r *pdfReport) coastalArea() string {
	room := r.s.Room
	if room.CoastalArea == "" {
		return "not named"
	}
	return oneLine(room.CoastalAreaName) + " (" + room.CoastalArea + ")"
}

// sectionList says which optional sections the snapshot includes.
func (r *pdfReport) sectionList() string {
	var in, out []string
	add := func(ok bool, name string) {
		if ok {
			in = append(in, name)
		} else {
			out = append(out, name)
		}
	}
	add(r.s.Sections.Documents, "document checklist")
	add(r.s.Sections.Approvals, "sign-offs")
	add(r.s.Sections.Activity, "audit excerpt")
	text := "Blockers, warnings, vessels, parties, checklists, notices, milestones"
	if len(in) > 0 {
		text += ", " + strings.Join(in, ", ")
	}
	if len(out) > 0 {
		text += "\nNot included: " + strings.Join(out, ", ")
	}
	return text
}

// summaryStrip draws three boxes: room status, clearance progress (with a bar) and blockers.
func (r *pdfReport) summaryStrip() {
	w, f := r.w, r.w.f
	s := r.s
	const h, gap = 17.0, 4.0
	bw := (contentW - 2*gap) / 3
	y := f.GetY()

	high := 0
	for _, b := range s.Blockers {
		if critLetter(b.Criticality) == "H" {
			high++
		}
	}
	blockers, blockColor := "None", colGood
	if n := len(s.Blockers); n > 0 {
		blockers, blockColor = strconv.Itoa(n), colBad
		if high > 0 {
			blockers += fmt.Sprintf(" (%d high)", high)
		}
	}
	statusColor := colWarn
	switch s.Room.Status {
	case "cleared", "in_operation", "completed":
		statusColor = colGood
	case "on_hold", "cancelled":
		statusColor = colBad
	}
	boxes := []struct {
		label, value string
		c            rgb
	}{
		{"Room status", strings.ToUpper(orDash(words(s.Room.Status))), statusColor},
		{"Clearance progress", fmt.Sprintf("%d of %d approved", s.Progress.Approved, s.Progress.Required), colText},
		{"Blockers", blockers, blockColor},
	}
	for i, b := range boxes {
		x := marginX + float64(i)*(bw+gap)
		w.fill(colLabelFill)
		w.draw(colGrid)
		f.Rect(x, y, bw, h, "FD")
		w.fill(b.c)
		f.Rect(x, y, 1.2, h, "F") // a coloured edge, a second cue only
		w.font(fontSans, "", 8)
		w.text(colMuted)
		f.SetXY(x+4, y+2)
		f.CellFormat(bw-6, 4, b.label, "", 0, "L", false, 0, "")
		w.font(fontSans, "B", 13)
		w.text(b.c)
		f.SetXY(x+4, y+7)
		f.CellFormat(bw-6, 6, w.fit(b.value, bw-6), "", 0, "L", false, 0, "")
		if i == 1 && s.Progress.Required > 0 {
			frac := min(1, max(0, float64(s.Progress.Approved)/float64(s.Progress.Required)))
			w.fill(rgb{255, 255, 255})
			f.Rect(x+4, y+h-3.5, bw-8, 1.6, "FD")
			w.fill(colGood)
			if frac > 0 {
				f.Rect(x+4, y+h-3.5, (bw-8)*frac, 1.6, "F")
			}
		}
	}
	f.SetXY(marginX, y+h)
}

func (r *pdfReport) blockers() {
	w := r.w
	w.heading("Blockers", 22)
	if len(r.s.Blockers) == 0 {
		w.paragraph("None — every required document is approved and valid", textSize, "B", colGood)
		return
	}
	w.note("What keeps the room from clearance, then what else keeps its operation from commencing; most critical first.")
	w.f.Ln(1)
	rows := make([][]cell, 0, len(r.s.Blockers))
	for i, b := range r.s.Blockers {
		word, c := critWord(b.Criticality)
		rows = append(rows, []cell{{text: strconv.Itoa(i + 1)}, {text: orDash(words(b.Gate))}, {text: word, bold: true, color: &c}, {text: orDash(b.Reason)}})
	}
	w.table([]column{{"#", 9, "R", false, false}, {"Gate", 27, "L", false, false}, {"Criticality", 24, "L", false, false},
		{"Blocker", contentW - 60, "L", false, false}}, rows)
}

func (r *pdfReport) vessels() {
	w := r.w
	tableH := float64(len(vesselPairs(Vessel{}))/2) * (lineH + 2*padY) // kept with its heading
	w.heading("Vessels", 7+tableH+2)
	if len(r.s.Vessels) == 0 {
		w.paragraph("No vessels recorded", textSize, "", colText)
		return
	}
	for _, v := range r.s.Vessels {
		w.subheading(orDash(v.Name), roleLabel(v.Role)+" vessel", tableH)
		pairs := vesselPairs(v)
		var rows [][]cell
		for i := 0; i < len(pairs); i += 2 {
			rows = append(rows, []cell{{text: pairs[i][0]}, {text: pairs[i][1]}, {text: pairs[i+1][0]}, {text: pairs[i+1][1]}})
		}
		w.table([]column{{width: 30, label: true}, {width: 60}, {width: 30, label: true}, {width: 60}}, rows)
	}
}

// vesselPairs are a vessel's particulars as label and value, two to a table row.
func vesselPairs(v Vessel) [][2]string {
	dwt := emptyValue
	if v.DWT != nil {
		dwt = fmtNumber(float64(*v.DWT), 0) + " t"
		if sc := oneLine(v.SizeClass); sc != "" {
			dwt += bulletDot + sc
		}
	}
	return [][2]string{
		{"Role", roleLabel(v.Role)}, {"IMO number", orDash(v.IMO)},
		{"Flag", orDash(v.Flag)}, {"MMSI", orDash(v.MMSI)},
		{"Call sign", orDash(v.CallSign)}, {"Vessel type", orDash(words(v.VesselType))},
		{"DWT", dwt}, {"Built", intOrDash(v.BuiltYear)},
		{"LOA", metres(v.LOA)}, {"Beam", metres(v.Beam)},
		{"Class society", orDash(v.ClassSociety)}, {"P&I club", orDash(v.PIClub)},
		{"Registered owner", orDash(v.RegisteredOwner)}, {"DOC company", orDash(v.DOCCompany)},
		{"Owner IMO no.", orDash(v.RegisteredOwnerIMO)}, {"DOC IMO no.", orDash(v.DOCCompanyIMO)},
	}
}

func intOrDash(v *int) string {
	if v == nil {
		return emptyValue
	}
	return strconv.Itoa(*v)
}

func metres(v *float64) string {
	if v == nil {
		return emptyValue
	}
	return fmtNumber(*v, 2) + " m"
}

func (r *pdfReport) parties() {
	w := r.w
	w.heading("Parties", 2*(lineH+2*padY)+lineH)
	if len(r.s.Parties) == 0 {
		w.paragraph("No parties recorded", textSize, "", colText)
		return
	}
	rows := make([][]cell, 0, len(r.s.Parties))
	for _, p := range r.s.Parties {
		status, sc := "active", colGood
		if p.RemovedAt != nil {
			status, sc = "removed "+fmtDate(*p.RemovedAt), colBad
		}
		rows = append(rows, []cell{{text: orDash(p.Name)}, {text: orDash(p.Email)}, {text: roleLabel(p.Role)},
			{text: fmtDate(p.AddedAt)}, {text: status, bold: true, color: &sc}})
	}
	w.table([]column{{"Name", 48, "L", false, false}, {"Email", 52, "L", false, false}, {"Role", 23, "L", false, false},
		{"Added", 21, "L", false, false}, {"Status", 36, "L", false, false}}, rows)
}

// docGroup is the documents of one vessel, or of the room itself.
type docGroup struct {
	title, note string
	docs        []Document
}

// docGroups orders the checklist: each vessel's documents in vessel order, then the
// room-level ones, then any of a vessel no longer listed.
func (r *pdfReport) docGroups() []docGroup {
	byVessel := map[string][]Document{}
	for _, d := range r.s.Documents {
		byVessel[d.VesselID] = append(byVessel[d.VesselID], d)
	}
	var groups []docGroup
	for _, v := range r.s.Vessels {
		if docs := byVessel[v.ID]; len(docs) > 0 {
			groups = append(groups, docGroup{orDash(v.Name), roleLabel(v.Role) + bulletDot + "IMO " + orDash(v.IMO), docs})
			delete(byVessel, v.ID)
		}
	}
	if docs := byVessel[""]; len(docs) > 0 {
		groups = append(groups, docGroup{"Room-level documents", "the operation as a whole", docs})
		delete(byVessel, "")
	}
	// Documents of vessels not in the list, in the order given.
	seen := map[string]bool{}
	for _, d := range r.s.Documents {
		if docs, ok := byVessel[d.VesselID]; ok && !seen[d.VesselID] {
			seen[d.VesselID] = true
			groups = append(groups, docGroup{orDash(d.VesselName), "vessel no longer in the room", docs})
		}
	}
	return groups
}

func (r *pdfReport) documents() {
	w := r.w
	w.heading("Document checklist", 36)
	if len(r.s.Documents) == 0 {
		w.paragraph("No document requirements recorded", textSize, "", colText)
		return
	}
	w.note("Crit.: H high (blocks clearance), M medium (needed before commencement), L low (informative). " +
		"Validity: the latest version's expiry judged against the operation window (" + r.windowSpan() + "). " +
		"Approved / rejected by: who reviewed the latest version, and when. " +
		"SHA-256: first 12 hexadecimal characters of the latest version's hash. Waived requirements are marked waived.")
	cols := []column{{"Document", 48, "L", false, false}, {"Crit.", 9, "C", false, false}, {"Status", 20, "L", false, false},
		{"Validity in the window", 35, "L", false, false}, {"Approved / rejected by (UTC)", 44, "L", false, false}, {"SHA-256", 24, "L", true, false}}
	for _, g := range r.docGroups() {
		approved := 0
		for _, d := range g.docs {
			if d.Required && d.Status == "approved" {
				approved++
			}
		}
		note := fmt.Sprintf("%s · %d documents, %d approved", g.note, len(g.docs), approved)
		w.subheading(g.title, note, 3*(lineH+2*padY))
		rows := make([][]cell, 0, len(g.docs))
		for _, d := range g.docs {
			status, sc := docStatus(d)
			rows = append(rows, []cell{
				{text: orDash(d.TypeName), sub: docNote(d)},
				{text: critLetter(d.Criticality), bold: true},
				{text: status, bold: true, color: &sc, sub: versionNote(d)},
				validityCell(d),
				reviewerCell(d),
				{text: shaCell(d.LatestVersion)},
			})
		}
		w.table(cols, rows)
	}
}

// docNote is the secondary line of a checklist row: the type code, who uploaded the latest
// version and when, and why the document was waived or rejected.
func docNote(d Document) string {
	n := oneLine(d.TypeCode)
	if v := d.LatestVersion; v != nil {
		n += "\nUploaded by " + orDash(v.UploadedBy) + " " + fmtDate(v.UploadedAt)
	}
	switch {
	case !d.Required && oneLine(d.WaiveReason) != "":
		n += "\nWaived: " + oneLine(d.WaiveReason)
	case d.Required && d.Status == "rejected" && oneLine(d.ReviewReason) != "":
		n += "\nRejected: " + oneLine(d.ReviewReason)
	}
	if sc := d.Screening; sc != nil {
		n += "\n" + screeningNote(*sc)
	}
	return n
}

// screeningNote is a screening's outcome, provider, remark and subjects in a few words.
func screeningNote(sc Screening) string {
	n := "Outcome: " + orDash(words(sc.Outcome))
	if p := oneLine(sc.Provider); p != "" {
		n += " by " + p
	}
	if rm := oneLine(sc.Remark); rm != "" {
		n += " (" + rm + ")"
	}
	if sub := oneLine(sc.Subjects()); sub != "" {
		n += "\nScreened: " + sub
	}
	if rr := oneLine(sc.RerunReason); rr != "" {
		n += "\nTo re-run: " + rr
	}
	return n
}

// holdText says who may lift a hold, and why it was placed.
func holdText(h Hold) string {
	kind := "Hold"
	if h.Source == "screening" {
		kind = "Compliance hold"
	}
	return kind + ", lifted only by the " + orDash(words(h.Owner)) + ": " + orDash(oneLine(h.Reason))
}

// docExpiry is the expiry date (with the time of day it ends at, where it has one), or for
// point-in-time evidence the end of its validity.
func docExpiry(d Document) string {
	if e := oneLine(d.ExpiresOn); e != "" {
		if at := oneLine(d.ExpiryTime); at != "" {
			e += " " + at
		}
		return e
	}
	if d.ValidUntil != nil {
		return d.ValidUntil.UTC().Format("2006-01-02 15:04")
	}
	return emptyValue
}

func shaCell(v *Version) string {
	if v == nil {
		return emptyValue
	}
	return hashPrefix(v.SHA256, 12)
}

func (r *pdfReport) approvals() {
	w := r.w
	w.heading("Sign-offs", 24)
	if len(r.s.Approvals) == 0 {
		w.paragraph("No sign-offs recorded", textSize, "", colText)
		return
	}
	names := map[string]string{}
	for _, p := range r.s.Parties {
		names[strings.ToLower(p.Email)] = oneLine(p.Name)
	}
	rows := make([][]cell, 0, len(r.s.Approvals))
	for _, a := range r.s.Approvals {
		party := cell{text: orDash(a.Email)}
		if n := names[strings.ToLower(a.Email)]; n != "" {
			party = cell{text: n, sub: oneLine(a.Email)}
		}
		dc := decisionColor(a.Status)
		counts := cell{text: "yes"}
		if !a.Counts {
			counts = cell{text: "no", bold: true}
		}
		if a.Stale {
			counts = cell{text: "stale", bold: true, color: &colWarn}
		}
		notes := strings.TrimSpace(clean(a.Notes))
		if notes == "" {
			notes = emptyValue
		}
		rows = append(rows, []cell{party, {text: roleLabel(a.Role)}, {text: orDash(words(a.Status)), bold: true, color: &dc},
			{text: fmtSecond(a.DecidedAt)}, counts, {text: notes}})
	}
	w.table([]column{{"Party", 48, "L", false, false}, {"Role", 22, "L", false, false}, {"Decision", 20, "L", false, false},
		{"Decided (UTC)", 35, "L", false, false}, {"Counts", 14, "L", false, false}, {"Notes", 41, "L", false, false}}, rows)
	w.f.Ln(1.5)
	w.note("Counts: no for the sign-off of a removed party or one superseded by a later decision; it is kept for the record. " +
		"Stale: an approval given before a change to what it covered (below); it counts again only when the party signs again.")
	r.signOffCoverage()
}

func (r *pdfReport) activity() {
	w := r.w
	w.heading("Audit excerpt", 32)
	a := r.s.Activity
	if len(a) == 0 {
		w.paragraph("No audit entries in this snapshot", textSize, "", colText)
		return
	}
	w.note(fmt.Sprintf("%d entries, #%d to #%d, as recorded in the room's audit chain, in words. Times UTC. "+
		"Hash: first 12 hexadecimal characters of the entry's chained hash.", len(a), a[0].Seq, a[len(a)-1].Seq))
	rows := make([][]cell, 0, len(a))
	for _, e := range a {
		rows = append(rows, []cell{{text: strconv.FormatInt(e.Seq, 10)}, {text: fmtSecond(e.TS)}, actorCell(e),
			{text: activityWords(e)}, {text: hashPrefix(e.Hash, 12)}})
	}
	w.f.Ln(1)
	w.table([]column{{"Seq", 9, "R", false, false}, {"Time (UTC)", 33, "L", false, false}, {"Who", 44, "L", false, false},
		{"What", 70, "L", false, false}, {"Hash", 24, "L", true, false}}, rows)
}

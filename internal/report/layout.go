package report

import (
	"bytes"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
)

// Page geometry of the PDF report, in millimetres (A4 portrait).
const (
	pageW         = 210.0
	pageH         = 297.0
	marginX       = 15.0              // left and right margin
	marginTop     = 15.0              // the running header sits above this line
	bodyTop       = marginTop + 5     // first line of body text
	footerRule    = pageH - marginTop // the running footer sits below this line
	bodyBottom    = footerRule - 5    // no body text below this
	contentW      = pageW - 2*marginX // usable width
	padX          = 1.5               // horizontal padding inside table cells
	padY          = 1.1               // vertical padding inside table cells
	tableSize     = 9.0               // font size of tables, points
	textSize      = 9.5               // font size of running text, points
	lineH         = 4.1               // line height at tableSize and textSize
	nbAlias       = "{stshub:nb}"     // replaced by the page count when the PDF is written
	fontSans      = "gosans"          // Go Regular / Go Bold
	fontMono      = "gomono"          // Go Mono, for hashes
	ellipsis      = "…"               // marks text shortened to fit
	emptyValue    = "—"               // shown for a field with no value
	bulletDot     = " · "             // separates items on one line
	minFooterPt   = 5.5               // the footer shrinks down to this size before it is cut
	maxMoveLines  = 12                // a table row of more lines is split across pages rather than moved
	minSplitLines = 3                 // a split row puts at least this many lines on the first page
)

// rgb is a colour.
type rgb struct{ r, g, b int }

var (
	colText      = rgb{26, 32, 38}
	colMuted     = rgb{96, 106, 116}
	colRule      = rgb{170, 178, 186}
	colGrid      = rgb{196, 202, 208}
	colHeadFill  = rgb{226, 232, 238}
	colLabelFill = rgb{241, 244, 247}
	colZebra     = rgb{248, 249, 251}
	colAccent    = rgb{20, 62, 107}
	colGood      = rgb{22, 112, 52}
	colWarn      = rgb{146, 94, 0}
	colBad       = rgb{176, 30, 22}
	colNeutral   = rgb{84, 96, 108}
)

// newDoc returns an A4 document with the Go fonts loaded. Go fonts cover Latin (with
// accents), Greek and Cyrillic (the WGL4 set), which is what party and vessel names in this
// trade use; they have no CJK glyphs, so Chinese, Japanese or Korean text prints as blank
// boxes. Supporting it would mean embedding a CJK font (Noto Sans CJK, ~16 MB) as well.
func newDoc() *fpdf.Fpdf {
	f := fpdf.New("P", "mm", "A4", "")
	// The alias must be declared before the UTF-8 fonts are added: fpdf sizes their subsets
	// by it.
	f.AliasNbPages(nbAlias)
	// fpdf writes into the font bytes it is given while it subsets them, so each document
	// gets its own copy: snapshots render in parallel, and the shared originals must stay intact.
	f.AddUTF8FontFromBytes(fontSans, "", bytes.Clone(goregular.TTF))
	f.AddUTF8FontFromBytes(fontSans, "B", bytes.Clone(gobold.TTF))
	f.AddUTF8FontFromBytes(fontMono, "", bytes.Clone(gomono.TTF))
	f.SetMargins(marginX, bodyTop, marginX)
	f.SetCellMargin(0)
	// A safety net only: every block below checks the space it needs itself.
	f.SetAutoPageBreak(true, pageH-bodyBottom)
	f.SetLineWidth(0.2)
	return f
}

// writer draws blocks of the report on a document, breaking pages itself.
type writer struct {
	f *fpdf.Fpdf
}

func (w writer) font(family, style string, size float64) { w.f.SetFont(family, style, size) }
func (w writer) text(c rgb)                              { w.f.SetTextColor(c.r, c.g, c.b) }
func (w writer) fill(c rgb)                              { w.f.SetFillColor(c.r, c.g, c.b) }
func (w writer) draw(c rgb)                              { w.f.SetDrawColor(c.r, c.g, c.b) }

// room is the vertical space left on the current page.
func (w writer) room() float64 { return bodyBottom - w.f.GetY() }

// atTop reports whether nothing has been drawn on the current page's body yet.
func (w writer) atTop() bool { return w.f.GetY() <= bodyTop+0.01 }

// ensure starts a new page unless h millimetres are left on this one.
func (w writer) ensure(h float64) {
	if w.room() < h && !w.atTop() {
		w.f.AddPage()
	}
}

// wrap splits text into lines no wider than width with the current font. Explicit line
// breaks are kept and runs of spaces collapse. A word wider than the line (an e-mail
// address, a hash) is cut, after "@", "-", "/" or "_" or before "." where possible. It
// always returns at least one line.
func (w writer) wrap(s string, width float64) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, w.wrapParagraph(para, width)...)
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

func (w writer) wrapParagraph(p string, width float64) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(p) {
		cand := word
		if cur != "" {
			cand = cur + " " + word
		}
		if w.f.GetStringWidth(cand) <= width {
			cur = cand
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
		}
		for w.f.GetStringWidth(word) > width {
			var head string
			head, word = w.splitWord(word, width)
			lines = append(lines, head)
		}
		cur = word
	}
	return append(lines, cur)
}

// splitWord cuts the head off a word too wide for width.
func (w writer) splitWord(word string, width float64) (head, tail string) {
	r := []rune(word)
	fit := 0 // how many runes fit
	for fit < len(r) && w.f.GetStringWidth(string(r[:fit+1])) <= width {
		fit++
	}
	fit = max(fit, 1)
	// Prefer a natural break point: after the "@" of an e-mail address, else after "-", "/"
	// or "_" or before ".", unless that leaves a very short head or tail.
	for i := fit; i >= 3; i-- {
		if i < len(r) && r[i-1] == '@' {
			return string(r[:i]), string(r[i:])
		}
	}
	for i := fit; i > 0 && i >= fit*2/5; i-- {
		if len(r)-i >= 4 && (strings.ContainsRune("-/_", r[i-1]) || r[i] == '.') {
			return string(r[:i]), string(r[i:])
		}
	}
	return string(r[:fit]), string(r[fit:])
}

// fit shortens s with an ellipsis so that it is no wider than width with the current font.
func (w writer) fit(s string, width float64) string {
	if w.f.GetStringWidth(s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && w.f.GetStringWidth(string(r)+ellipsis) > width {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ") + ellipsis
}

// paragraph writes wrapped running text over the full width.
func (w writer) paragraph(s string, size float64, style string, c rgb) {
	w.font(fontSans, style, size)
	w.text(c)
	h := size * 0.45
	for _, l := range w.wrap(s, contentW) {
		w.ensure(h)
		w.f.SetX(marginX)
		w.f.CellFormat(contentW, h, l, "", 1, "L", false, 0, "")
	}
}

// heading starts a section: a title with a rule below, kept together with at least keep
// millimetres of what follows.
func (w writer) heading(title string, keep float64) {
	if !w.atTop() {
		w.f.Ln(4)
	}
	w.ensure(11 + keep)
	w.font(fontSans, "B", 13)
	w.text(colAccent)
	w.f.SetX(marginX)
	w.f.CellFormat(contentW, 7, title, "", 1, "L", false, 0, "")
	w.draw(colAccent)
	w.f.SetLineWidth(0.4)
	y := w.f.GetY()
	w.f.Line(marginX, y, marginX+contentW, y)
	w.f.SetLineWidth(0.2)
	w.f.SetY(y + 2.5)
}

// subheading titles a part of a section (one vessel, one group of documents) with an
// optional note on the right.
func (w writer) subheading(title, note string, keep float64) {
	if !w.atTop() {
		w.f.Ln(2)
	}
	w.ensure(7 + keep)
	w.font(fontSans, "", 8.5)
	noteW := 0.0
	if note != "" {
		noteW = w.f.GetStringWidth(note) + 4
	}
	w.font(fontSans, "B", 10.5)
	w.text(colText)
	w.f.SetX(marginX)
	w.f.CellFormat(contentW-noteW, 6, w.fit(title, contentW-noteW), "", 0, "L", false, 0, "")
	w.font(fontSans, "", 8.5)
	w.text(colMuted)
	w.f.CellFormat(noteW, 6, note, "", 1, "R", false, 0, "")
	w.f.Ln(0.8)
}

// note writes a line of small muted text (a legend or an explanation).
func (w writer) note(s string) {
	w.paragraph(s, 8, "", colMuted)
}

// column is one column of a table.
type column struct {
	title string
	width float64
	align string // L, C or R
	mono  bool   // Go Mono instead of Go Sans
	label bool   // a label column of a key-value grid: bold, muted, shaded
}

// cell is one table cell: main text, and an optional secondary text in muted colour below.
type cell struct {
	text  string
	sub   string
	bold  bool
	mono  bool // main text in Go Mono (hashes) whatever the column
	color *rgb // main text colour; nil for the default
}

// line is one wrapped line of a cell, with its style.
type line struct {
	text  string
	mono  bool
	bold  bool
	color rgb
}

// table draws rows under a header row (none when every title is empty). A row that does
// not fit on the page moves to the next one; a row taller than a whole page is split. The
// header is repeated at the top of every page the table reaches.
func (w writer) table(cols []column, rows [][]cell) {
	header := false
	for _, c := range cols {
		if c.title != "" {
			header = true
		}
	}
	drawHeader := func() {
		if !header {
			return
		}
		w.font(fontSans, "B", tableSize-0.5)
		var lines [][]string
		n := 1
		for _, c := range cols {
			l := w.wrap(c.title, c.width-2*padX)
			lines = append(lines, l)
			n = max(n, len(l))
		}
		h := float64(n)*lineH + 2*padY
		y := w.f.GetY()
		x := marginX
		w.fill(colHeadFill)
		w.draw(colGrid)
		w.text(colText)
		for i, c := range cols {
			w.f.Rect(x, y, c.width, h, "FD")
			for j, l := range lines[i] {
				w.f.SetXY(x+padX, y+padY+float64(j)*lineH)
				w.f.CellFormat(c.width-2*padX, lineH, l, "", 0, c.align, false, 0, "")
			}
			x += c.width
		}
		w.f.SetY(y + h)
	}

	// Wrap every cell first: the header must not be left alone at the foot of a page.
	wrapped := make([][][]line, len(rows))
	heights := make([]int, len(rows))
	for ri, row := range rows {
		wrapped[ri] = make([][]line, len(cols))
		heights[ri] = 1
		for i, c := range cols {
			wrapped[ri][i] = w.cellLines(c, row[i])
			heights[ri] = max(heights[ri], len(wrapped[ri][i]))
		}
	}
	first := 1
	if len(rows) > 0 {
		if first = heights[0]; first > maxMoveLines {
			first = minSplitLines
		}
	}
	need := float64(first)*lineH + 2*padY
	if header {
		need += lineH + 2*padY
	}
	w.ensure(need)
	drawHeader()
	for ri, cl := range wrapped {
		n := heights[ri]
		zebra := ri%2 == 1
		fresh := false // a page was started for this row already: draw what fits
		done := 0
		for done < n {
			avail := int((w.room() - 2*padY) / lineH)
			rest := n - done
			// A row that does not fit moves to the next page, unless it is tall (then it
			// is split, so as not to leave half a page empty) and enough of it fits here.
			if avail < rest && !fresh && !w.atTop() && (avail < minSplitLines || rest <= maxMoveLines) {
				w.f.AddPage()
				drawHeader()
				fresh = true
				continue
			}
			take := min(rest, max(avail, 1))
			w.rowSlice(cols, cl, done, take, zebra)
			done += take
			if done < n {
				w.f.AddPage()
				drawHeader()
				fresh = true
			}
		}
	}
	w.text(colText)
}

// cellLines wraps one cell to its column.
func (w writer) cellLines(c column, v cell) []line {
	inner := c.width - 2*padX
	mainColor := colText
	if c.label {
		mainColor = colMuted
	}
	if v.color != nil {
		mainColor = *v.color
	}
	bold := v.bold || c.label
	mono := v.mono || c.mono
	var out []line
	w.setCellFont(mono, bold)
	for _, l := range w.wrap(v.text, inner) {
		out = append(out, line{text: l, mono: mono, bold: bold, color: mainColor})
	}
	if v.sub != "" {
		w.setCellFont(false, false)
		for _, l := range w.wrap(v.sub, inner) {
			out = append(out, line{text: l, color: colMuted})
		}
	}
	return out
}

func (w writer) setCellFont(mono, bold bool) {
	switch {
	case mono:
		w.font(fontMono, "", tableSize-1)
	case bold:
		w.font(fontSans, "B", tableSize)
	default:
		w.font(fontSans, "", tableSize)
	}
}

// rowSlice draws lines [from, from+n) of a row's cells as one band of the table.
func (w writer) rowSlice(cols []column, cl [][]line, from, n int, zebra bool) {
	h := float64(n)*lineH + 2*padY
	y := w.f.GetY()
	x := marginX
	w.draw(colGrid)
	for i, c := range cols {
		style := "D"
		switch {
		case c.label:
			w.fill(colLabelFill)
			style = "FD"
		case zebra:
			w.fill(colZebra)
			style = "FD"
		}
		w.f.Rect(x, y, c.width, h, style)
		for j := from; j < from+n && j < len(cl[i]); j++ {
			l := cl[i][j]
			w.setCellFont(l.mono, l.bold)
			w.text(l.color)
			w.f.SetXY(x+padX, y+padY+float64(j-from)*lineH)
			w.f.CellFormat(c.width-2*padX, lineH, l.text, "", 0, c.align, false, 0, "")
		}
		x += c.width
	}
	w.f.SetXY(marginX, y+h)
}

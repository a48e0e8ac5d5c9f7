package report

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/stshub/stshub/internal/authz"
)

// Formats of times in the PDF; every time is shown in UTC.
const (
	minuteLayout = "2006-01-02 15:04 UTC"
	secondLayout = "2006-01-02 15:04:05"
	dateLayout   = "2006-01-02"
)

// clean makes user text safe to draw: line ends normalised, tabs made spaces, other control
// characters dropped, and the page-count alias defused so user text cannot trigger it.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	return strings.ReplaceAll(s, nbAlias, "{stshub-nb}")
}

// oneLine is clean text with line breaks turned into spaces, for names and codes.
func oneLine(s string) string {
	return strings.Join(strings.Fields(clean(s)), " ")
}

// orDash returns the cleaned single-line s, or a dash when it is empty.
func orDash(s string) string {
	if s = oneLine(s); s == "" {
		return emptyValue
	}
	return s
}

func fmtMinute(t time.Time) string {
	if t.IsZero() {
		return "not recorded"
	}
	return t.UTC().Format(minuteLayout)
}

func fmtSecond(t time.Time) string {
	if t.IsZero() {
		return emptyValue
	}
	return t.UTC().Format(secondLayout)
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return emptyValue
	}
	return t.UTC().Format(dateLayout)
}

// GroupThousands writes the integer part of a decimal number with comma separators
// ("80000" → "80,000"); the web pages use it too.
func GroupThousands(digits string) string {
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// fmtNumber writes a number with thousands separators and at most decimals decimals,
// trailing zeros dropped: 80000 → "80,000", 249.9 → "249.9".
func fmtNumber(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		return GroupThousands(intPart)
	}
	return GroupThousands(intPart) + "." + frac
}

// fmtTonnes writes a cargo quantity in metric tonnes.
func fmtTonnes(q *float64) string {
	if q == nil {
		return "quantity not stated"
	}
	return fmtNumber(*q, 3) + " t"
}

// hashPrefix returns the first n characters of a hash, or a dash when there is none.
func hashPrefix(h string, n int) string {
	h = oneLine(h)
	if h == "" {
		return emptyValue
	}
	if len(h) > n {
		return h[:n]
	}
	return h
}

// words turns a code like "under_review" into "under review".
func words(code string) string {
	return strings.ReplaceAll(oneLine(code), "_", " ")
}

// roleLabel names a party role for people, from the roles' words in authz, with a capital:
// "STS provider", "Broker".
func roleLabel(role string) string {
	w := authz.Role(oneLine(role)).Label()
	if w == "" {
		return emptyValue
	}
	r := []rune(w)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// critLetter abbreviates a criticality for the checklist's narrow column.
func critLetter(c string) string {
	switch strings.ToLower(strings.TrimSpace(c)) {
	case "high", "h":
		return "H"
	case "medium", "m":
		return "M"
	case "low", "l":
		return "L"
	}
	return orDash(c)
}

// critWord spells a criticality out and picks its colour.
func critWord(c string) (string, rgb) {
	switch critLetter(c) {
	case "H":
		return "HIGH", colBad
	case "M":
		return "MEDIUM", colWarn
	case "L":
		return "LOW", colNeutral
	}
	return strings.ToUpper(orDash(c)), colText
}

// docStatus is the word printed for a document's status, and its colour. The word carries
// the meaning; the colour is only a second cue.
func docStatus(d Document) (string, rgb) {
	if !d.Required {
		return "waived", colNeutral
	}
	switch d.Status {
	case "approved":
		return "approved", colGood
	case "under_review":
		return "under review", colWarn
	case "missing", "rejected", "expired":
		return d.Status, colBad
	}
	return orDash(words(d.Status)), colText
}

// decisionColor colours a sign-off decision.
func decisionColor(status string) rgb {
	switch status {
	case "approved":
		return colGood
	case "rejected", "withdrawn":
		return colBad
	}
	return colWarn
}

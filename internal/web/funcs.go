package web

import (
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/authz"
	"github.com/stshub/stshub/internal/clearance"
	"github.com/stshub/stshub/internal/report"
	"github.com/stshub/stshub/internal/service"
)

// chip is a status shown as text and a shape, so its meaning never rests on colour alone.
type chip struct {
	Kind   string // doc, room, snapshot, signoff, crit, checklist: picks the CSS family
	Status string // the machine value, in data-status for tests and styles
	Icon   string
	Label  string
	// Blocking: a status that reads as done (approved) but does not hold, so the chip is
	// not shown as done (class is-blocking).
	Blocking bool
}

// The shapes of the statuses. ◔ (a quarter-filled circle) stands for "in progress": it
// is in every common font, unlike the hourglass emoji.
var docChips = map[string]chip{
	"missing":      {Icon: "○", Label: "missing"},
	"under_review": {Icon: "◔", Label: "under review"},
	"approved":     {Icon: "✓", Label: "approved"},
	"rejected":     {Icon: "✕", Label: "rejected"},
	"expired":      {Icon: "⚠\uFE0E", Label: "expired"},
	"waived":       {Icon: "–", Label: "waived"},
}

var roomChips = map[string]chip{
	"draft":        {Icon: "✎", Label: "draft"},
	"clearing":     {Icon: "◔", Label: "clearing"},
	"cleared":      {Icon: "✓", Label: "cleared"},
	"in_operation": {Icon: "▶", Label: "in operation"},
	"completed":    {Icon: "■", Label: "completed"},
	"cancelled":    {Icon: "✕", Label: "cancelled"},
	"on_hold":      {Icon: "‖", Label: "on hold"},
}

var snapshotChips = map[string]chip{
	"generating": {Icon: "◔", Label: "generating…"},
	"completed":  {Icon: "✓", Label: "ready"},
	"failed":     {Icon: "✕", Label: "failed"},
}

var signOffChips = map[string]chip{
	"approved":  {Icon: "✓", Label: "approved"},
	"rejected":  {Icon: "✕", Label: "rejected"},
	"withdrawn": {Icon: "↺", Label: "withdrawn"},
	"pending":   {Icon: "○", Label: "not signed off"},
	"stale":     {Icon: "⚠", Label: "stale: sign again"}, // an approval given before a change to what it covered
}

var outcomeChips = map[string]chip{
	"clear":           {Icon: "✓", Label: "clear"},
	"potential_match": {Icon: "⚠\uFE0E", Label: "potential match"},
	"confirmed_match": {Icon: "✕", Label: "confirmed match"},
}

var critChips = map[string]chip{
	"high":   {Icon: "▲", Label: "high"},
	"medium": {Icon: "◆", Label: "medium"},
	"low":    {Icon: "▽", Label: "low"},
}

// docViewChip is a document's chip: waived, or its status in effect now; an approved one
// that does not hold through the operation window (it lapses before the window ends, or
// its date is not recorded, clearance.approvedBlocker) says so instead of showing done.
func docViewChip(d service.DocumentView) chip {
	if !d.Required && d.WaivedAt != nil {
		return chipOf("doc", docChips, "waived")
	}
	c := chipOf("doc", docChips, string(d.EffectiveStatus))
	if d.EffectiveStatus != clearance.DocApproved {
		return c
	}
	switch {
	case d.ExpiresDuringOperation:
		c.Icon, c.Label, c.Blocking = "⚠\uFE0E", "approved · lapses during the operation", true
	case d.Window.Fit == clearance.FitUndated:
		c.Icon, c.Label, c.Blocking = "⚠\uFE0E", "approved · no expiry date recorded", true
	}
	return c
}

func chipOf(kind string, table map[string]chip, status string) chip {
	c, ok := table[status]
	if !ok {
		c = chip{Icon: "?", Label: strings.ReplaceAll(status, "_", " ")}
	}
	c.Kind, c.Status = kind, status
	return c
}

func (h *handler) funcs() template.FuncMap {
	return template.FuncMap{
		"static": h.staticURL,
		// The room's pages and links into them (roompages.go), and where a task is done.
		"roomPages":   func() []roomPage { return roomPages },
		"pageHref":    func(roomID, name string) string { return roomPageURL(roomID, name, nil) },
		"sectionHref": sectionHref,
		"taskHref":    taskHref,
		"previewable": clearance.Previewable,
		"isImage":     func(contentType string) bool { return strings.HasPrefix(contentType, "image/") },
		"firstN":      func(t []clearance.Task, n int) []clearance.Task { return t[:min(n, len(t))] },
		"afterN":      func(t []clearance.Task, n int) []clearance.Task { return t[min(n, len(t)):] },
		"docChip":     func(s clearance.DocStatus) chip { return chipOf("doc", docChips, string(s)) },
		"docChipS":    func(s string) chip { return chipOf("doc", docChips, s) },
		"docViewChip": docViewChip,
		"roomChip":    func(s string) chip { return chipOf("room", roomChips, s) },
		"snapChip":    func(s string) chip { return chipOf("snapshot", snapshotChips, s) },
		"signChip":    func(s string) chip { return chipOf("signoff", signOffChips, s) },
		"critChip":    func(s any) chip { return chipOf("crit", critChips, fmt.Sprint(s)) },
		"outcomeChip": func(o clearance.Outcome) chip {
			return chipOf("outcome", outcomeChips, string(o))
		},
		"dateTime": dateTime,
		"date":     date,
		"dateP":    func(t *time.Time) string { return date(deref(t)) },
		"dateTimeP": func(t *time.Time) string {
			return dateTime(deref(t))
		},
		"expiryDate": expiryDate,
		"ago":        ago,
		"until":      until,
		"inputTime":  inputTime,
		"human":      human,
		"shortHash":  func(h string) string { return h[:min(len(h), 12)] },
		"action":     audit.Label,
		"bytes":      byteSize,
		"percent":    percent,
		"deref":      func(s *string) string { return deref(s) },
		"derefInt": func(p *int) string {
			if p == nil {
				return ""
			}
			return fmt.Sprint(*p)
		},
		"derefFloat": func(p *float64) string {
			if p == nil {
				return ""
			}
			return trimFloat(*p)
		},
		"number": number,
		"short": func(s string) string {
			if len(s) > 16 {
				return s[:16]
			}
			return s
		},
		"sizeClass":      sizeClass,
		"vesselWarnings": clearance.VesselWarnings,
		"phaseName":      clearance.ChecklistName,
		"answers":        clearance.ChecklistAnswers,
		"milestoneLabel": func(m clearance.Milestone) string { return m.Label() },
		// person names someone for people: "Ana Silva <ana@example.com>", or the e-mail alone.
		"person": func(name, email string) string {
			if name == "" {
				return email
			}
			return name + " <" + email + ">"
		},
		// docAllows tells whether a document in status may take event now (approve, reject),
		// by the document status machine, so review buttons appear only where they work.
		"docAllows": func(status string, event string) bool {
			_, err := clearance.Transition(clearance.DocStatus(status), clearance.DocEvent(event))
			return err == nil
		},
		"phaseTitle": func(n int) string {
			return clearance.PhaseTitle(n)
		},
		"vesselName": func(v clearance.Vessel) string { return v.Name },
		// bindsVessels: whether a party of the role acts only for the vessels it is bound to.
		"bindsVessels": BindsVessels,
		// hasValue: whether a refused form sent value among field's values (checkboxes).
		"hasValue": func(f *formState, field, value string) bool {
			return f != nil && f.Values != nil && slices.Contains(f.Values[field], value)
		},
		"contains": func(xs []string, x string) bool { return slices.Contains(xs, x) },
		// visibility says who sees a catalogue type's documents: every role, or which.
		"visibility": func(roles []authz.Role) string {
			if len(roles) >= len(authz.Roles()) {
				return "every role"
			}
			names := make([]string, len(roles))
			for i, r := range roles {
				names[i] = human(r)
			}
			return "Confidential: " + strings.Join(names, ", ")
		},
		// The two gates, cargo classes and coastal-state rules (gates.go, coastal.go).
		"actBy":             actBy,
		"cargoLabel":        cargoLabel,
		"cargoClassesLabel": cargoClassesLabel,
		"noticeKindLabel":   noticeKindLabel,
		"regimeLabel":       regimeLabel,
		"regimeName":        regimeName,
		"hoursBetween":      func(from, to time.Time) string { return trimFloat(to.Sub(from).Hours()) },
		"dict":              dict,
		"seq":               func(xs ...string) []string { return xs },
		"add":               func(a, b int) int { return a + b },
		"sub":               func(a, b int) int { return a - b },
		// The closed lists the forms offer, from their one definition.
		"creatorRoles":         authz.CreatorRoles,
		"platformRoles":        authz.PlatformRoles,
		"snapshotFormats":      report.Formats,
		"cargoClasses":         clearance.CargoClasses,
		"defaultDurationHours": func() string { return defaultDurationHours },
		"noticeKinds":          clearance.NoticeKinds,
		"noticeRegimes":        clearance.NoticeRegimes,
		"capital":              capital,
		"orDash": func(s string) string {
			if strings.TrimSpace(s) == "" {
				return "—"
			}
			return s
		},
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// dateTime shows an instant in UTC, the shared clock of an operation across time zones.
func dateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2 Jan 2006 15:04") + " UTC"
}

func date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2 Jan 2006")
}

// expiryDate shows an expiry date and, where its type ends the validity at a time of day,
// that time in the type's zone: "20 Feb 2026 12:00 GMT"; "20 Feb 2026" when valid through it.
func expiryDate(on *time.Time, t clearance.DocumentType) string {
	s := date(deref(on))
	if end := t.ValidityEnd(); end != nil && on != nil {
		s += " " + end.String()
	}
	return s
}

// until says how far ahead (or behind) t is: "in 9 d 22 h", "3 h ago".
func until(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := time.Until(t)
	if d < 0 {
		return span(-d) + " ago"
	}
	return "in " + span(d)
}

func ago(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return span(time.Since(t)) + " ago"
}

func span(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "moments"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
	default:
		days := int(d.Hours()) / 24
		return fmt.Sprintf("%d d %d h", days, int(d.Hours())%24)
	}
}

// human turns a machine value into words: a room role by its label ("STS provider"),
// anything else with spaces for underscores ("in operation").
func human(s any) string {
	v := fmt.Sprint(s)
	if r := authz.Role(v); slices.Contains(authz.Roles(), r) {
		return r.Label()
	}
	return strings.ReplaceAll(v, "_", " ")
}

// capital writes s with its first letter in capitals: "broker" → "Broker".
func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func byteSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
}

func percent(part, whole int) int {
	if whole <= 0 {
		return 0
	}
	return part * 100 / whole
}

// number writes a quantity with thousands separators: 115,800.
func number(v any) string {
	switch n := v.(type) {
	case *int:
		if n == nil {
			return ""
		}
		return number(*n)
	case *float64:
		if n == nil {
			return ""
		}
		return number(*n)
	case int:
		return report.GroupThousands(fmt.Sprint(n))
	case float64:
		s := trimFloat(n)
		whole, frac, _ := strings.Cut(s, ".")
		if frac != "" {
			return report.GroupThousands(whole) + "." + frac
		}
		return report.GroupThousands(whole)
	}
	return fmt.Sprint(v)
}

func trimFloat(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", f), "0"), ".")
}

// sizeClass is the oil-tanker size class of a vessel, "" when it has none or no DWT.
func sizeClass(v clearance.Vessel) string {
	if v.DWT == nil {
		return ""
	}
	return clearance.TankerSizeClass(*v.DWT, v.VesselType)
}

// dict builds a map for passing several values to a sub-template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

package web

import (
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The contrasts WCAG 2.2 asks of the stylesheet's values that axe-core cannot judge from
// a page (a focus ring is drawn only while something has the focus), computed from
// static/app.css itself: the focus ring at least 3:1 against every background it is drawn
// on (1.4.11), and a superseded sign-off's chip text at least 4.5:1 (1.4.3, no opacity
// fading it).
func TestStylesheetContrasts(t *testing.T) {
	css := readCSS(t)
	root := cssVars(rule(t, css, ":root"))
	color := func(scope map[string]string, v string) string {
		t.Helper()
		v = strings.TrimSpace(v)
		for strings.HasPrefix(v, "var(--") {
			name := strings.TrimSuffix(strings.TrimPrefix(v, "var(--"), ")")
			next, ok := scope[name]
			if !ok {
				next, ok = root[name]
			}
			if !ok {
				t.Fatalf("--%s is not defined", name)
			}
			v = next
		}
		return v
	}
	check := func(what, fg, bg string, min float64) {
		t.Helper()
		got := contrast(t, fg, bg)
		if got < min {
			t.Errorf("%s: %s on %s is %.2f:1, want at least %.1f:1", what, fg, bg, got, min)
		} else {
			t.Logf("%s: %s on %s is %.2f:1", what, fg, bg, got)
		}
	}

	// The focus ring on the pages' light backgrounds.
	focus := color(nil, "var(--focus)")
	for _, bg := range []string{"card", "bg", "neutral-soft", "accent-soft", "ok-soft", "bad-soft", "warn-soft"} {
		check("focus ring on --"+bg, focus, color(nil, "var(--"+bg+")"), 3)
	}
	for _, sel := range []string{".upload-form", ".progress-card", ".signoff-open"} {
		check("focus ring in "+sel, focus, color(nil, decl(t, rule(t, css, sel), "background")), 3)
	}
	// And on the dark ones, which set a ring of their own.
	top := rule(t, css, ".topbar")
	check("focus ring in the top bar", color(cssVars(top), "var(--focus)"), color(nil, decl(t, top, "background")), 3)
	toast := cssVars(rule(t, css, ".toast"))
	for _, sel := range []string{".toast", ".toast-error", ".toast-ok"} {
		check("focus ring in "+sel, color(toast, "var(--focus)"), color(nil, decl(t, rule(t, css, sel), "background")), 3)
	}

	// A superseded sign-off's chip.
	sup := rule(t, css, "tr.superseded .chip")
	if strings.Contains(sup, "opacity") {
		t.Errorf("tr.superseded .chip fades its text with opacity: %s", sup)
	}
	check("a superseded sign-off's chip", color(nil, decl(t, sup, "color")), color(nil, decl(t, sup, "background")), 4.5)
	check("a superseded row's text", color(nil, decl(t, rule(t, css, "tr.superseded td"), "color")), color(nil, "var(--card)"), 4.5)
}

func readCSS(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAllString(string(b), "")
}

// rule is the declarations of the first rule whose selector is exactly sel.
func rule(t *testing.T, css, sel string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(sel) + `\s*\{([^}]*)\}`).FindStringSubmatch(css)
	if m == nil {
		t.Fatalf("no rule for %s in app.css", sel)
	}
	return m[1]
}

// decl is the value of property in the declarations of a rule.
func decl(t *testing.T, rule, property string) string {
	t.Helper()
	for _, d := range strings.Split(rule, ";") {
		name, value, ok := strings.Cut(d, ":")
		if ok && strings.TrimSpace(name) == property {
			return strings.TrimSpace(value)
		}
	}
	t.Fatalf("no %s in %q", property, rule)
	return ""
}

// cssVars are the custom properties a rule sets, without their leading "--".
func cssVars(rule string) map[string]string {
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`--([a-z0-9-]+)\s*:\s*([^;]+)`).FindAllStringSubmatch(rule, -1) {
		out[m[1]] = strings.TrimSpace(m[2])
	}
	return out
}

// contrast is WCAG's contrast ratio of two colours written #rgb or #rrggbb (or white).
func contrast(t *testing.T, a, b string) float64 {
	t.Helper()
	la, lb := luminance(t, a), luminance(t, b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(t *testing.T, c string) float64 {
	t.Helper()
	if c == "white" {
		c = "#fff"
	}
	h := strings.TrimPrefix(c, "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 || !strings.HasPrefix(c, "#") {
		t.Fatalf("colour %q is not #rgb or #rrggbb", c)
	}
	var ch [3]float64
	for i := range ch {
		v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", c, err)
		}
		s := float64(v) / 255
		if s <= 0.03928 {
			ch[i] = s / 12.92
		} else {
			ch[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*ch[0] + 0.7152*ch[1] + 0.0722*ch[2]
}

// The contrast formula at its known points.
func TestContrastFormula(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want float64
	}{
		{"#000", "#fff", 21}, {"#fff", "#fff", 1}, {"#777777", "#ffffff", 4.48}, {"#f0a500", "#ffffff", 2.08},
	} {
		if got := contrast(t, tt.a, tt.b); math.Abs(got-tt.want) > 0.01 {
			t.Errorf("contrast(%s, %s) = %.3f, want %.2f", tt.a, tt.b, got, tt.want)
		}
	}
}

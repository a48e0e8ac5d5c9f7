package web_test

import (
	"context"
	"fmt"
	"html"
	"math/rand/v2"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/audit"
)

// The hostile-input sweep of the web UI: every form the UI shows — found by crawling its
// pages as the users who see the most (a broker, an owner, the admin), so a new form is swept
// without a line here — is posted with hostile values (NUL, invalid UTF-8, a 1 MB value,
// deep brackets, edge dates) by every kind of caller. No answer may be a 5xx, and a refusal
// may leave no trace in any audit trail. The draws come from a fixed seed; each round posts
// every form as every caller, and no round starts once the time budget is spent.

const (
	webFuzzSeed   = 21
	webFuzzRounds = 12
	webFuzzBudget = 10 * time.Second
	maxCrawl      = 80 // pages visited per crawler
)

var hostileFormValues = []string{
	"a\x00b", "\xff\xfe\xc3(", strings.Repeat("A", 1_000_000), strings.Repeat("[", 10_000), "", " \t\r\n ",
	"0000-01-01", "9999-12-31T23:59", "-1", "99999999999999999999", "\u202e<script>x</script>'\";--", strings.Repeat("𝕏", 5000),
}

var (
	formTag   = regexp.MustCompile(`(?s)<form\b([^>]*)>(.*?)</form>`)
	attr      = regexp.MustCompile(`\b(method|action|enctype|name|value|href)="([^"]*)"`)
	fieldTag  = regexp.MustCompile(`<(?:input|select|textarea|button)\b[^>]*>`)
	linkHref  = regexp.MustCompile(`<a\b[^>]*\bhref="(/[^"#]*)`)
	idSegment = regexp.MustCompile(`/[0-9a-f]{8}-[0-9a-f-]{27}`)
)

// webForm is a POST form of the UI: where it goes, its fields with the values shown.
type webForm struct {
	action    string
	multipart bool
	fields    map[string]string
}

func attrs(tag string) map[string]string {
	out := map[string]string{}
	for _, m := range attr.FindAllStringSubmatch(tag, -1) {
		if _, seen := out[m[1]]; !seen {
			out[m[1]] = html.UnescapeString(m[2])
		}
	}
	return out
}

// crawl visits the pages b reaches from / (breadth first, at most maxCrawl, no downloads,
// streams or sign-out) and adds their POST forms to forms, one per route (the action with
// its IDs as {id}: the checklist item forms of a room are one route).
func crawl(b *browser, forms map[string]*webForm) {
	seen := map[string]bool{}
	queue := []string{"/", "/admin/users", "/admin/catalogue", "/admin/coastal"}
	for len(queue) > 0 && len(seen) < maxCrawl {
		path := queue[0]
		queue = queue[1:]
		if seen[path] || strings.Contains(path, "/download") || strings.Contains(path, "/preview") || strings.HasSuffix(path, "/events") ||
			strings.HasPrefix(path, "/static/") || path == "/logout" {
			continue
		}
		seen[path] = true
		p := b.get(path)
		if p.Status != 200 {
			continue
		}
		for _, m := range linkHref.FindAllStringSubmatch(p.Body, -1) {
			queue = append(queue, html.UnescapeString(m[1]))
		}
		for _, m := range formTag.FindAllStringSubmatch(p.Body, -1) {
			a := attrs(m[1])
			if !strings.EqualFold(a["method"], "post") || a["action"] == "" || a["action"] == "/logout" {
				continue
			}
			route := idSegment.ReplaceAllString(a["action"], "/{id}")
			f := forms[route]
			if f == nil {
				f = &webForm{action: a["action"], multipart: a["enctype"] == "multipart/form-data", fields: map[string]string{}}
				forms[route] = f
			} else if f.action != a["action"] {
				continue // the same route for another ID: its first form stands for it
			}
			for _, tag := range fieldTag.FindAllString(m[2], -1) {
				if fa := attrs(tag); fa["name"] != "" {
					if _, ok := f.fields[fa["name"]]; !ok {
						f.fields[fa["name"]] = fa["value"]
					}
				}
			}
		}
	}
}

func webTrail(t *testing.T, env *apptest.Env) map[string]audit.Head {
	t.Helper()
	ctx := context.Background()
	q := env.App.DB().Read()
	scopes, err := q.AuditScopes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]audit.Head{}
	for _, s := range scopes {
		if out[s], err = q.AuditHead(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestHostileFormSweep: no hostile form post answers 5xx, and none refused changes any
// trail; on both engines, in a bounded time.
func TestHostileFormSweep(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngineParallel(t, func(t *testing.T, env *apptest.Env) {
		start := time.Now()
		newFixture(t, env)
		forms := map[string]*webForm{}
		for _, email := range []string{brokerEmail, ownerEmail, apptest.AdminEmail} {
			crawl(signedIn(t, env, email), forms)
		}
		if len(forms) < 20 {
			t.Fatalf("the crawl found only %d forms", len(forms))
		}
		callers := map[string]*browser{"anonymous": newBrowser(t, env)}
		for _, email := range []string{brokerEmail, chartererEmail, ownerEmail, viewerEmail, outsiderEmail, apptest.AdminEmail} {
			callers[email] = signedIn(t, env, email)
		}
		actions := make([]string, 0, len(forms))
		for a := range forms {
			actions = append(actions, a)
		}
		sort.Strings(actions)
		names := make([]string, 0, len(callers))
		for n := range callers {
			names = append(names, n)
		}
		sort.Strings(names)

		rng := rand.New(rand.NewPCG(webFuzzSeed, 0))
		sent := 0
		send := func(round int, route, action string, form *webForm, fields []string, caller string, b *browser) {
			values := url.Values{}
			huge := false
			hostile := func() string {
				for {
					v := hostileFormValues[rng.IntN(len(hostileFormValues))]
					if len(v) < 1_000_000 || !huge {
						huge = huge || len(v) >= 1_000_000
						return v
					}
				}
			}
			if len(fields) == 0 {
				// A form of buttons only: the hostile text goes in a field of its own,
				// where the edge must refuse it before anything acts.
				values.Set([]string{"\x00", "\xff"}[round%2], hostile())
			} else {
				one := fields[rng.IntN(len(fields))]
				for _, n := range fields {
					switch {
					case n == one || round >= webFuzzRounds/2:
						values.Set(n, hostile())
					default:
						values.Set(n, form.fields[n])
					}
				}
			}
			if round%2 == 1 && len(fields) > 0 {
				// Some forms take their text as the one field with no safe value, so
				// the hostile values must always reach a field the edge checks.
				values.Set(fields[rng.IntN(len(fields))], []string{"a\x00b", "\xff\xfe"}[rng.IntN(2)])
			}
			before := webTrail(t, env)
			var p page
			if form.multipart {
				var pairs []string
				for _, n := range fields {
					if n != "file" {
						pairs = append(pairs, n, values.Get(n))
					}
				}
				p = b.upload(action, pairs, "\x00\xff.pdf", apptest.PDF("hostile"))
			} else {
				p = b.post(action, values, hx...)
			}
			sent++
			what := fmt.Sprintf("POST %s as %s with %.200q", route, caller, values.Encode())
			if p.Status >= 500 {
				t.Errorf("%s: %d %.300s", what, p.Status, p.Body)
			}
			if p.Status >= 400 {
				if after := webTrail(t, env); len(after) != len(before) || !sameHeads(before, after) {
					t.Errorf("%s: refused (%d) but the trail changed", what, p.Status)
				}
			}
		}
		for round := 0; round < webFuzzRounds && time.Since(start) < webFuzzBudget; round++ {
			for _, route := range actions {
				form := forms[route]
				action := form.action
				fields := make([]string, 0, len(form.fields))
				for n := range form.fields {
					fields = append(fields, n)
				}
				sort.Strings(fields)
				for _, caller := range names {
					b := callers[caller]
					send(round, route, action, form, fields, caller, b)
				}
			}
		}
		if time.Since(start) > webFuzzBudget {
			// Rounds run across every form and caller, so a slow machine sweeps every form,
			// with fewer draws each.
			t.Logf("the sweep spent its budget of %v after %d posts", webFuzzBudget, sent)
		}
		t.Logf("%d forms, %d posts in %v", len(forms), sent, time.Since(start).Round(time.Millisecond))
	})
}

func sameHeads(a, b map[string]audit.Head) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

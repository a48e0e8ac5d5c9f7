package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"go/build"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axe-core (Deque's accessibility engine, from npm) checks each page state the browser
// tests visit: .ci/run installs it under $(go env GOPATH)/axe when it is missing; its
// source is not in this repository. STSHUB_AXE_JS names another copy of axe.min.js.
// Without it the check is skipped (and says so), except under CI=true, where it fails.
const axeEnv = "STSHUB_AXE_JS"

// axeFailing are the impacts that fail a test; minor and moderate findings are logged.
var axeFailing = []string{"serious", "critical"}

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axePath is where axe.min.js is looked for: $STSHUB_AXE_JS, or the folder .ci/run
// installs it in.
func axePath() string {
	if p := os.Getenv(axeEnv); p != "" {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		gopath = build.Default.GOPATH
	}
	if i := strings.IndexRune(gopath, filepath.ListSeparator); i >= 0 {
		gopath = gopath[:i]
	}
	return filepath.Join(gopath, "axe", "node_modules", "axe-core", "axe.min.js")
}

// loadAxe reads axe-core's source once per test binary.
func loadAxe() (string, error) {
	axeOnce.Do(func() {
		b, err := os.ReadFile(axePath())
		if err != nil {
			axeErr = fmt.Errorf("axe-core is not installed (%w); npm install --prefix \"$(go env GOPATH)/axe\" axe-core@4.10.3, or set %s", err, axeEnv)
			return
		}
		axeSource = string(b)
	})
	return axeSource, axeErr
}

// axeRun runs axe-core on the whole document (injected first if the page has no copy
// yet) and gives its serious and critical violations, one line each: the rule, its help,
// and the elements (at most five) with what fails on them.
const axeRun = `(async () => {
	const failing = %s;
	const r = await axe.run(document, {resultTypes: ["violations"]});
	return r.violations.filter(v => failing.includes(v.impact)).map(v =>
		v.impact + " " + v.id + ": " + v.help + " — " + v.nodes.slice(0, 5).map(n =>
			n.target.join(" ") + " (" + (n.failureSummary || "").replace(/\s+/g, " ").trim() + ")").join("; ") +
		(v.nodes.length > 5 ? "; and " + (v.nodes.length - 5) + " more" : ""));
})()`

// axeCheck runs axe-core in the page ctx shows and fails t on any serious or critical
// violation, naming the page state (where).
func axeCheck(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	src, err := loadAxe()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s: %v", where, err)
		}
		t.Logf("%s: accessibility not checked: %v", where, err)
		return
	}
	// A room page of a few hundred rows takes axe-core some 5 s on an idle machine.
	ctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	start := time.Now()
	present, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err == nil && !present {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[any](src+"\n;undefined", chromedp.EvalAsValue))
	}
	if err != nil {
		t.Fatalf("%s: inject axe-core: %v", where, err)
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(axeRun, jsList(axeFailing)), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: run axe-core: %v", where, err)
	}
	for _, v := range found {
		t.Errorf("%s: axe-core: %s", where, v)
	}
	t.Logf("%s: axe-core checked the page in %v: %d serious or critical violations", where, time.Since(start).Round(time.Millisecond), len(found))
}

// jsList writes xs as a JavaScript array of strings.
func jsList(xs []string) string {
	b, _ := json.Marshal(xs)
	return string(b)
}

// axe checks the page the person's browser shows (axeCheck), once it is quiet.
func (p *person) axe(where string) {
	p.t.Helper()
	p.quiet()
	axeCheck(p.t, p.ctx, p.name+"'s "+where)
}

package app_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/stshub/stshub/"

// mayNotImport is the dependency rule of docs/architecture.md as data: for each package
// (by path below the module), the project packages it must not import directly. Arrows point
// inward: cmd → app → {api, web} → service → {store, files, jobs, live, report} → the domain.
var mayNotImport = map[string][]string{
	// The handlers reach data only through the use cases, so the UI and the API cannot
	// disagree about who may do what.
	"internal/api": {"internal/store", "internal/web", "internal/app", "internal/bench"},
	"internal/web": {"internal/store", "internal/api", "internal/app", "internal/bench"},
	// The use cases know nothing of HTTP or of the composition.
	"internal/service": {"internal/api", "internal/web", "internal/app", "internal/httpx", "internal/bench"},
	// The store speaks SQL and nothing above it.
	"internal/store":  {"internal/service", "internal/api", "internal/web", "internal/app", "internal/report", "internal/live", "internal/jobs"},
	"internal/report": {"internal/store", "internal/service", "internal/api", "internal/web", "internal/app"},
	"internal/app":    {"internal/bench"},
	// The backup tool sits beside the server, below the composition.
	"internal/backup": {"internal/api", "internal/web", "internal/app", "internal/bench"},
}

// domainPackages are pure: the standard library and each other only (apperr names the
// errors every layer shares).
var domainPackages = []string{"internal/clearance", "internal/authz", "internal/audit"}

var domainMayImport = []string{"internal/clearance", "internal/authz", "internal/audit", "internal/apperr"}

// TestImportsPointInward reads the import graph (go list) and fails on an arrow that points
// outward, and on the product binary depending on the benchmark harness.
func TestImportsPointInward(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	imports := listImports(t, "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "../../...")
	for pkg, forbidden := range mayNotImport {
		if _, ok := imports[pkg]; !ok {
			t.Errorf("the rule names %s, which go list does not know", pkg)
		}
		for _, imp := range imports[pkg] {
			if slices.Contains(forbidden, imp) {
				t.Errorf("%s imports %s, an arrow pointing outward", pkg, imp)
			}
		}
	}
	for _, pkg := range domainPackages {
		for _, imp := range imports[pkg] {
			if !slices.Contains(domainMayImport, imp) {
				t.Errorf("domain package %s imports %s; it may import only the standard library and %v", pkg, imp, domainMayImport)
			}
		}
	}
	deps := listImports(t, "-deps", "-f", "{{.ImportPath}}", "../../cmd/stshub")
	if _, ok := deps["internal/bench"]; ok {
		t.Error("the product binary (cmd/stshub) depends on internal/bench")
	}
}

// listImports runs go list with args and returns, for each project package it prints, the
// project packages on the rest of its line (all paths below the module); the standard
// library and other modules are left out.
func listImports(t *testing.T, args ...string) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list"}, args...)...).Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || !strings.HasPrefix(fields[0], module) {
			continue
		}
		var own []string
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, module) {
				own = append(own, strings.TrimPrefix(imp, module))
			}
		}
		graph[strings.TrimPrefix(fields[0], module)] = own
	}
	return graph
}

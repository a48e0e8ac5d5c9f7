package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestOpenAPIDescribesOperations fetches the published OpenAPI document and finds the
// probes and the metrics in it: at the server's root (not under /api/v1), with the
// statuses and content types they answer with.
func TestOpenAPIDescribesOperations(t *testing.T) {
	env := apptest.New(t, "sqlite")
	res := env.Do(http.MethodGet, "/api/v1/openapi.json", "", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json: %d", res.Status)
	}
	type response struct {
		Content map[string]any `json:"content"`
	}
	var doc struct {
		Servers []struct{ URL string } `json:"servers"`
		Paths   map[string]struct {
			Servers []struct{ URL string } `json:"servers"`
			Get     *struct {
				Responses map[string]response `json:"responses"`
			} `json:"get"`
		} `json:"paths"`
	}
	res.JSON(&doc)
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/api/v1" {
		t.Errorf("document servers = %+v, want /api/v1", doc.Servers)
	}
	want := map[string]map[string]string{ // path → status → content type
		"/healthz": {"200": "application/json"},
		"/readyz":  {"200": "application/json", "503": "application/problem+json"},
		"/metrics": {"200": "text/plain", "401": "application/problem+json"},
	}
	for path, statuses := range want {
		item, ok := doc.Paths[path]
		if !ok || item.Get == nil {
			t.Errorf("%s: no GET operation in the OpenAPI document", path)
			continue
		}
		if len(item.Servers) != 1 || item.Servers[0].URL != "/" {
			t.Errorf("%s: servers = %+v, want the root /", path, item.Servers)
		}
		if len(item.Get.Responses) != len(statuses) {
			t.Errorf("%s: responses %v, want %v", path, item.Get.Responses, statuses)
		}
		for status, ctype := range statuses {
			if _, ok := item.Get.Responses[status].Content[ctype]; !ok {
				t.Errorf("%s: response %s lacks %s: %+v", path, status, ctype, item.Get.Responses[status])
			}
		}
		// What the description says is what the endpoint does.
		got := env.Do(http.MethodGet, path, "", nil)
		if got.Status != http.StatusOK {
			t.Errorf("GET %s: %d", path, got.Status)
		}
	}
}

// TestAPIDocIndexesEveryOperation keeps docs/api.md's index of operations complete: every
// operation of the published OpenAPI document has its row there, and no row names one
// that is gone.
func TestAPIDocIndexesEveryOperation(t *testing.T) {
	page, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	env := apptest.New(t, "sqlite")
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	env.Do(http.MethodGet, "/api/v1/openapi.json", "", nil).JSON(&doc)
	want := map[string]bool{}
	for path, item := range doc.Paths {
		if _, outside := item["servers"]; !outside {
			path = "/api/v1" + path
		}
		for method := range item {
			if method != "servers" {
				want[fmt.Sprintf("| %s | `%s` |", strings.ToUpper(method), path)] = true
			}
		}
	}
	rows := map[string]bool{}
	for _, line := range strings.Split(string(page), "\n") {
		if m := docRow.FindString(line); m != "" {
			rows[m] = true
		}
	}
	for row := range want {
		if !rows[row] {
			t.Errorf("docs/api.md lacks the operation %s", row)
		}
	}
	for row := range rows {
		if !want[row] {
			t.Errorf("docs/api.md lists %s, which the OpenAPI document does not have", row)
		}
	}
}

var docRow = regexp.MustCompile("^\\| (GET|POST|PUT|PATCH|DELETE) \\| `/[^`]*` \\|")

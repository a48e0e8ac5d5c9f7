package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/bench"
)

// TestRunSmall runs the whole bench on a few rooms for a moment: every operation must
// succeed without an error, the seeded data must have its shape, and every audit chain
// (seeded, and appended to by the product and the reference) must verify.
func TestRunSmall(t *testing.T) {
	engines := map[string]string{"sqlite": ""}
	if u := os.Getenv("STSHUB_TEST_DATABASE_URL"); u != "" {
		engines["postgres"] = u
	}
	for engine, url := range engines {
		t.Run(engine, func(t *testing.T) {
			jsonFile := filepath.Join(t.TempDir(), "bench.json")
			opts := bench.Options{DatabaseURL: url, Rooms: 6, Users: 40, Concurrency: 4, Duration: 300 * time.Millisecond,
				Warmup: 50 * time.Millisecond, VerifyAudit: true, JSONFile: jsonFile, QuietRetries: -1}
			var out, progress bytes.Buffer
			rep, err := bench.Run(context.Background(), opts, open, &out, &progress)
			if err != nil {
				t.Fatalf("run: %v\n%s", err, progress.String())
			}
			s := rep.Seed
			if s.Rooms != 6 || s.Parties != 36 || s.Vessels != 12 || s.Documents != 6*50 || s.Versions == 0 || s.AuditEntries < 6*250 {
				t.Errorf("seeded %+v", s)
			}
			keys := map[string]bool{}
			for _, r := range rep.Results {
				keys[r.Key] = true
				if r.Errors > 0 {
					t.Errorf("%s: %d errors, first: %s", r.Name, r.Errors, r.FirstError)
				}
				if r.Key != "pdf" && (r.Requests == 0 || r.RPS <= 0 || r.P50Ms <= 0 || r.P99Ms < r.P50Ms) {
					t.Errorf("%s: implausible figures %+v", r.Name, r)
				}
				if r.Target != "" && r.Key != "pdf" && r.Ratio == nil {
					t.Errorf("%s: no ratio to its reference", r.Name)
				}
			}
			for _, k := range []string{"ref-documents", "documents", "summary", "rooms", "activities", "ref-documents-light",
				"documents-light", "ref-approve", "approve", "ref-signoff", "signoff", "file-write", "ref-upload", "upload", "pdf"} {
				if !keys[k] {
					t.Errorf("no result for %s", k)
				}
			}
			if rep.Audit == nil || !rep.Audit.OK || rep.Audit.Chains != 7 { // six rooms and the platform
				t.Errorf("audit verify: %+v", rep.Audit)
			}
			for _, want := range []string{"GET documents list", "POST upload 1 MiB", "snapshot PDF", "memory flat under load"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("the table lacks %q:\n%s", want, out.String())
				}
			}
			var decoded bench.Report
			data, err := os.ReadFile(jsonFile)
			if err != nil || json.Unmarshal(data, &decoded) != nil || len(decoded.Results) != len(rep.Results) {
				t.Errorf("JSON report: %v %s", err, data)
			}
		})
	}
}

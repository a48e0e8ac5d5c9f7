package api_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// uuidRE matches a UUID, which a line in words must never show.
var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// TestSnapshotIsARecordToFile: a snapshot names who approved each document and when, by name
// and e-mail, judges its validity against the operation window, and puts its audit lines in
// words, without an ID; the PDF says the same as the JSON.
func TestSnapshotIsARecordToFile(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newDocFixture(t, env)
		doc := must(t, env.Upload(f.room, f.owner, []string{"type", "Q88", "vessel_id", f.vessel}, "q88.pdf", apptest.PDF("Q88")), 201)
		must(t, env.Do("POST", docURL(f.room, doc["id"].(string), "/approve"), f.charterer, nil), 200)

		snapshot := func(kind string) []byte {
			created := must(t, env.Do("POST", "/api/v1/rooms/"+f.room+"/snapshots", f.broker, map[string]any{"snapshot_type": kind,
				"include_activity": true, "include_documents": true}), 202)
			return download(t, env, f.broker, waitSnapshot(t, env, f.broker, f.room, created["id"].(string)))
		}
		var st struct {
			Warnings  []string `json:"warnings"`
			Documents []struct {
				TypeCode   string `json:"type_code"`
				VesselName string `json:"vessel_name"`
				Reviewer   *struct{ Name, Email string }
				ReviewedAt *string `json:"reviewed_at"`
				Validity   string  `json:"validity"`
			} `json:"documents"`
			Activity []struct {
				ActorName   string `json:"actor_name"`
				Action      string `json:"action"`
				Description string `json:"description"`
			} `json:"activity"`
		}
		if err := json.Unmarshal(snapshot("json"), &st); err != nil {
			t.Fatal(err)
		}
		if st.Warnings == nil {
			t.Error("the JSON has no warnings list")
		}
		found := false
		for _, d := range st.Documents {
			if d.TypeCode == "Q88" && d.VesselName == "MT AEGEAN SERENITY" {
				found = true
				if d.Reviewer == nil || d.Reviewer.Email != chartererEmail || d.Reviewer.Name != "vetting" || d.ReviewedAt == nil ||
					d.Validity != "no expiry: valid for this operation" {
					t.Errorf("the approved Q88: reviewer %+v at %v, validity %q", d.Reviewer, d.ReviewedAt, d.Validity)
				}
			}
		}
		if !found {
			t.Fatal("the Q88 is not in the snapshot")
		}
		var approved string
		for _, a := range st.Activity {
			if uuidRE.MatchString(a.Description) || a.Description == "" {
				t.Errorf("%s entry in words: %q", a.Action, a.Description)
			}
			if a.Action == "document_approved" {
				approved = a.ActorName + " " + a.Description
			}
		}
		if approved != "vetting approved Q88 v1 of MT AEGEAN SERENITY" {
			t.Errorf("the approval in words: %q", approved)
		}

		// The PDF prints the same: the reviewer by name and e-mail, the line in words.
		bin, err := exec.LookPath("pdftotext")
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("pdftotext (poppler-utils) is required in CI")
			}
			return
		}
		path := filepath.Join(t.TempDir(), "s.pdf")
		if err := os.WriteFile(path, snapshot("pdf"), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, want := range []string{"Operation window", "approved Q88 v1 of MT AEGEAN SERENITY", "added vetting <" + chartererEmail + "> as charterer",
			"no expiry: valid for this operation"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q", want)
			}
		}
		// The page footers name the snapshot by its ID; the entries name nothing by one.
		audit := regexp.MustCompile(`Snapshot `+uuidRE.String()+` ·`).ReplaceAllString(text[strings.Index(text, "Audit excerpt"):], "")
		if uuidRE.MatchString(audit) {
			i := uuidRE.FindStringIndex(audit)
			t.Errorf("the PDF's audit excerpt shows an ID: %q", audit[max(0, i[0]-200):i[1]])
		}
	})
}

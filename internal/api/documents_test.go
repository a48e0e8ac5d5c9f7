package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/audit"
	"github.com/stshub/stshub/internal/config"
	"github.com/stshub/stshub/internal/service"
	"github.com/stshub/stshub/internal/store"
	"github.com/stshub/stshub/internal/store/storetest"
	"github.com/stshub/stshub/internal/waitfor"
)

// docFixture is a room created by a broker, with a charterer (who reviews) and an owner
// (who uploads but may not review) as parties, and one vessel.
type docFixture struct {
	broker, charterer, owner string // bearer tokens
	room, vessel             string
	ownerParty               string // bound to vessel
}

const (
	brokerEmail    = "broker@valletta.test"
	chartererEmail = "vetting@mediterra.test"
	ownerEmail     = "master@aegean.test"
)

func newDocFixture(t testing.TB, env *apptest.Env) docFixture {
	t.Helper()
	env.CreateUser(brokerEmail)
	env.CreateUser(chartererEmail)
	env.CreateUser(ownerEmail)
	f := docFixture{broker: env.Login(brokerEmail)}
	f.room = newRoom(t, env, f.broker)
	addParty(t, env, f.broker, f.room, chartererEmail, "charterer")
	f.ownerParty = addParty(t, env, f.broker, f.room, ownerEmail, "owner")
	f.charterer, f.owner = env.Login(chartererEmail), env.Login(ownerEmail)
	f.vessel = addVessel(t, env, f.broker, f.room, "MT AEGEAN SERENITY", "9372145", f.ownerParty)
	return f
}

func addParty(t testing.TB, env *apptest.Env, token, room, email, role string) string {
	t.Helper()
	return must(t, env.Do("POST", "/api/v1/rooms/"+room+"/parties", token, map[string]string{"email": email, "role": role}), 201)["id"].(string)
}

// addVessel adds a vessel the parties act for (owner or STS provider parties).
func addVessel(t testing.TB, env *apptest.Env, token, room, name, imo string, parties ...string) string {
	t.Helper()
	return must(t, env.Do("POST", "/api/v1/rooms/"+room+"/vessels", token,
		map[string]any{"name": name, "imo": imo, "role": "discharging", "party_ids": parties}), 201)["id"].(string)
}

// roomAt creates a room whose operation starts at eta.
func roomAt(t *testing.T, env *apptest.Env, token, title string, eta time.Time) string {
	t.Helper()
	return must(t, env.Do("POST", "/api/v1/rooms", token, map[string]any{
		"title": title, "location": "Hurd's Bank, Malta", "sts_eta": eta.UTC().Format(time.RFC3339)}), 201)["id"].(string)
}

func itemsOf(t testing.TB, res *apptest.Response) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, it := range must(t, res, 200)["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func listDocs(t testing.TB, env *apptest.Env, token, room string) []map[string]any {
	t.Helper()
	return itemsOf(t, env.Do("GET", "/api/v1/rooms/"+room+"/documents", token, nil))
}

// findSlot returns the document of type code for vessel ("" for the room), or nil.
func findSlot(docs []map[string]any, code, vessel string) map[string]any {
	for _, d := range docs {
		v, _ := d["vessel_id"].(string)
		if d["type"].(map[string]any)["code"] == code && v == vessel {
			return d
		}
	}
	return nil
}

func docSlot(t *testing.T, env *apptest.Env, token, room, code, vessel string) map[string]any {
	t.Helper()
	d := findSlot(listDocs(t, env, token, room), code, vessel)
	if d == nil {
		t.Fatalf("room %s has no %s document for vessel %q", room, code, vessel)
	}
	return d
}

func docURL(room, doc, suffix string) string {
	return "/api/v1/rooms/" + room + "/documents/" + doc + suffix
}

func versionsOf(d map[string]any) []map[string]any {
	var out []map[string]any
	for _, v := range d["versions"].([]any) {
		out = append(out, v.(map[string]any))
	}
	return out
}

func countVersions(docs []map[string]any) int {
	n := 0
	for _, d := range docs {
		n += len(d["versions"].([]any))
	}
	return n
}

func progressOf(t *testing.T, env *apptest.Env, token, room string) (required, approved int) {
	t.Helper()
	p := must(t, env.Do("GET", "/api/v1/rooms/"+room, token, nil), 200)["progress"].(map[string]any)
	return int(p["required"].(float64)), int(p["approved"].(float64))
}

func hexSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func isoDate(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// assertProblem checks a refusal: its status, that it is problem+json, and that its errors
// name field (when field is not "").
func assertProblem(t *testing.T, what string, res *apptest.Response, status int, field string) {
	t.Helper()
	if res.Status != status {
		t.Errorf("%s: status %d, want %d: %s", what, res.Status, status, res.Body)
		return
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s: content type %q, want application/problem+json: %s", what, ct, res.Body)
		return
	}
	p := res.Map()
	if p["status"] != float64(status) || p["detail"] == "" {
		t.Errorf("%s: not a problem document: %s", what, res.Body)
	}
	if field == "" {
		return
	}
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		if e.(map[string]any)["field"] == field {
			return
		}
	}
	t.Errorf("%s: the problem does not name field %q: %s", what, field, res.Body)
}

// fetch sends a GET with extra headers and returns the raw response and its body.
func fetchFile(t *testing.T, env *apptest.Env, path, token string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, env.Server.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := env.Server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// blobFiles lists the files of the local file store (relative path → size), leaving out
// its tmp folder.
func blobFiles(t *testing.T, env *apptest.Env) map[string]int64 {
	t.Helper()
	root := env.Config.FilesDir()
	out := map[string]int64{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == "tmp" {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out[rel] = info.Size()
		return nil
	})
	if err != nil {
		t.Fatalf("walk the file store: %v", err)
	}
	return out
}

func blobPath(env *apptest.Env, sha string) string {
	return filepath.Join(env.Config.FilesDir(), sha[:2], sha)
}

// spoolFiles lists the upload spool files in the file store's tmp folder (not the store's
// owner file, which stays there while the server runs).
func spoolFiles(env *apptest.Env) []string {
	names, _ := filepath.Glob(filepath.Join(env.Config.FilesDir(), "tmp", "put-*"))
	return names
}

func assertTmpEmpty(t *testing.T, env *apptest.Env, what string) {
	t.Helper()
	if names := spoolFiles(env); len(names) != 0 {
		t.Errorf("%s: temporary files left behind in files/tmp: %v", what, names)
	}
}

// paddedPDF is apptest.PDF followed by a comment of filler, size bytes in all.
func paddedPDF(size int) []byte {
	b := apptest.PDF("padded")
	if size < len(b) {
		panic("paddedPDF: size below a minimal PDF")
	}
	return append(b, bytes.Repeat([]byte("%"), size-len(b))...)
}

// TestDocumentRoundTrip: the slots a room and a vessel get, an upload, its download with
// the HTTP caching and range semantics, and a second version.
func TestDocumentRoundTrip(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		env.CreateUser(brokerEmail)
		broker := env.Login(brokerEmail)

		// What the catalogue requires by default of an oil operation, per scope.
		defaults := map[string][]string{}
		for _, ty := range itemsOf(t, env.Do("GET", "/api/v1/document-types", broker, nil)) {
			classes := ty["cargo_classes"].([]any)
			if ty["required_by_default"] == true && ty["active"] == true && (len(classes) == 0 || slices.Contains(classes, any("oil"))) {
				defaults[ty["scope"].(string)] = append(defaults[ty["scope"].(string)], ty["code"].(string))
			}
		}
		if !slices.Contains(defaults["room"], "FENDER") || !slices.Contains(defaults["vessel"], "PI_COE") {
			t.Fatalf("default catalogue: %v", defaults)
		}

		room := newRoom(t, env, broker)
		docs := listDocs(t, env, broker, room)
		if len(docs) != len(defaults["room"]) {
			t.Errorf("a new room has %d documents, want one per room-level default (%d)", len(docs), len(defaults["room"]))
		}
		for _, d := range docs {
			if d["vessel_id"] != nil {
				t.Errorf("a room without vessels has a per-vessel document: %v", d)
			}
		}

		// The vessel's owner, bound to it, supplies its documents.
		env.CreateUser(ownerEmail)
		owner := env.Login(ownerEmail)
		ownerParty := addParty(t, env, broker, room, ownerEmail, "owner")
		vessel := addVessel(t, env, broker, room, "MT AEGEAN SERENITY", "IMO 9372145", ownerParty)
		docs = listDocs(t, env, broker, room)
		if want := len(defaults["room"]) + len(defaults["vessel"]); len(docs) != want {
			t.Errorf("room with one vessel has %d documents, want %d", len(docs), want)
		}
		for _, c := range []struct{ code, vessel string }{{"FENDER", ""}, {"JPO", ""}, {"Q88", vessel}, {"PI_COE", vessel}} {
			d := findSlot(docs, c.code, c.vessel)
			switch {
			case d == nil:
				t.Errorf("no %s slot for vessel %q", c.code, c.vessel)
			case d["status"] != "missing" || d["required"] != true || len(d["versions"].([]any)) != 0:
				t.Errorf("%s slot is not a missing requirement: %v", c.code, d)
			}
		}
		required := 0
		for _, d := range docs {
			if d["required"] == true {
				required++
			}
			if d["status"] != "missing" {
				t.Errorf("%s: status %v before any upload", d["type"].(map[string]any)["code"], d["status"])
			}
		}
		if req, appr := progressOf(t, env, broker, room); req != required || appr != 0 {
			t.Errorf("progress %d/%d, want %d required, 0 approved", appr, req, required)
		}

		// Upload version 1.
		v1 := apptest.PDF("Q88 AEGEAN SERENITY 2026-01")
		res := env.Upload(room, owner, []string{"type", "Q88", "vessel_id", vessel}, "q88.pdf", v1)
		doc := must(t, res, 201)
		if loc := res.Header.Get("Location"); loc != docURL(room, doc["id"].(string), "") {
			t.Errorf("Location %q", loc)
		}
		if doc["status"] != "under_review" || doc["vessel_id"] != vessel || doc["type"].(map[string]any)["code"] != "Q88" {
			t.Fatalf("uploaded document: %v", doc)
		}
		vs := versionsOf(doc)
		if len(vs) != 1 {
			t.Fatalf("versions after one upload: %v", vs)
		}
		if vs[0]["number"] != 1.0 || vs[0]["sha256"] != hexSHA(v1) || vs[0]["size"] != float64(len(v1)) ||
			vs[0]["content_type"] != "application/pdf" || vs[0]["filename"] != "q88.pdf" || vs[0]["uploaded_by_email"] != ownerEmail {
			t.Errorf("version 1: %v (want sha256 %s, size %d)", vs[0], hexSHA(v1), len(v1))
		}
		docID, v1ID, v1SHA := doc["id"].(string), vs[0]["id"].(string), vs[0]["sha256"].(string)
		if got := docSlot(t, env, broker, room, "Q88", vessel); got["id"] != docID || got["status"] != "under_review" {
			t.Errorf("the upload did not fill the Q88 slot: %v", got)
		}

		// Download it.
		dl := docURL(room, docID, "/download")
		hr, body := fetchFile(t, env, dl, broker, nil)
		if hr.StatusCode != 200 || !bytes.Equal(body, v1) {
			t.Fatalf("download: %d, %d bytes (identical: %v)", hr.StatusCode, len(body), bytes.Equal(body, v1))
		}
		etag := `"` + v1SHA + `"`
		for k, want := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff", "ETag": etag} {
			if got := hr.Header.Get(k); got != want {
				t.Errorf("download header %s: %q, want %q", k, got, want)
			}
		}
		if cd := hr.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "q88.pdf") {
			t.Errorf("Content-Disposition %q: want an attachment named q88.pdf", cd)
		}
		hr, body = fetchFile(t, env, dl, broker, map[string]string{"Range": "bytes=0-9"})
		if hr.StatusCode != http.StatusPartialContent || !bytes.Equal(body, v1[:10]) {
			t.Errorf("range 0-9: %d with %q, want 206 with %q", hr.StatusCode, body, v1[:10])
		}
		if cr := hr.Header.Get("Content-Range"); cr != fmt.Sprintf("bytes 0-9/%d", len(v1)) {
			t.Errorf("Content-Range %q", cr)
		}
		hr, body = fetchFile(t, env, dl, broker, map[string]string{"If-None-Match": etag})
		if hr.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("If-None-Match with the ETag: %d (%d bytes), want 304 and no body", hr.StatusCode, len(body))
		}
		hr, _ = fetchFile(t, env, dl, broker, map[string]string{"If-None-Match": `"` + strings.Repeat("0", 64) + `"`})
		if hr.StatusCode != 200 {
			t.Errorf("If-None-Match with another ETag: %d, want 200", hr.StatusCode)
		}

		// Version 2: newest first, both downloadable, both blobs on disk.
		v2 := apptest.PDF("Q88 AEGEAN SERENITY 2026-02")
		doc = must(t, env.Upload(room, owner, []string{"type", "Q88", "vessel_id", vessel}, "q88-rev2.pdf", v2), 201)
		vs = versionsOf(doc)
		if doc["id"] != docID || len(vs) != 2 || vs[0]["number"] != 2.0 || vs[1]["number"] != 1.0 || vs[1]["id"] != v1ID ||
			vs[0]["sha256"] != hexSHA(v2) || doc["status"] != "under_review" {
			t.Fatalf("after version 2: %v", doc)
		}
		if _, body = fetchFile(t, env, dl, broker, nil); !bytes.Equal(body, v2) {
			t.Errorf("the latest download is not version 2")
		}
		if hr, body = fetchFile(t, env, dl+"?version="+v1ID, broker, nil); hr.StatusCode != 200 || !bytes.Equal(body, v1) {
			t.Errorf("?version=<v1>: %d, identical to v1: %v", hr.StatusCode, bytes.Equal(body, v1))
		}
		if hr, _ = fetchFile(t, env, dl+"?version=no-such-version", broker, nil); hr.StatusCode != 404 {
			t.Errorf("unknown version: %d, want 404", hr.StatusCode)
		}
		// A version ID of another document does not open through this one.
		other := must(t, env.Upload(room, owner, []string{"type", "CREW", "vessel_id", vessel}, "crew.pdf", apptest.PDF("crew list")), 201)
		if hr, _ = fetchFile(t, env, dl+"?version="+versionsOf(other)[0]["id"].(string), broker, nil); hr.StatusCode != 404 {
			t.Errorf("a version of another document through this one: %d, want 404", hr.StatusCode)
		}
		for _, c := range []struct {
			sha     string
			content []byte
		}{{v1SHA, v1}, {hexSHA(v2), v2}} {
			onDisk, err := os.ReadFile(blobPath(env, c.sha))
			if err != nil || !bytes.Equal(onDisk, c.content) {
				t.Errorf("blob %s on disk: %v (identical: %v)", c.sha, err, bytes.Equal(onDisk, c.content))
			}
		}
		assertTmpEmpty(t, env, "after uploads")
	})
}

// TestDocumentReview walks the review status machine over HTTP.
func TestDocumentReview(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newDocFixture(t, env)
		doc := must(t, env.Upload(f.room, f.owner, []string{"type", "Q88", "vessel_id", f.vessel}, "q88.pdf", apptest.PDF("Q88")), 201)
		id := doc["id"].(string)

		assertProblem(t, "owner approves", env.Do("POST", docURL(f.room, id, "/approve"), f.owner, nil), 403, "")
		assertProblem(t, "owner rejects", env.Do("POST", docURL(f.room, id, "/reject"), f.owner, map[string]string{"reason": "no"}), 403, "")
		if got := must(t, env.Do("GET", docURL(f.room, id, ""), f.owner, nil), 200); got["status"] != "under_review" || got["review"] != nil {
			t.Fatalf("a refused review changed the document: %v", got)
		}

		approved := must(t, env.Do("POST", docURL(f.room, id, "/approve"), f.charterer, nil), 200)
		review, _ := approved["review"].(map[string]any)
		if approved["status"] != "approved" || review == nil || review["by"] != chartererEmail || review["at"] == nil {
			t.Fatalf("approved: %v", approved)
		}
		// Every answer names the document's vessel: the upload's, the review's and the list's.
		listed := findSlot(listDocs(t, env, f.owner, f.room), "Q88", f.vessel)
		for what, d := range map[string]map[string]any{"upload": doc, "approve": approved, "list": listed} {
			if d["vessel_name"] != "MT AEGEAN SERENITY" {
				t.Errorf("the %s's answer names vessel %v, want MT AEGEAN SERENITY", what, d["vessel_name"])
			}
		}
		if _, appr := progressOf(t, env, f.broker, f.room); appr != 1 {
			t.Errorf("progress counts %d approved, want 1", appr)
		}
		assertProblem(t, "approve again", env.Do("POST", docURL(f.room, id, "/approve"), f.charterer, nil), 409, "")

		assertProblem(t, "reject with an empty reason", env.Do("POST", docURL(f.room, id, "/reject"), f.charterer, map[string]string{"reason": "  "}), 422, "reason")
		assertProblem(t, "reject without a reason", env.Do("POST", docURL(f.room, id, "/reject"), f.charterer, map[string]string{}), 422, "reason")
		rejected := must(t, env.Do("POST", docURL(f.room, id, "/reject"), f.charterer, map[string]string{"reason": "DWT differs from class records"}), 200)
		review, _ = rejected["review"].(map[string]any)
		if rejected["status"] != "rejected" || review == nil || review["reason"] != "DWT differs from class records" || review["by"] != chartererEmail {
			t.Fatalf("rejected: %v", rejected)
		}
		assertProblem(t, "approve a rejected document", env.Do("POST", docURL(f.room, id, "/approve"), f.charterer, nil), 409, "")

		again := must(t, env.Upload(f.room, f.owner, []string{"type", "Q88", "vessel_id", f.vessel}, "q88-v2.pdf", apptest.PDF("Q88 corrected")), 201)
		if again["status"] != "under_review" || again["review"] != nil || len(versionsOf(again)) != 2 {
			t.Fatalf("a new version after a rejection: %v", again)
		}
		must(t, env.Do("POST", docURL(f.room, id, "/approve"), f.broker, nil), 200)

		missing := docSlot(t, env, f.broker, f.room, "PI_COE", f.vessel)
		assertProblem(t, "approve a missing document", env.Do("POST", docURL(f.room, missing["id"].(string), "/approve"), f.charterer, nil), 409, "")
		assertProblem(t, "reject a missing document", env.Do("POST", docURL(f.room, missing["id"].(string), "/reject"), f.charterer, map[string]string{"reason": "x"}), 409, "")
		assertProblem(t, "approve an unknown document", env.Do("POST", docURL(f.room, "nope", "/approve"), f.charterer, nil), 404, "")

		var actions []string
		for _, e := range itemsOf(t, env.Do("GET", "/api/v1/rooms/"+f.room+"/activities?limit=100", f.broker, nil)) {
			if strings.HasPrefix(e["action"].(string), "document_") {
				actions = append(actions, e["action"].(string)+" by "+e["actor"].(string))
			}
		}
		want := []string{"document_approved by " + brokerEmail, "document_uploaded by " + ownerEmail,
			"document_rejected by " + chartererEmail, "document_approved by " + chartererEmail, "document_uploaded by " + ownerEmail}
		if !slices.Equal(actions, want) {
			t.Errorf("document entries of the trail, newest first: %v\nwant %v", actions, want)
		}
	})
}

// TestUploadRefusals: every bad upload is a clear 4xx problem and stores nothing: no
// version, no audit entry, no blob, no temporary file.
func TestUploadRefusals(t *testing.T) {
	t.Parallel()
	const limit = 64 << 10
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			env := apptest.New(t, engine, func(c *config.Config) { c.MaxUploadBytes = limit })
			f := newDocFixture(t, env)
			other := roomAt(t, env, f.broker, "Another operation", time.Date(2026, 4, 2, 6, 0, 0, 0, time.UTC))
			otherVessel := addVessel(t, env, f.broker, other, "MT LEVANT PIONEER", "9455832")
			// One version already stored, so "nothing stored" is checked against a non-empty store.
			must(t, env.Upload(f.room, f.owner, []string{"type", "Q88", "vessel_id", f.vessel}, "q88.pdf", apptest.PDF("Q88")), 201)

			q88 := []string{"type", "Q88", "vessel_id", f.vessel}
			pdf := apptest.PDF("certificate")
			form := func(fields []string, filename string, content []byte) func() ([]byte, string) {
				return func() ([]byte, string) { return apptest.Multipart(fields, filename, content) }
			}
			truncated := func(size, cutAt int) func() ([]byte, string) {
				return func() ([]byte, string) {
					content := paddedPDF(size)
					body, ct := apptest.Multipart(q88, "q88.pdf", content)
					start := bytes.Index(body, content[:64])
					return body[:start+cutAt], ct
				}
			}
			fileFirst := func() ([]byte, string) {
				var buf bytes.Buffer
				mw := multipart.NewWriter(&buf)
				fw, _ := mw.CreateFormFile("file", "q88.pdf")
				_, _ = fw.Write(pdf)
				_ = mw.WriteField("type", "Q88")
				_ = mw.WriteField("vessel_id", f.vessel)
				_ = mw.Close()
				return buf.Bytes(), mw.FormDataContentType()
			}
			mz := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0}, 600)...)
			cases := []struct {
				name   string
				body   func() ([]byte, string)
				status int
				field  string
			}{
				{"no file part", form(q88, "", nil), 422, "file"},
				{"empty file", form(q88, "q88.pdf", []byte{}), 422, "file"},
				{"oversized file", form(q88, "q88.pdf", paddedPDF(100<<10)), 413, ""},
				{"one byte over the limit", form(q88, "q88.pdf", paddedPDF(limit+1)), 413, ""},
				{"Windows executable named .pdf", form(q88, "q88.pdf", mz), 415, ""},
				{"HTML", form(q88, "q88.pdf", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")), 415, ""},
				{"HTML behind a byte-order mark", form(q88, "q88.txt", []byte("\xef\xbb\xbfhello <script>alert(1)</script>")), 415, ""},
				{"SVG", form(q88, "q88.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)), 415, ""},
				{"ZIP that is no Office file", form(q88, "q88.zip", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 100)...)), 415, ""},
				{"unknown type code", form([]string{"type", "NO_SUCH_TYPE", "vessel_id", f.vessel}, "q88.pdf", pdf), 422, "type"},
				{"no type", form([]string{"vessel_id", f.vessel}, "q88.pdf", pdf), 422, "type"},
				{"vessel of another room", form([]string{"type", "Q88", "vessel_id", otherVessel}, "q88.pdf", pdf), 422, "vessel_id"},
				{"unknown vessel", form([]string{"type", "Q88", "vessel_id", "no-such-vessel"}, "q88.pdf", pdf), 422, "vessel_id"},
				{"per-vessel type without vessel_id", form([]string{"type", "Q88"}, "q88.pdf", pdf), 422, "vessel_id"},
				{"room type with a vessel_id", form([]string{"type", "JPO", "vessel_id", f.vessel}, "jpo.pdf", pdf), 422, "vessel_id"},
				{"expiring type without expires_on", form([]string{"type", "PI_COE", "vessel_id", f.vessel}, "pi.pdf", pdf), 422, "expires_on"},
				{"malformed expires_on", form([]string{"type", "PI_COE", "vessel_id", f.vessel, "expires_on", "20/02/2027"}, "pi.pdf", pdf), 422, "expires_on"},
				{"impossible expires_on", form([]string{"type", "PI_COE", "vessel_id", f.vessel, "expires_on", "2027-02-30"}, "pi.pdf", pdf), 422, "expires_on"},
				{"point-in-time type without performed_at", form([]string{"type", "SIRE", "vessel_id", f.vessel}, "s.pdf", pdf), 422, "performed_at"},
				{"malformed performed_at", form([]string{"type", "SIRE", "vessel_id", f.vessel, "performed_at", "yesterday"}, "s.pdf", pdf), 422, "performed_at"},
				{"over-long notes", form(append(slices.Clone(q88), "notes", strings.Repeat("n", 2001)), "q88.pdf", pdf), 422, "notes"},
				{"unknown form field", form(append(slices.Clone(q88), "status", "approved"), "q88.pdf", pdf), 422, "status"},
				{"file before the fields", fileFirst, 422, "type"},
				{"body cut inside the file", truncated(8<<10, 4<<10), 400, ""},
				{"body cut before the file's first 512 bytes", truncated(8<<10, 100), 400, ""},
				{"not multipart", func() ([]byte, string) { return []byte(`{"type":"Q88"}`), "application/json" }, 415, ""},
				{"multipart without a boundary", func() ([]byte, string) { return []byte("--x\r\n"), "multipart/form-data" }, 400, ""},
			}
			ctx := context.Background()
			for _, c := range cases {
				blobsBefore := blobFiles(t, env)
				versionsBefore := countVersions(listDocs(t, env, f.broker, f.room))
				trailBefore, err := env.App.DB().Read().ListAudit(ctx, f.room, store.AuditFilter{Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				body, ct := c.body()
				res := env.DoWith("POST", "/api/v1/rooms/"+f.room+"/documents", f.owner, body, ct)
				assertProblem(t, c.name, res, c.status, c.field)

				if n := countVersions(listDocs(t, env, f.broker, f.room)); n != versionsBefore {
					t.Errorf("%s: the room has %d versions, had %d", c.name, n, versionsBefore)
				}
				if trail, _ := env.App.DB().Read().ListAudit(ctx, f.room, store.AuditFilter{Limit: 1000}); len(trail) != len(trailBefore) {
					t.Errorf("%s: the room's trail grew from %d to %d entries", c.name, len(trailBefore), len(trail))
				}
				if after := blobFiles(t, env); !maps.Equal(after, blobsBefore) {
					t.Errorf("%s: the file store went from %v to %v", c.name, blobsBefore, after)
				}
				assertTmpEmpty(t, env, c.name)
			}

			// A path in the file name is dropped: only its last element is kept, and nothing
			// is written anywhere but the file store, under the content's hash.
			for _, c := range []struct{ sent, kept string }{
				{"../../etc/passwd.pdf", "passwd.pdf"},
				{`..\..\windows\win.pdf`, "win.pdf"},
			} {
				content := apptest.PDF("traversal " + c.kept)
				before := blobFiles(t, env)
				doc := must(t, env.Upload(f.room, f.broker, []string{"type", "PRICE_CAP"}, c.sent, content), 201) // on the seller's behalf
				v := versionsOf(doc)[0]
				if v["filename"] != c.kept || v["sha256"] != hexSHA(content) {
					t.Errorf("file name %q stored as %v (sha256 %v), want %q", c.sent, v["filename"], v["sha256"], c.kept)
				}
				after := blobFiles(t, env)
				want := filepath.Join(hexSHA(content)[:2], hexSHA(content))
				if _, ok := after[want]; !ok || len(after) != len(before)+1 {
					t.Errorf("file name %q: the file store went from %v to %v, want one new blob %s", c.sent, before, after, want)
				}
				hr, _ := fetchFile(t, env, docURL(f.room, doc["id"].(string), "/download"), f.broker, nil)
				if cd := hr.Header.Get("Content-Disposition"); strings.Contains(cd, "..") || strings.ContainsAny(cd, `/\`) || !strings.Contains(cd, c.kept) {
					t.Errorf("file name %q offered back as %q", c.sent, cd)
				}
			}
			testRoot := filepath.Dir(env.Config.DataDir)
			_ = filepath.WalkDir(testRoot, func(path string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && (d.Name() == "passwd.pdf" || strings.HasSuffix(d.Name(), "win.pdf")) {
					t.Errorf("an upload was written under its client's name: %s", path)
				}
				return nil
			})
			entries, _ := os.ReadDir(env.Config.DataDir)
			for _, e := range entries {
				if e.Name() != "files" && !strings.HasPrefix(e.Name(), "stshub.db") {
					t.Errorf("unexpected entry in the data folder: %s", e.Name())
				}
			}

			// Exactly at the limit is accepted.
			atLimit := paddedPDF(limit)
			doc := must(t, env.Upload(f.room, f.owner, q88, "q88-full.pdf", atLimit), 201)
			if v := versionsOf(doc)[0]; v["size"] != float64(limit) || v["sha256"] != hexSHA(atLimit) {
				t.Errorf("upload of exactly the limit: %v", v)
			}
			assertTmpEmpty(t, env, "at the end")
		})
	}
}

// TestDocumentExpiry: a lapsed certificate cannot be approved, one lapsing during the
// operation blocks clearance, and the expiry scan records the lapse once.
func TestDocumentExpiry(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		env.CreateUser(brokerEmail)
		env.CreateUser(chartererEmail)
		broker := env.Login(brokerEmail)
		eta := env.Now().Add(24 * time.Hour)
		room := roomAt(t, env, broker, "Tomorrow's transfer", eta)
		addParty(t, env, broker, room, chartererEmail, "charterer")
		charterer := env.Login(chartererEmail)
		// The vessel's owner, bound to it, supplies its P&I certificate.
		env.CreateUser(ownerEmail)
		owner := env.Login(ownerEmail)
		vessel := addVessel(t, env, broker, room, "MT AEGEAN SERENITY", "9372145", addParty(t, env, broker, room, ownerEmail, "owner"))
		piFields := func(expires string) []string {
			return []string{"type", "PI_COE", "vessel_id", vessel, "expires_on", expires}
		}

		yesterday := isoDate(env.Now().AddDate(0, 0, -1))
		doc := must(t, env.Upload(room, owner, piFields(yesterday), "pi-old.pdf", apptest.PDF("P&I 2025")), 201)
		id := doc["id"].(string)
		if doc["expires_on"] != yesterday || doc["status"] != "under_review" {
			t.Fatalf("uploaded lapsed certificate: %v", doc)
		}
		assertProblem(t, "approve a certificate that lapsed yesterday", env.Do("POST", docURL(room, id, "/approve"), charterer, nil), 409, "")

		// Valid through the day after the ETA: it lapses inside the 48 h operation window.
		expires := isoDate(eta.UTC().AddDate(0, 0, 1))
		must(t, env.Upload(room, owner, piFields(expires), "pi.pdf", apptest.PDF("P&I 2026")), 201)
		doc = must(t, env.Do("POST", docURL(room, id, "/approve"), charterer, acknowledgeLapse), 200)
		if doc["status"] != "approved" || doc["expires_on"] != expires || doc["expires_during_operation"] != true || doc["valid_until"] == nil {
			t.Fatalf("approved certificate lapsing during the operation: %v", doc)
		}
		summary := must(t, env.Do("GET", "/api/v1/rooms/"+room+"/summary", broker, nil), 200)
		var blocker map[string]any
		for _, b := range summary["blockers"].([]any) {
			if b.(map[string]any)["document_id"] == id {
				blocker = b.(map[string]any)
			}
		}
		if blocker == nil || !strings.Contains(blocker["reason"].(string), "before the operation ends") || blocker["type_code"] != "PI_COE" {
			t.Errorf("summary blocker of the certificate: %v", blocker)
		}

		// Ten days on: lapsed. The scan records it once, as the system.
		env.Advance(10 * 24 * time.Hour)
		broker = env.Login(brokerEmail) // sessions did not survive the ten days
		if got := must(t, env.Do("GET", docURL(room, id, ""), broker, nil), 200); got["status"] != "expired" || got["expires_during_operation"] != false {
			t.Errorf("before the scan, the lapsed document shows as %v", got["status"])
		}
		n, err := env.App.Service().ScanExpired(ctx)
		if err != nil || n < 1 {
			t.Fatalf("ScanExpired: %d, %v; want at least 1", n, err)
		}
		if got := must(t, env.Do("GET", docURL(room, id, ""), broker, nil), 200); got["status"] != "expired" {
			t.Errorf("after the scan: status %v", got["status"])
		}
		entries := itemsOf(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities?action=document_expired", broker, nil))
		if len(entries) != 1 || entries[0]["actor"] != "system" || entries[0]["target_id"] != id {
			t.Errorf("document_expired entries: %v", entries)
		}
		if n, err := env.App.Service().ScanExpired(ctx); err != nil || n != 0 {
			t.Errorf("second ScanExpired: %d, %v; want 0", n, err)
		}
		if entries := itemsOf(t, env.Do("GET", "/api/v1/rooms/"+room+"/activities?action=document_expired", broker, nil)); len(entries) != 1 {
			t.Errorf("after a second scan: %d document_expired entries, want 1", len(entries))
		}
		summary = must(t, env.Do("GET", "/api/v1/rooms/"+room+"/summary", broker, nil), 200)
		found := false
		for _, b := range summary["blockers"].([]any) {
			if b.(map[string]any)["document_id"] == id && strings.HasSuffix(b.(map[string]any)["reason"].(string), ": expired") {
				found = true
			}
		}
		if !found {
			t.Errorf("the expired certificate is no blocker: %v", summary["blockers"])
		}
		reports, err := env.App.Service().VerifyAudit(ctx, room)
		if err != nil || len(reports) == 0 {
			t.Errorf("trail after the scan: %+v, %v", reports, err)
		}
	})
}

// TestExpiringListIsPerCaller: the expiring list covers only the caller's rooms.
func TestExpiringListIsPerCaller(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		rooms := map[string]string{}
		tokens, owners := map[string]string{}, map[string]string{}
		for _, email := range []string{"alpha@brokers.test", "bravo@brokers.test"} {
			env.CreateUser(email)
			token := env.Login(email)
			room := roomAt(t, env, token, "Room of "+email, env.Now().Add(60*24*time.Hour))
			// Each room's owner, bound to its vessel, uploads; the broker reviews.
			ownerOf := "owner-" + email
			env.CreateUser(ownerOf)
			owners[email] = env.Login(ownerOf)
			vessel := addVessel(t, env, token, room, "MT AEGEAN SERENITY", "9372145", addParty(t, env, token, room, ownerOf, "owner"))
			doc := must(t, env.Upload(room, owners[email], []string{"type", "PI_COE", "vessel_id", vessel, "expires_on", isoDate(env.Now().AddDate(0, 0, 10))},
				"pi.pdf", apptest.PDF("P&I "+email)), 201)
			must(t, env.Do("POST", docURL(room, doc["id"].(string), "/approve"), token, acknowledgeLapse), 200)
			rooms[email], tokens[email] = room, token
		}
		for email, token := range tokens {
			got := itemsOf(t, env.Do("GET", "/api/v1/documents/expiring?days=30", token, nil))
			if len(got) != 1 || got[0]["room_id"] != rooms[email] || got[0]["room_title"] != "Room of "+email || got[0]["type"].(map[string]any)["code"] != "PI_COE" {
				t.Errorf("%s's expiring list: %v, want only its own room's PI_COE", email, got)
			}
			if got := itemsOf(t, env.Do("GET", "/api/v1/documents/expiring?days=5", token, nil)); len(got) != 0 {
				t.Errorf("%s: %d documents expire within 5 days, want 0", email, len(got))
			}
		}
		// Soonest first.
		alpha := tokens["alpha@brokers.test"]
		vessel := itemsOf(t, env.Do("GET", "/api/v1/rooms/"+rooms["alpha@brokers.test"]+"/vessels", alpha, nil))[0]["id"].(string)
		clc := must(t, env.Upload(rooms["alpha@brokers.test"], owners["alpha@brokers.test"], []string{"type", "CLC", "vessel_id", vessel, "expires_on", isoDate(env.Now().AddDate(0, 0, 3))},
			"clc.pdf", apptest.PDF("CLC")), 201)
		must(t, env.Do("POST", docURL(rooms["alpha@brokers.test"], clc["id"].(string), "/approve"), alpha, acknowledgeLapse), 200)
		var codes []string
		for _, d := range itemsOf(t, env.Do("GET", "/api/v1/documents/expiring?days=30", alpha, nil)) {
			codes = append(codes, d["type"].(map[string]any)["code"].(string))
		}
		if !slices.Equal(codes, []string{"CLC", "PI_COE"}) {
			t.Errorf("alpha's expiring list: %v, want [CLC PI_COE] (soonest first)", codes)
		}
		// A viewer sees the room's documents while a party, and no longer once removed.
		env.CreateUser("viewer@port.test")
		viewer := env.Login("viewer@port.test")
		party := addParty(t, env, tokens["alpha@brokers.test"], rooms["alpha@brokers.test"], "viewer@port.test", "viewer")
		if got := itemsOf(t, env.Do("GET", "/api/v1/documents/expiring?days=30", viewer, nil)); len(got) != 2 {
			t.Errorf("viewer's expiring list: %d documents, want 2", len(got))
		}
		must(t, env.Do("DELETE", "/api/v1/rooms/"+rooms["alpha@brokers.test"]+"/parties/"+party, tokens["alpha@brokers.test"], nil), 204)
		if got := itemsOf(t, env.Do("GET", "/api/v1/documents/expiring?days=30", viewer, nil)); len(got) != 0 {
			t.Errorf("removed viewer's expiring list: %d documents, want 0", len(got))
		}
		assertProblem(t, "days out of range", env.Do("GET", "/api/v1/documents/expiring?days=1000", viewer, nil), 422, "days")
	})
}

// TestWaiveAndRequire: waivers and added requirements, with their effect on progress.
func TestWaiveAndRequire(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newDocFixture(t, env)
		fender := docSlot(t, env, f.broker, f.room, "FENDER", "")
		id := fender["id"].(string)
		required, _ := progressOf(t, env, f.broker, f.room)

		assertProblem(t, "owner waives", env.Do("POST", docURL(f.room, id, "/waive"), f.owner, map[string]string{"reason": "not needed"}), 403, "")
		assertProblem(t, "waive without a reason", env.Do("POST", docURL(f.room, id, "/waive"), f.charterer, map[string]string{"reason": ""}), 422, "reason")
		waived := must(t, env.Do("POST", docURL(f.room, id, "/waive"), f.charterer, map[string]string{"reason": "Terminal supplies certified fenders"}), 200)
		w, _ := waived["waiver"].(map[string]any)
		if waived["required"] != false || w == nil || w["reason"] != "Terminal supplies certified fenders" || w["by"] != chartererEmail {
			t.Fatalf("waived: %v", waived)
		}
		if now, _ := progressOf(t, env, f.broker, f.room); now != required-1 {
			t.Errorf("progress.required after a waiver: %d, want %d", now, required-1)
		}
		for _, b := range must(t, env.Do("GET", "/api/v1/rooms/"+f.room+"/summary", f.broker, nil), 200)["blockers"].([]any) {
			if b.(map[string]any)["document_id"] == id {
				t.Errorf("a waived document still blocks: %v", b)
			}
		}
		assertProblem(t, "waive again", env.Do("POST", docURL(f.room, id, "/waive"), f.charterer, map[string]string{"reason": "again"}), 409, "")

		req := func(body map[string]string) *apptest.Response {
			return env.Do("POST", "/api/v1/rooms/"+f.room+"/requirements", f.charterer, body)
		}
		back := must(t, req(map[string]string{"type": "FENDER"}), 201)
		if back["id"] != id || back["required"] != true || back["waiver"] != nil {
			t.Errorf("required again: %v", back)
		}
		if now, _ := progressOf(t, env, f.broker, f.room); now != required {
			t.Errorf("progress.required after requiring again: %d, want %d", now, required)
		}
		assertProblem(t, "require FENDER while required", req(map[string]string{"type": "FENDER"}), 409, "")

		if findSlot(listDocs(t, env, f.broker, f.room), "PRICE_CAP", "") != nil {
			t.Fatal("PRICE_CAP is required by default")
		}
		priceCap := must(t, req(map[string]string{"type": "PRICE_CAP"}), 201)
		if priceCap["required"] != true || priceCap["status"] != "missing" || priceCap["vessel_id"] != nil {
			t.Errorf("PRICE_CAP required: %v", priceCap)
		}
		if now, _ := progressOf(t, env, f.broker, f.room); now != required+1 {
			t.Errorf("progress.required after adding PRICE_CAP: %d, want %d", now, required+1)
		}
		assertProblem(t, "require PRICE_CAP twice", req(map[string]string{"type": "PRICE_CAP"}), 409, "")
		assertProblem(t, "require Q88 without a vessel", req(map[string]string{"type": "Q88"}), 422, "vessel_id")
		assertProblem(t, "require FENDER for a vessel", req(map[string]string{"type": "FENDER", "vessel_id": f.vessel}), 422, "vessel_id")
		assertProblem(t, "require an unknown type", req(map[string]string{"type": "NO_SUCH_TYPE"}), 422, "type")
		assertProblem(t, "owner adds a requirement", env.Do("POST", "/api/v1/rooms/"+f.room+"/requirements", f.owner, map[string]string{"type": "HOSE"}), 403, "")
		assertProblem(t, "require Q88 for the vessel again", req(map[string]string{"type": "Q88", "vessel_id": f.vessel}), 409, "")
	})
}

// TestRemoveVesselWithDocuments: a vessel with uploads stays; one without goes with its slots.
func TestRemoveVesselWithDocuments(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newDocFixture(t, env)
		spare := addVessel(t, env, f.broker, f.room, "MT LEVANT PIONEER", "9455832")
		perVessel := func(vessel string) int {
			n := 0
			for _, d := range listDocs(t, env, f.broker, f.room) {
				if d["vessel_id"] == vessel {
					n++
				}
			}
			return n
		}
		slots := perVessel(f.vessel)
		if slots == 0 || perVessel(spare) != slots {
			t.Fatalf("per-vessel slots: %d and %d", slots, perVessel(spare))
		}
		must(t, env.Upload(f.room, f.owner, []string{"type", "Q88", "vessel_id", f.vessel}, "q88.pdf", apptest.PDF("Q88")), 201)

		assertProblem(t, "remove a vessel with an upload", env.Do("DELETE", "/api/v1/rooms/"+f.room+"/vessels/"+f.vessel, f.broker, nil), 409, "")
		if n := perVessel(f.vessel); n != slots {
			t.Errorf("the refused removal deleted slots: %d left of %d", n, slots)
		}
		must(t, env.Do("GET", "/api/v1/rooms/"+f.room+"/vessels/"+f.vessel, f.broker, nil), 200)

		must(t, env.Do("DELETE", "/api/v1/rooms/"+f.room+"/vessels/"+spare, f.broker, nil), 204)
		if n := perVessel(spare); n != 0 {
			t.Errorf("%d slots of the removed vessel remain", n)
		}
		must(t, env.Do("GET", "/api/v1/rooms/"+f.room+"/vessels/"+spare, f.broker, nil), 404)
		required := 0
		for _, d := range listDocs(t, env, f.broker, f.room) {
			if d["required"] == true {
				required++
			}
		}
		if got, _ := progressOf(t, env, f.broker, f.room); got != required {
			t.Errorf("progress.required %d, the list has %d required documents", got, required)
		}
	})
}

// TestCatalogueAdministration: admins change the catalogue; new rooms and vessels follow it.
func TestCatalogueAdministration(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		ctx := context.Background()
		root := env.Login(apptest.AdminEmail)
		f := newDocFixture(t, env)
		vesselType := map[string]any{"code": "GAS_FREE", "name": "Gas-free certificate", "supplied_by": "owner",
			"scope": "vessel", "criticality": "medium", "expiry": "none", "required_by_default": true}
		roomType := map[string]any{"code": "WEATHER", "name": "Weather window assessment", "supplied_by": "sts_provider",
			"scope": "room", "criticality": "high", "expiry": "none", "required_by_default": true}
		optionalType := map[string]any{"code": "TUG", "name": "Tug availability", "supplied_by": "sts_provider",
			"scope": "room", "criticality": "low", "expiry": "none"}

		assertProblem(t, "broker creates a type", env.Do("POST", "/api/v1/document-types", f.broker, vesselType), 403, "")
		for _, ty := range []map[string]any{vesselType, roomType, optionalType} {
			got := must(t, env.Do("POST", "/api/v1/document-types", root, ty), 201)
			if got["code"] != ty["code"] || got["active"] != true {
				t.Errorf("created type: %v", got)
			}
		}
		assertProblem(t, "create a type twice", env.Do("POST", "/api/v1/document-types", root, vesselType), 409, "")
		assertProblem(t, "bad code", env.Do("POST", "/api/v1/document-types", root, map[string]any{"code": "x", "name": "X",
			"supplied_by": "owner", "scope": "vessel", "criticality": "low", "expiry": "none"}), 422, "code")

		// The existing room keeps its requirements; a new vessel gets the new vessel type.
		docs := listDocs(t, env, f.broker, f.room)
		if findSlot(docs, "WEATHER", "") != nil || findSlot(docs, "GAS_FREE", f.vessel) != nil {
			t.Errorf("an existing room acquired the new requirements")
		}
		second := addVessel(t, env, f.broker, f.room, "MT LEVANT PIONEER", "9455832")
		if d := docSlot(t, env, f.broker, f.room, "GAS_FREE", second); d["required"] != true || d["status"] != "missing" || d["criticality"] != "medium" {
			t.Errorf("GAS_FREE slot of a new vessel: %v", d)
		}
		// A new room gets the room type that is required by default, not the optional one.
		fresh := newRoom(t, env, f.broker)
		docs = listDocs(t, env, f.broker, fresh)
		if findSlot(docs, "WEATHER", "") == nil || findSlot(docs, "TUG", "") != nil {
			t.Errorf("a new room's documents: WEATHER %v, TUG %v", findSlot(docs, "WEATHER", ""), findSlot(docs, "TUG", ""))
		}

		// Renaming shows in the documents; a non-admin may not.
		assertProblem(t, "broker renames a type", env.Do("PATCH", "/api/v1/document-types/GAS_FREE", f.broker, map[string]any{"name": "Hijacked"}), 403, "")
		renamed := must(t, env.Do("PATCH", "/api/v1/document-types/GAS_FREE", root, map[string]any{"name": "Gas-free certificate (tank entry)"}), 200)
		if renamed["name"] != "Gas-free certificate (tank entry)" || renamed["scope"] != "vessel" {
			t.Errorf("renamed type: %v", renamed)
		}
		if d := docSlot(t, env, f.broker, f.room, "GAS_FREE", second); d["type"].(map[string]any)["name"] != "Gas-free certificate (tank entry)" {
			t.Errorf("document type name after the rename: %v", d["type"])
		}
		assertProblem(t, "rename an unknown type", env.Do("PATCH", "/api/v1/document-types/NO_SUCH", root, map[string]any{"name": "x"}), 404, "")

		// A deactivated type is no longer required of new vessels nor accepted for upload.
		must(t, env.Do("PATCH", "/api/v1/document-types/GAS_FREE", root, map[string]any{"active": false}), 200)
		third := addVessel(t, env, f.broker, f.room, "MT NORDIC STAR", "9380362")
		if d := findSlot(listDocs(t, env, f.broker, f.room), "GAS_FREE", third); d != nil {
			t.Errorf("a deactivated type became a requirement: %v", d)
		}
		assertProblem(t, "upload a deactivated type", env.Upload(f.room, f.owner, []string{"type", "GAS_FREE", "vessel_id", second}, "gas.pdf", apptest.PDF("gas")), 422, "type")

		entries, err := env.App.DB().Read().ListAudit(ctx, audit.PlatformScope, store.AuditFilter{Action: "catalogue_changed", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		for _, e := range entries {
			seen = append(seen, e.ActorEmail+" "+e.TargetID)
		}
		for _, want := range []string{apptest.AdminEmail + " GAS_FREE", apptest.AdminEmail + " WEATHER", "system "} {
			if !slices.Contains(seen, want) {
				t.Errorf("platform trail lacks catalogue_changed %q: %v", want, seen)
			}
		}
		renames := 0
		for _, e := range entries {
			if e.TargetID == "GAS_FREE" && strings.Contains(string(e.Meta), "tank entry") {
				renames++
			}
		}
		if renames != 1 {
			t.Errorf("%d audit entries record the rename, want 1", renames)
		}
	})
}

// TestExpiringListHoldsOnlyExpiringDocuments: the expiring list shows documents whose
// validity ends, with their versions like everywhere else. A date sent with a document of a
// type that does not expire (a Q88) either is refused or makes no expiry.
func TestExpiringListHoldsOnlyExpiringDocuments(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite")
	f := newDocFixture(t, env)
	in10 := isoDate(env.Now().AddDate(0, 0, 10))
	pi := must(t, env.Upload(f.room, f.owner, []string{"type", "PI_COE", "vessel_id", f.vessel, "expires_on", in10}, "pi.pdf", apptest.PDF("P&I")), 201)
	must(t, env.Do("POST", docURL(f.room, pi["id"].(string), "/approve"), f.charterer, nil), 200)

	res := env.Upload(f.room, f.owner, []string{"type", "Q88", "vessel_id", f.vessel, "expires_on", in10}, "q88.pdf", apptest.PDF("Q88"))
	if res.Status == 201 {
		q88 := must(t, env.Do("POST", docURL(f.room, res.Map()["id"].(string), "/approve"), f.charterer, nil), 200)
		if q88["valid_until"] != nil {
			t.Errorf("a Q88 (no expiry) has valid_until %v", q88["valid_until"])
		}
	} else {
		assertProblem(t, "expires_on for a type without expiry", res, 422, "expires_on")
	}

	got := itemsOf(t, env.Do("GET", "/api/v1/documents/expiring?days=30", f.broker, nil))
	var codes []string
	for _, d := range got {
		codes = append(codes, d["type"].(map[string]any)["code"].(string))
	}
	if !slices.Equal(codes, []string{"PI_COE"}) {
		t.Errorf("expiring list holds %v, want only [PI_COE]: a Q88 does not expire", codes)
	}
	for _, d := range got {
		if d["valid_until"] == nil {
			t.Errorf("expiring list item %v without valid_until", d["type"])
		}
		if vs := d["versions"].([]any); len(vs) != 1 {
			t.Errorf("expiring list item %v has %d versions, want 1 (as GET of the document shows)", d["type"].(map[string]any)["code"], len(vs))
		}
	}
}

// TestDownloadOffersTheFileName: Content-Disposition is a valid RFC 6266 header that hands
// back the stored file name, whatever characters it holds.
func TestDownloadOffersTheFileName(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite")
	f := newDocFixture(t, env)
	for i, name := range []string{
		"q88.pdf",
		"MT AEGEAN SERENITY Q88 (rev. 2), final.pdf",
		"Zertifikat für Fender; 2026.pdf",
		"class=LR.pdf",
		"ops@aegean-q88.pdf",
		"IOPP form B: supplement.pdf",
	} {
		doc := must(t, env.Upload(f.room, f.broker, []string{"type", "PRICE_CAP"}, name, apptest.PDF(fmt.Sprint("name ", i))), 201) // on the seller's behalf
		if stored := versionsOf(doc)[0]["filename"]; stored != name {
			t.Errorf("file name %q stored as %q", name, stored)
			continue
		}
		hr, _ := fetchFile(t, env, docURL(f.room, doc["id"].(string), "/download"), f.broker, nil)
		cd := hr.Header.Get("Content-Disposition")
		disposition, params, err := mime.ParseMediaType(cd)
		if err != nil || disposition != "attachment" || params["filename"] != name {
			t.Errorf("file name %q: Content-Disposition %q parses as %q %q (%v)", name, cd, disposition, params["filename"], err)
		}
	}
}

// TestPointInTimeEvidenceIsNotDatedInTheFuture: a screening is evidence as of a moment that
// has happened; a performed_at in the future would keep it valid as long as the uploader likes.
func TestPointInTimeEvidenceIsNotDatedInTheFuture(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite")
	f := newDocFixture(t, env)
	fields := func(at time.Time) []string {
		return append([]string{"type", "SANCTIONS", "vessel_id", f.vessel, "performed_at", at.UTC().Format(time.RFC3339)},
			apptest.ScreeningFields("SANCTIONS")...)
	}
	// The charterer supplies sanctions screenings.
	res := env.Upload(f.room, f.charterer, fields(env.Now().AddDate(5, 0, 0)), "screening.pdf", apptest.PDF("screening 2031"))
	assertProblem(t, "sanctions screening performed five years from now", res, 422, "performed_at")
	ok := must(t, env.Upload(f.room, f.charterer, fields(env.Now().Add(-time.Hour)), "screening.pdf", apptest.PDF("screening today")), 201)
	if ok["valid_until"] == nil {
		t.Errorf("a sanctions screening without valid_until: %v", ok)
	}
}

// streamedUpload is an upload whose file reaches the server in two halves; the second half
// is sent (or the connection dropped) only when the test says so.
type streamedUpload struct {
	gate chan bool // true: drop the connection; false: send the rest
	done chan streamedOutcome
}

type streamedOutcome struct {
	status int
	body   []byte
	err    error
}

// startStreamedUpload sends fields and the first half of content, and returns once the
// server has opened its temporary file for it.
func startStreamedUpload(t *testing.T, env *apptest.Env, token, room string, fields []string, content []byte) *streamedUpload {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	u := &streamedUpload{gate: make(chan bool, 1), done: make(chan streamedOutcome, 1)}
	go func() {
		for i := 0; i+1 < len(fields); i += 2 {
			_ = mw.WriteField(fields[i], fields[i+1])
		}
		fw, _ := mw.CreateFormFile("file", "streamed.pdf")
		_, _ = fw.Write(content[:len(content)/2])
		if drop := <-u.gate; drop {
			pw.CloseWithError(errors.New("the client went away"))
			return
		}
		_, _ = fw.Write(content[len(content)/2:])
		_ = mw.Close()
		_ = pw.Close()
	}()
	req, err := http.NewRequest(http.MethodPost, env.Server.URL+"/api/v1/rooms/"+room+"/documents", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	go func() {
		res, err := env.Server.Client().Do(req)
		if err != nil {
			u.done <- streamedOutcome{err: err}
			return
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		u.done <- streamedOutcome{status: res.StatusCode, body: body, err: err}
	}()
	waitfor.Until(t, "the server opens a temporary file for the upload", func() bool { return len(spoolFiles(env)) > 0 })
	return u
}

// TestInterruptedUploadsLeaveNothing: an uploader removed from the room while its file is
// on the wire, and a client that hangs up half-way, leave no version, no blob and no
// temporary file, and never take away a blob another version still uses.
func TestInterruptedUploadsLeaveNothing(t *testing.T) {
	t.Parallel()
	apptest.ForEachEngine(t, func(t *testing.T, env *apptest.Env) {
		f := newDocFixture(t, env)
		env.CreateUser("desk@northafrica.test")
		sellerParty := addParty(t, env, f.broker, f.room, "desk@northafrica.test", "seller")
		seller := env.Login("desk@northafrica.test")
		var ownerParty string
		for _, p := range itemsOf(t, env.Do("GET", "/api/v1/rooms/"+f.room+"/parties", f.broker, nil)) {
			if p["email"] == ownerEmail {
				ownerParty = p["id"].(string)
			}
		}
		shared := paddedPDF(64 << 10)
		q88 := must(t, env.Upload(f.room, f.owner, []string{"type", "Q88", "vessel_id", f.vessel}, "q88.pdf", shared), 201)
		q88ID := q88["id"].(string)

		type state struct {
			blobs    map[string]int64
			versions int
		}
		snapshot := func() state {
			return state{blobFiles(t, env), countVersions(listDocs(t, env, f.broker, f.room))}
		}
		assertUnchanged := func(what string, before state) {
			t.Helper()
			// A blob stored before the upload failed stays until the sweep, past its grace
			// period, finds that nothing keeps it.
			env.Advance(2 * service.BlobGrace)
			waitfor.Until(t, "the sweep's turn", func() bool {
				rep, err := env.App.Service().SweepBlobs(context.Background())
				return err == nil && rep.Ran
			})
			after := snapshot()
			if after.versions != before.versions {
				t.Errorf("%s: the room has %d versions, had %d", what, after.versions, before.versions)
			}
			if !maps.Equal(after.blobs, before.blobs) {
				t.Errorf("%s: the file store went from %v to %v", what, before.blobs, after.blobs)
			}
			assertTmpEmpty(t, env, what)
		}

		// Each uploader sends a type it supplies: the owner its vessel's mooring plan, the
		// seller the cargo's safety data sheet.
		mooring := []string{"type", "MOORING", "vessel_id", f.vessel, "expires_on", "2027-12-31"}
		for _, c := range []struct {
			name, token, party string
			fields             []string
			content            []byte
		}{
			{"uploader removed mid-upload, new content", f.owner, ownerParty, mooring, paddedPDF(96 << 10)},
			{"uploader removed mid-upload, content of an existing version", seller, sellerParty, []string{"type", "MSDS"}, shared},
		} {
			before := snapshot()
			u := startStreamedUpload(t, env, c.token, f.room, c.fields, c.content)
			must(t, env.Do("DELETE", "/api/v1/rooms/"+f.room+"/parties/"+c.party, f.broker, nil), 204)
			u.gate <- false
			out := <-u.done
			if out.err != nil {
				t.Fatalf("%s: %v", c.name, out.err)
			}
			if out.status != http.StatusNotFound && out.status != http.StatusForbidden {
				t.Errorf("%s: %d %s, want 404 (no longer a party)", c.name, out.status, out.body)
			}
			assertUnchanged(c.name, before)
		}
		// The blob the refused upload shared with Q88 version 1 is still there.
		hr, body := fetchFile(t, env, docURL(f.room, q88ID, "/download"), f.broker, nil)
		if hr.StatusCode != 200 || !bytes.Equal(body, shared) {
			t.Errorf("Q88 version 1 after a refused upload of the same bytes: %d, identical %v", hr.StatusCode, bytes.Equal(body, shared))
		}

		// A client that hangs up half-way.
		before := snapshot()
		// (The owner and the seller are gone: the broker, on the STS provider's behalf.)
		u := startStreamedUpload(t, env, f.broker, f.room, []string{"type", "JPO"}, paddedPDF(128<<10))
		u.gate <- true
		<-u.done
		waitfor.Until(t, "the server to drop the temporary file of an abandoned upload", func() bool { return len(spoolFiles(env)) == 0 })
		assertUnchanged("client hung up mid-upload", before)
	})
}

// TestExpiringListLeavesFinishedOperationsOut: a certificate lapsing in an operation that was
// cancelled is nobody's concern any more, and leaves the expiring list (and the cockpit's).
func TestExpiringListLeavesFinishedOperationsOut(t *testing.T) {
	t.Parallel()
	env := apptest.New(t, "sqlite")
	f := newDocFixture(t, env)
	pi := must(t, env.Upload(f.room, f.owner, []string{"type", "PI_COE", "vessel_id", f.vessel, "expires_on", isoDate(env.Now().AddDate(0, 0, 10))},
		"pi.pdf", apptest.PDF("P&I")), 201)
	must(t, env.Do("POST", docURL(f.room, pi["id"].(string), "/approve"), f.charterer, nil), 200)
	if got := itemsOf(t, env.Do("GET", "/api/v1/documents/expiring?days=30", f.broker, nil)); len(got) != 1 {
		t.Fatalf("before the cancellation the list holds %d documents, want the P&I", len(got))
	}
	must(t, env.Do("POST", "/api/v1/rooms/"+f.room+"/status", f.broker, map[string]string{"status": "cancelled", "reason": "cargo sold elsewhere"}), 200)
	if got := itemsOf(t, env.Do("GET", "/api/v1/documents/expiring?days=30", f.broker, nil)); len(got) != 0 {
		t.Errorf("after the cancellation the list holds %v, want nothing", got)
	}
}

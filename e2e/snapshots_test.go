package e2e_test

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
)

// Snapshot time limits: rendering normally takes well under a second once the queue (which
// polls every 200 ms) picks the job up. On PostgreSQL a job a killed process left
// "running" is run again once that process's job lease has lapsed (6 s, jobs/lease.go).
const (
	snapshotTimeout           = 20 * time.Second
	snapshotAfterKillSQLite   = 20 * time.Second
	snapshotAfterKillPostgres = 20 * time.Second
)

// snapshotBody is a snapshot as the API shows it.
type snapshotBody struct {
	ID            string `json:"id"`
	RoomID        string `json:"room_id"`
	Status        string `json:"status"`
	SnapshotType  string `json:"snapshot_type"`
	SHA256        string `json:"sha256"`
	FileSize      int64  `json:"file_size"`
	FailureReason string `json:"failure_reason"`
	DownloadURL   string `json:"download_url"`
}

// TestSnapshotsSurviveRestartAndKill checks that snapshots are durable: files rendered
// before a clean restart are listed and served byte for byte after it, and a snapshot whose
// process is killed (SIGKILL) right after the 202 is still rendered by the next process,
// with the audit trail intact.
func TestSnapshotsSurviveRestartAndKill(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st storage) {
		createAdmin(t, st)
		addr := freeAddr(t)
		serveArgs := append([]string{"--addr", addr}, st.args()...)

		// 1. A room with a vessel and an approved Q88, and one snapshot of each kind.
		s1 := startServer(t, addr, nil, "", serveArgs...)
		token := s1.login()
		room := s1.createRoom(token, "MT AEGEAN SERENITY / MT NORDIC STAR lightering")
		var vessel struct {
			ID string `json:"id"`
		}
		s1.api(http.MethodPost, "/rooms/"+room.ID+"/vessels", token, map[string]string{
			"name": "MT AEGEAN SERENITY", "imo": "9372145", "role": "discharging",
		}, http.StatusCreated, &vessel)
		if vessel.ID == "" {
			t.Fatal("create vessel: no id in the answer")
		}
		owner := s1.addPartyUser(token, room.ID, "ops@aegean.test", "owner", vessel.ID)
		docID := s1.uploadDocument(owner, room.ID, []string{"type", "Q88", "vessel_id", vessel.ID}, "q88.pdf", apptest.PDF("Q88 AEGEAN SERENITY"))
		var approved struct {
			Status string `json:"status"`
		}
		s1.api(http.MethodPost, "/rooms/"+room.ID+"/documents/"+docID+"/approve", token, nil, http.StatusOK, &approved)
		if approved.Status != "approved" {
			t.Fatalf("approve the Q88: status %q, want approved", approved.Status)
		}

		kinds := []string{"pdf", "json", "csv"}
		ids := map[string]string{}  // kind → snapshot ID
		sums := map[string]string{} // snapshot ID → SHA-256 of the downloaded bytes
		for _, kind := range kinds {
			snap := s1.createSnapshot(token, room.ID, kind)
			ids[kind] = snap.ID
			// Until it is rendered the file is a conflict (the queue may be quick, though).
			if r := s1.do(http.MethodGet, snap.DownloadURL, token, nil); r.status != http.StatusConflict && r.status != http.StatusOK {
				t.Fatalf("download of a new %s snapshot: got %s, want 409 while generating (or 200 once completed)", kind, r)
			}
		}
		for _, kind := range kinds {
			start := time.Now()
			snap := s1.waitSnapshot(token, room.ID, ids[kind], snapshotTimeout)
			body := s1.downloadSnapshot(token, snap)
			checkSnapshotContent(t, kind, body)
			sums[snap.ID] = snap.SHA256
			t.Logf("%s snapshot %s completed (%d bytes, waited %v)", kind, snap.ID, len(body), time.Since(start).Round(time.Millisecond))
		}
		s1.stopCleanly(syscall.SIGTERM)

		// 2. After a clean restart the three snapshots are listed and serve the same bytes.
		s2 := startServer(t, addr, nil, "", serveArgs...)
		token = s2.login()
		listed := s2.listSnapshots(token, room.ID)
		if len(listed) != len(kinds) {
			t.Fatalf("after a clean restart: %d snapshots listed, want %d: %+v", len(listed), len(kinds), listed)
		}
		for i, want := range []string{ids["csv"], ids["json"], ids["pdf"]} { // newest first
			if listed[i].ID != want {
				t.Fatalf("after a clean restart: snapshot %d is %s, want %s (newest first): %+v", i, listed[i].ID, want, listed)
			}
		}
		for _, snap := range listed {
			if snap.Status != "completed" || snap.SHA256 != sums[snap.ID] {
				t.Fatalf("after a clean restart: snapshot %s is %s with sha256 %q, want completed with %s", snap.ID, snap.Status, snap.SHA256, sums[snap.ID])
			}
			body := s2.downloadSnapshot(token, snap)
			if got := sha256Hex(body); got != sums[snap.ID] {
				t.Fatalf("after a clean restart: %s snapshot %s downloads with sha256 %s, want %s", snap.SnapshotType, snap.ID, got, sums[snap.ID])
			}
			checkSnapshotContent(t, snap.SnapshotType, body)
		}

		// 3. SIGKILL right after the 202: the next process must still render the snapshot.
		killed := s2.createSnapshot(token, room.ID, "pdf")
		if code := s2.stop(syscall.SIGKILL); code != -1 {
			t.Fatalf("stshub serve after SIGKILL: exit code %d, want -1 (killed by a signal)", code)
		}
		jobState, snapState := jobStateOf(t, st, killed.ID)
		t.Logf("at the kill: render job %s, snapshot %s", jobState, snapState)

		restarted := time.Now()
		s3 := startServer(t, addr, nil, "", serveArgs...)
		ready := time.Since(restarted)
		token = s3.login()
		limit := snapshotAfterKillSQLite
		if st.engine == "postgres" {
			limit = snapshotAfterKillPostgres
		}
		snap := s3.waitSnapshot(token, room.ID, killed.ID, limit)
		t.Logf("after SIGKILL (job was %s): ready %v after the restart, snapshot completed %v after the restart",
			jobState, ready.Round(time.Millisecond), time.Since(restarted).Round(time.Millisecond))
		body := s3.downloadSnapshot(token, snap)
		checkSnapshotContent(t, "pdf", body)

		// Nothing was lost or done twice: four snapshots, one completion entry each.
		if n := len(s3.listSnapshots(token, room.ID)); n != len(kinds)+1 {
			t.Fatalf("after the kill: %d snapshots listed, want %d", n, len(kinds)+1)
		}
		var completions struct {
			Items []struct {
				TargetID string `json:"target_id"`
				Actor    string `json:"actor"`
			} `json:"items"`
		}
		s3.api(http.MethodGet, "/rooms/"+room.ID+"/activities?action=snapshot_completed", token, nil, http.StatusOK, &completions)
		perSnapshot := map[string]int{}
		for _, e := range completions.Items {
			perSnapshot[e.TargetID]++
			if e.Actor != "system" {
				t.Fatalf("snapshot_completed entry for %s by %q, want system", e.TargetID, e.Actor)
			}
		}
		if len(completions.Items) != len(kinds)+1 || len(perSnapshot) != len(kinds)+1 {
			t.Fatalf("snapshot_completed entries: %+v, want exactly one for each of the %d snapshots", completions.Items, len(kinds)+1)
		}
		s3.stopCleanly(syscall.SIGTERM)

		res := runCLI(t, nil, append([]string{"audit", "verify"}, st.args()...)...)
		if res.code != 0 {
			t.Fatalf("audit verify after the kill: want exit code 0\n%s", res)
		}
	})
}

// createSnapshot asks for a snapshot of kind (with the activity section) and checks the 202.
func (s *server) createSnapshot(token, roomID, kind string) snapshotBody {
	s.t.Helper()
	var snap snapshotBody
	s.api(http.MethodPost, "/rooms/"+roomID+"/snapshots", token, map[string]any{"snapshot_type": kind, "include_activity": true},
		http.StatusAccepted, &snap)
	if snap.ID == "" || snap.Status != "generating" || snap.SnapshotType != kind || snap.DownloadURL == "" {
		s.t.Fatalf("create %s snapshot: unexpected answer %+v", kind, snap)
	}
	return snap
}

// waitSnapshot polls a snapshot until it is completed, failing the test when it fails or
// is still generating after limit.
func (s *server) waitSnapshot(token, roomID, id string, limit time.Duration) snapshotBody {
	s.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		var snap snapshotBody
		s.api(http.MethodGet, "/rooms/"+roomID+"/snapshots/"+id, token, nil, http.StatusOK, &snap)
		switch snap.Status {
		case "completed":
			if snap.SHA256 == "" || snap.FileSize <= 0 {
				s.t.Fatalf("snapshot %s is completed without a file: %+v", id, snap)
			}
			return snap
		case "generating":
		default:
			s.t.Fatalf("snapshot %s: status %q (%s), want completed", id, snap.Status, snap.FailureReason)
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("snapshot %s still generating after %v", id, limit)
		}
		time.Sleep(pollInterval)
	}
}

// listSnapshots returns the first page of a room's snapshots.
func (s *server) listSnapshots(token, roomID string) []snapshotBody {
	s.t.Helper()
	var list struct {
		Items []snapshotBody `json:"items"`
	}
	s.api(http.MethodGet, "/rooms/"+roomID+"/snapshots", token, nil, http.StatusOK, &list)
	return list.Items
}

// downloadSnapshot fetches a completed snapshot's file and checks it against the
// snapshot's sha256, size and ETag.
func (s *server) downloadSnapshot(token string, snap snapshotBody) []byte {
	s.t.Helper()
	r := s.do(http.MethodGet, snap.DownloadURL, token, nil)
	if r.status != http.StatusOK {
		s.t.Fatalf("download snapshot %s: got %s, want 200", snap.ID, r)
	}
	if got := sha256Hex(r.body); got != snap.SHA256 || int64(len(r.body)) != snap.FileSize {
		s.t.Fatalf("download snapshot %s: %d bytes with sha256 %s, the snapshot says %d bytes with %s", snap.ID, len(r.body), got, snap.FileSize, snap.SHA256)
	}
	if etag := r.header.Get("ETag"); etag != `"`+snap.SHA256+`"` {
		s.t.Fatalf("download snapshot %s: ETag %s, want the sha256 %s", snap.ID, etag, snap.SHA256)
	}
	return r.body
}

// checkSnapshotContent checks that a downloaded file looks like its kind.
func checkSnapshotContent(t *testing.T, kind string, body []byte) {
	t.Helper()
	head := string(body[:min(len(body), 60)])
	switch kind {
	case "pdf":
		if !bytes.HasPrefix(body, []byte("%PDF")) {
			t.Fatalf("pdf snapshot starts %q, want %%PDF", head)
		}
	case "json":
		if !bytes.Contains(body, []byte(`"stshub.snapshot/v1"`)) || !json.Valid(body) {
			t.Fatalf("json snapshot is not JSON naming the schema stshub.snapshot/v1; starts %q", head)
		}
	case "csv":
		header, _, _ := strings.Cut(string(body), "\n")
		if !strings.HasPrefix(header, "room_id,") {
			t.Fatalf("csv snapshot header %q, want it to start with room_id,", header)
		}
	default:
		t.Fatalf("unknown snapshot kind %q", kind)
	}
}

// uploadDocument posts a multipart upload (fields first, then the file) and returns the
// document's ID.
func (s *server) uploadDocument(token, roomID string, fields []string, filename string, content []byte) string {
	s.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := mw.WriteField(fields[i], fields[i+1]); err != nil {
			s.t.Fatal(err)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filename))
	h.Set("Content-Type", "application/pdf")
	part, err := mw.CreatePart(h)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := part.Write(content); err != nil {
		s.t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		s.t.Fatal(err)
	}
	path := "/api/v1/rooms/" + roomID + "/documents"
	req, err := http.NewRequest(http.MethodPost, s.base+path, &buf)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	var doc struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	if resp.StatusCode != http.StatusCreated {
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		s.t.Fatalf("POST %s: got %d %s, want 201", path, resp.StatusCode, bytes.TrimSpace(b.Bytes()))
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || doc.ID == "" || doc.Status != "under_review" {
		s.t.Fatalf("POST %s: unexpected answer %+v (%v), want an id and status under_review", path, doc, err)
	}
	return doc.ID
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// jobStateOf reads, with no server running, the state of the render job of a snapshot in
// River's table and the snapshot's status, for the log: it tells whether the kill caught
// the job before it was fetched ("available"), mid-run ("running") or already done.
func jobStateOf(t *testing.T, st storage, snapshotID string) (job, snap string) {
	t.Helper()
	driver, dsn := "sqlite", "file:"+st.sqlitePath()+"?_pragma=query_only(1)&_pragma=busy_timeout(5000)&_time_format=sqlite"
	query := `SELECT state, attempt FROM river_job WHERE kind = 'render_snapshot' AND json_extract(args, '$.snapshot_id') = ?`
	if st.engine == "postgres" {
		driver, dsn = "pgx", st.dbURL
		query = `SELECT state, attempt FROM river_job WHERE kind = 'render_snapshot' AND args->>'snapshot_id' = $1`
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("open %s database: %v", st.engine, err)
	}
	defer db.Close()
	var state string
	var attempt int
	switch err := db.QueryRow(query, snapshotID).Scan(&state, &attempt); {
	case errors.Is(err, sql.ErrNoRows):
		job = "absent"
	case err != nil:
		t.Fatalf("read the render job of snapshot %s: %v", snapshotID, err)
	default:
		job = fmt.Sprintf("%s (attempt %d)", state, attempt)
	}
	q := `SELECT status FROM snapshots WHERE id = ?`
	if st.engine == "postgres" {
		q = `SELECT status FROM snapshots WHERE id = $1`
	}
	if err := db.QueryRow(q, snapshotID).Scan(&snap); err != nil {
		t.Fatalf("read snapshot %s: %v", snapshotID, err)
	}
	return job, snap
}

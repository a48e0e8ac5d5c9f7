package e2e_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/files/filestest"
	"github.com/stshub/stshub/internal/store/storetest"
)

// TestFsckNamesMissingAndDamagedFiles: `stshub fsck` passes on an intact store; with one
// version's file deleted, another's bytes altered and a snapshot's file truncated, it
// exits 1 and names each of them. On each engine, with local files and with S3.
func TestFsckNamesMissingAndDamagedFiles(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st storage) {
		for _, kind := range []string{"local", "s3"} {
			t.Run(kind, func(t *testing.T) { testFsck(t, st, kind) })
		}
	})
}

func testFsck(t *testing.T, st storage, kind string) {
	st.dataDir = filepath.Join(t.TempDir(), "data")
	if st.dbURL != "" {
		st.dbURL = storetest.FreshPostgresSchema(t)
	}
	var env []string
	blob := func(sha string) string { return filepath.Join(st.dataDir, "files", sha[:2], sha) }
	if kind == "s3" {
		s3, dir := filestest.StartVersityGW(t)
		env = []string{"STSHUB_S3_ENDPOINT=" + s3.Endpoint, "STSHUB_S3_REGION=" + s3.Region, "STSHUB_S3_BUCKET=" + s3.Bucket,
			"STSHUB_S3_ACCESS_KEY=" + s3.AccessKey, "STSHUB_S3_SECRET_KEY=" + s3.SecretKey, "STSHUB_S3_PREFIX=" + s3.Prefix,
			"STSHUB_S3_PATH_STYLE=true"}
		// The gateway's posix backend keeps object k of bucket B as DIR/B/k.
		blob = func(sha string) string { return filepath.Join(dir, s3.Bucket, s3.Prefix, "blobs", sha[:2], sha) }
	}
	createAdmin(t, st)
	addr := freeAddr(t)
	s := startServer(t, addr, env, "", append([]string{"--addr", addr}, st.args()...)...)
	token := s.login()
	room := s.createRoom(token, "MT AEGEAN SERENITY / MT NORDIC STAR lightering")
	var vessel struct {
		ID string `json:"id"`
	}
	s.api(http.MethodPost, "/rooms/"+room.ID+"/vessels", token, map[string]string{
		"name": "MT AEGEAN SERENITY", "imo": "9372145", "role": "discharging"}, http.StatusCreated, &vessel)
	owner := s.addPartyUser(token, room.ID, "ops@aegean.test", "owner", vessel.ID)
	var docID string
	for i := range 3 {
		docID = s.uploadDocument(owner, room.ID, []string{"type", "Q88", "vessel_id", vessel.ID}, "q88.pdf",
			apptest.PDF(fmt.Sprintf("Q88 AEGEAN SERENITY, revision %d", i)))
	}
	var doc struct {
		Versions []struct {
			ID     string `json:"id"`
			SHA256 string `json:"sha256"`
		} `json:"versions"`
	}
	s.api(http.MethodGet, "/rooms/"+room.ID+"/documents/"+docID, owner, nil, http.StatusOK, &doc)
	if len(doc.Versions) != 3 {
		t.Fatalf("%d versions, want 3", len(doc.Versions))
	}
	snap := s.waitSnapshot(token, room.ID, s.createSnapshot(token, room.ID, "json").ID, snapshotTimeout)
	s.stopCleanly(syscall.SIGTERM)

	fsck := func() cliResult { t.Helper(); return runCLI(t, env, append([]string{"fsck"}, st.args()...)...) }
	if res := fsck(); res.code != 0 || !strings.Contains(res.stdout, "checked 3 version(s) and 1 snapshot(s): 0 fault(s)") {
		t.Fatalf("fsck on an intact store: want exit 0 and no fault\n%s", res)
	}

	if err := os.Remove(blob(doc.Versions[2].SHA256)); err != nil { // the oldest version
		t.Fatal(err)
	}
	altered, err := os.ReadFile(blob(doc.Versions[0].SHA256))
	if err != nil {
		t.Fatal(err)
	}
	altered[len(altered)/2] ^= 0xff
	if err := os.WriteFile(blob(doc.Versions[0].SHA256), altered, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(blob(snap.SHA256), snap.FileSize-1); err != nil {
		t.Fatal(err)
	}

	res := fsck()
	if res.code != 1 || !strings.Contains(res.stdout, "checked 3 version(s) and 1 snapshot(s): 3 fault(s)") ||
		!strings.Contains(res.stderr, "file check failed") {
		t.Fatalf("fsck on a damaged store: want exit 1 and 3 faults\n%s", res)
	}
	for _, want := range []string{
		"BAD version 3 (" + doc.Versions[0].ID + ") of document " + docID + " in room " + room.ID,
		"BAD version 1 (" + doc.Versions[2].ID + ") of document " + docID + " in room " + room.ID + ", file " + doc.Versions[2].SHA256 + ": missing",
		"BAD snapshot " + snap.ID + " in room " + room.ID,
	} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("fsck does not say %q\n%s", want, res)
		}
	}
	if !strings.Contains(lineWithPrefix(res.stdout, "BAD version 3"), "content's SHA-256 is") ||
		!strings.Contains(lineWithPrefix(res.stdout, "BAD snapshot"), fmt.Sprintf("%d bytes, the row records %d", snap.FileSize-1, snap.FileSize)) {
		t.Errorf("fsck does not say what is wrong\n%s", res)
	}
	if strings.Contains(res.stdout, doc.Versions[1].ID) {
		t.Errorf("fsck names the intact version %s\n%s", doc.Versions[1].ID, res)
	}
}

// TestCrashLeavesNoSpoolFile: a server killed while an upload streams in leaves its spool
// file; the next start removes it, and keeps a recent file it cannot tell is dead.
func TestCrashLeavesNoSpoolFile(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st storage) {
		createAdmin(t, st)
		addr := freeAddr(t)
		serveArgs := append([]string{"--addr", addr}, st.args()...)
		s1 := startServer(t, addr, nil, "", serveArgs...)
		token := s1.login()
		room := s1.createRoom(token, "Upload cut off by a crash")
		spool := filepath.Join(st.dataDir, "files", "tmp")
		unknown := filepath.Join(spool, "put-from-an-older-version")
		if err := os.WriteFile(unknown, []byte("recent, no owner"), 0o600); err != nil {
			t.Fatal(err)
		}

		// An upload that sends its fields and part of its file, then stalls.
		pr, pw := io.Pipe()
		defer pw.Close()
		// Large enough to pass the type sniffing and reach the file store.
		content := append(apptest.PDF("cut off"), bytes.Repeat([]byte("\n"), 1<<20)...)
		body, contentType := apptest.Multipart([]string{"type", "JPO"}, "jpo.pdf", content)
		req, err := http.NewRequest(http.MethodPost, s1.base+"/api/v1/rooms/"+room.ID+"/documents", pr)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer "+token)
		go func() {
			resp, err := s1.client.Do(req)
			if err == nil {
				resp.Body.Close()
			}
		}()
		if _, err := pw.Write(body[:len(body)/2]); err != nil {
			t.Fatal(err)
		}
		spooled := func() []string {
			names, _ := filepath.Glob(filepath.Join(spool, "put-*-*"))
			var out []string
			for _, n := range names {
				if n != unknown {
					out = append(out, n)
				}
			}
			return out
		}
		deadline := time.Now().Add(10 * time.Second)
		for len(spooled()) == 0 {
			if time.Now().After(deadline) {
				t.Fatal("the server opened no spool file for the upload")
			}
			time.Sleep(pollInterval)
		}
		left := spooled()
		s1.stop(syscall.SIGKILL)
		pw.CloseWithError(io.ErrUnexpectedEOF)
		for _, p := range left {
			assertExists(t, p)
		}

		s2 := startServer(t, addr, nil, "", serveArgs...)
		deadline = time.Now().Add(10 * time.Second)
		for len(spooled()) > 0 {
			if time.Now().After(deadline) {
				t.Fatalf("spool files of the killed server still there after the restart: %v", spooled())
			}
			time.Sleep(pollInterval)
		}
		assertExists(t, unknown)
		// The log line follows the removal: wait for it, as for the files.
		for !bytes.Contains([]byte(s2.stderr.String()), []byte("removed stale upload spool files")) {
			if time.Now().After(deadline) {
				t.Fatalf("the restart does not log the removal:\n%s", s2.stderr.String())
			}
			time.Sleep(pollInterval)
		}
		s2.stopCleanly(syscall.SIGTERM)
	})
}

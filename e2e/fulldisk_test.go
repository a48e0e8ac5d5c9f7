package e2e_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/apptest"
)

// TestFullDisk runs the server on a small tmpfs and fills it: uploads and JSON writes answer
// 507 problem+json and keep nothing, /readyz answers 503 saying why, reads go on. The
// server then starts again on the full disk and serves reads, and when space returns it
// recovers by itself: /readyz 200, writes and snapshots work again, without a restart.
func TestFullDisk(t *testing.T) {
	disk := mountTmpfs(t, "48m")
	st := storage{engine: "sqlite", dataDir: filepath.Join(disk, "data")}
	createAdmin(t, st)
	env := []string{"STSHUB_MIN_FREE_BYTES=" + fmt.Sprint(8<<20)}
	addr := freeAddr(t)
	serveArgs := append([]string{"--addr", addr}, st.args()...)
	s := startServer(t, addr, env, "", serveArgs...)
	token := s.login()
	room := s.createRoom(token, "MT AEGEAN SERENITY / MT NORDIC STAR lightering")
	var vessel struct {
		ID string `json:"id"`
	}
	s.api(http.MethodPost, "/rooms/"+room.ID+"/vessels", token, map[string]string{
		"name": "MT AEGEAN SERENITY", "imo": "9372145", "role": "discharging"}, http.StatusCreated, &vessel)
	owner := s.addPartyUser(token, room.ID, "ops@aegean.test", "owner", vessel.ID)
	q88 := []string{"type", "Q88", "vessel_id", vessel.ID}
	docID := s.uploadDocument(owner, room.ID, q88, "q88.pdf", apptest.PDF("Q88 AEGEAN SERENITY, revision 0"))

	filler := fillDisk(t, disk)
	s.checkFull(token, owner, room.ID, docID, q88)

	// A restart on the full disk: the server starts, not ready, and serves reads.
	s.stopCleanly(syscall.SIGTERM)
	s = launchServer(t, addr, env, "", serveArgs...)
	s.waitHealthy()
	s.checkFull(token, owner, room.ID, docID, q88)

	// Space returns: the same process becomes ready and takes writes again, snapshots too
	// (its job queue, which could not start on the full disk, starts by itself).
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	s.waitReady()
	s.createRoom(token, "After the disk was freed")
	s.uploadDocument(owner, room.ID, q88, "q88.pdf", apptest.PDF("Q88 AEGEAN SERENITY, after the disk was freed"))
	snap := s.waitSnapshot(token, room.ID, s.createSnapshot(token, room.ID, "json").ID, snapshotTimeout)
	if snap.Status != "completed" {
		t.Fatalf("snapshot after the disk was freed: %+v", snap)
	}
	s.stopCleanly(syscall.SIGTERM)
	if res := runCLI(t, nil, append([]string{"fsck"}, st.args()...)...); res.code != 0 {
		t.Fatalf("fsck after the full disk: %s", res)
	}
}

// checkFull checks a server on a full disk: /readyz 503 saying storage is nearly full,
// reads 200 (a download 200, or 507 where its audit record finds no room), an upload and a JSON write 507 problem+json saying storage is full, and
// nothing of either kept (no version, no room, no spool file).
func (s *server) checkFull(token, owner, roomID, docID string, fields []string) {
	s.t.Helper()
	if r := s.do(http.MethodGet, "/readyz", "", nil); r.status != http.StatusServiceUnavailable || !strings.Contains(string(r.body), "storage is nearly full") {
		s.t.Fatalf("readyz on a full disk: %s", r)
	}
	var before struct {
		Versions []struct{ ID string } `json:"versions"`
	}
	s.api(http.MethodGet, "/rooms/"+roomID+"/documents/"+docID, owner, nil, http.StatusOK, &before)
	var rooms struct {
		Items []struct{ ID string } `json:"items"`
	}
	s.api(http.MethodGet, "/rooms", token, nil, http.StatusOK, &rooms)

	body, contentType := apptest.Multipart(fields, "q88.pdf", bytes.Repeat(apptest.PDF("Q88 on a full disk"), 64))
	req, err := http.NewRequest(http.MethodPost, s.base+"/api/v1/rooms/"+roomID+"/documents", bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+owner)
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	s.checkStorageFull("upload", response{status: resp.StatusCode, header: resp.Header, body: answer})

	// A JSON write small enough to fit where SQLite has pages to reuse may still be kept:
	// each answer is 201 or 507, never anything else, and a 507 comes soon.
	created := 0
	for i := 0; ; i++ {
		r := s.do(http.MethodPost, "/api/v1/rooms", token, map[string]string{"title": fmt.Sprintf("On a full disk %d %s", i, strings.Repeat("x", 180)),
			"location": "Hurd's Bank", "sts_eta": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)})
		if r.status == http.StatusCreated && i < 200 {
			created++
			continue
		}
		s.checkStorageFull("create room", r)
		break
	}
	var after struct {
		Versions []struct{ ID string } `json:"versions"`
	}
	s.api(http.MethodGet, "/rooms/"+roomID+"/documents/"+docID, owner, nil, http.StatusOK, &after)
	if len(after.Versions) != len(before.Versions) {
		s.t.Errorf("an upload answered 507 left a version: %d versions, %d before", len(after.Versions), len(before.Versions))
	}
	var roomsAfter struct {
		Items []struct{ ID string } `json:"items"`
	}
	s.api(http.MethodGet, "/rooms?limit=200", token, nil, http.StatusOK, &roomsAfter)
	if len(roomsAfter.Items) != len(rooms.Items)+created {
		s.t.Errorf("%d rooms after %d created on the full disk; %d before", len(roomsAfter.Items), created, len(rooms.Items))
	}
	s.api(http.MethodGet, "/rooms/"+roomID, token, nil, http.StatusOK, nil)
	// A download is recorded in the room's trail before a byte is sent: where the record
	// cannot be written, the file is not served either.
	if r := s.do(http.MethodGet, "/api/v1/rooms/"+roomID+"/documents/"+docID+"/download", owner, nil); r.status != http.StatusOK {
		s.checkStorageFull("download", r)
	}
	spool, _ := os.ReadDir(filepath.Join(s.dataDir(), "files", "tmp"))
	for _, e := range spool {
		if !strings.Contains(e.Name(), "owner-") {
			s.t.Errorf("a spool file stayed after the upload answered 507: %s", e.Name())
		}
	}
}

// checkStorageFull fails the test unless r is 507 problem+json saying storage is full.
func (s *server) checkStorageFull(what string, r response) {
	s.t.Helper()
	if r.status != http.StatusInsufficientStorage || r.header.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(r.body), "storage is full") {
		s.t.Fatalf("%s on a full disk: got %s (%s), want 507 problem+json saying storage is full", what, r, r.header.Get("Content-Type"))
	}
}

// dataDir is the --data folder of the server's command line.
func (s *server) dataDir() string {
	for i, a := range s.cmd.Args {
		if a == "--data" && i+1 < len(s.cmd.Args) {
			return s.cmd.Args[i+1]
		}
	}
	s.t.Fatal("the server has no --data flag")
	return ""
}

// waitHealthy polls /healthz until it answers 200 (the process is up and serving, ready or
// not).
func (s *server) waitHealthy() {
	s.t.Helper()
	deadline := time.Now().Add(readyTimeout)
	for time.Now().Before(deadline) {
		if s.exited() {
			s.t.Fatalf("stshub serve exited with code %d before it served", s.cmd.ProcessState.ExitCode())
		}
		if resp, err := s.client.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(pollInterval)
	}
	s.t.Fatalf("stshub serve on %s did not answer /healthz within %v", s.addr, readyTimeout)
}

// mountTmpfs mounts a tmpfs of size (e.g. "48m") on a temp folder for the test. Where that
// is not possible (not root, no mount) the test is skipped, except under CI=true, where
// the machine is expected to allow it and the test fails.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput()
	if err != nil {
		msg := fmt.Sprintf("cannot mount a tmpfs for the full-disk test (it needs root): %v %s", err, bytes.TrimSpace(out))
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir
}

// fillDisk writes a file in dir until the file system has no space left, and returns its
// path.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, chunk := range []int{1 << 20, 4 << 10, 1} {
		buf := make([]byte, chunk)
		for {
			if _, err := f.Write(buf); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Fatalf("fill the disk: %v", err)
				}
				break
			}
		}
	}
	return path
}

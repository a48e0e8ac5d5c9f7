package e2e_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/store/storetest"
)

// The admin every test creates with `stshub admin create`.
const (
	adminEmail    = "admin@example.com"
	adminPassword = "correct horse battery staple"
)

// Time limits: the brief allows 15 s for readiness and for a signalled exit.
const (
	readyTimeout = 15 * time.Second
	exitTimeout  = 15 * time.Second
	cliTimeout   = 60 * time.Second
	pollInterval = 50 * time.Millisecond
)

// binary is the stshub executable built once by TestMain.
var binary string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "stshub-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: temp dir for the binary:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "stshub")
	// The test runs in <module>/e2e; build the command from the module root. No -race:
	// the race detector is for this test process, the server should run at normal speed.
	build := exec.Command("go", "build", "-o", binary, "./cmd/stshub")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build ./cmd/stshub: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// childEnv is this process's environment without any STSHUB_* variable (so the caller's
// settings cannot leak into the child), plus extra ("KEY=value"). Every server a test
// starts is a single node, on PostgreSQL too: STSHUB_SINGLE_NODE is true unless extra says
// otherwise (the last value of a variable wins).
func childEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STSHUB_") {
			env = append(env, kv)
		}
	}
	return append(append(env, "STSHUB_SINGLE_NODE=true"), extra...)
}

// storage is where one test's data lives: a data folder, and a PostgreSQL URL on postgres.
type storage struct {
	engine  string
	dataDir string
	dbURL   string
}

// args are the storage flags every database command takes.
func (s storage) args() []string {
	a := []string{"--data", s.dataDir}
	if s.dbURL != "" {
		a = append(a, "--database-url", s.dbURL)
	}
	return a
}

// sqlitePath is where the embedded database would be.
func (s storage) sqlitePath() string { return filepath.Join(s.dataDir, "stshub.db") }

// forEachEngine runs fn as subtests "sqlite" and "postgres"; the PostgreSQL one gets a
// fresh schema and is skipped when STSHUB_TEST_DATABASE_URL is not set.
func forEachEngine(t *testing.T, fn func(t *testing.T, st storage)) {
	t.Helper()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			st := storage{engine: engine, dataDir: filepath.Join(t.TempDir(), "data")}
			if engine == "postgres" {
				if os.Getenv(storetest.EnvPostgresURL) == "" {
					t.Skip(storetest.EnvPostgresURL + " is not set")
				}
				st.dbURL = storetest.FreshPostgresSchema(t)
			}
			fn(t, st)
		})
	}
}

// lockedBuffer is a bytes.Buffer that a child's output goroutine and the test can share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// cliResult is the outcome of one finished command.
type cliResult struct {
	stdout, stderr string
	code           int
}

func (r cliResult) String() string {
	return fmt.Sprintf("exit code %d\n--- stdout:\n%s--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// runCLI runs the binary to completion (bounded by cliTimeout) in a clean environment
// plus env.
func runCLI(t *testing.T, env []string, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = childEnv(env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := cliResult{stdout: stdout.String(), stderr: stderr.String()}
	if ctx.Err() != nil {
		t.Fatalf("stshub %s: still running after %v\n%s", strings.Join(args, " "), cliTimeout, res)
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		res.code = exitErr.ExitCode()
	default:
		t.Fatalf("stshub %s: %v", strings.Join(args, " "), err)
	}
	return res
}

// mustRunCLI is runCLI that fails the test unless the command exits 0.
func mustRunCLI(t *testing.T, env []string, args ...string) cliResult {
	t.Helper()
	res := runCLI(t, env, args...)
	if res.code != 0 {
		t.Fatalf("stshub %s: want exit code 0\n%s", strings.Join(args, " "), res)
	}
	return res
}

// createAdmin runs `stshub admin create` on st.
func createAdmin(t *testing.T, st storage) {
	t.Helper()
	args := append([]string{"admin", "create", "--email", adminEmail, "--password", adminPassword, "--name", "Root Admin"}, st.args()...)
	res := mustRunCLI(t, nil, args...)
	if want := "created admin " + adminEmail; !strings.Contains(res.stdout, want) {
		t.Fatalf("admin create: stdout lacks %q\n%s", want, res)
	}
}

// freeAddr returns a 127.0.0.1 address whose port was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// server is one running `stshub serve` child process.
type server struct {
	t      *testing.T
	addr   string
	base   string
	cmd    *exec.Cmd
	stderr *lockedBuffer
	done   chan struct{} // closed when the process has exited and been reaped
	client *http.Client
}

// startServer starts `stshub serve` with args (which must make it listen on addr, by flag
// or by env) in working directory dir ("" for a temp dir), and waits until /readyz
// answers 200. The child is killed when the test ends if it is still running, and its
// stderr is printed when the test failed.
func startServer(t *testing.T, addr string, env []string, dir string, args ...string) *server {
	t.Helper()
	s := launchServer(t, addr, env, dir, args...)
	s.waitReady()
	return s
}

// launchServer is startServer without the wait for /readyz (for a server that starts
// not ready, say on a full disk).
func launchServer(t *testing.T, addr string, env []string, dir string, args ...string) *server {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	s := &server{
		t:      t,
		addr:   addr,
		base:   "http://" + addr,
		stderr: &lockedBuffer{},
		done:   make(chan struct{}),
		client: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{}},
	}
	s.cmd = exec.Command(binary, append([]string{"serve"}, args...)...)
	s.cmd.Env = childEnv(env...)
	s.cmd.Dir = dir
	s.cmd.Stdout = io.Discard
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start stshub serve: %v", err)
	}
	go func() {
		_ = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		s.client.CloseIdleConnections()
		if !s.exited() {
			_ = s.cmd.Process.Kill()
			select {
			case <-s.done:
			case <-time.After(5 * time.Second):
				t.Errorf("stshub serve (pid %d) did not die after SIGKILL", s.cmd.Process.Pid)
			}
		}
		if t.Failed() {
			t.Logf("stderr of stshub serve %s (pid %d):\n%s", strings.Join(args, " "), s.cmd.Process.Pid, s.stderr.String())
		}
	})
	return s
}

func (s *server) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// waitReady polls /readyz until it answers 200, the process exits, or readyTimeout passes.
func (s *server) waitReady() {
	s.t.Helper()
	deadline := time.Now().Add(readyTimeout)
	var last string
	for time.Now().Before(deadline) {
		if s.exited() {
			s.t.Fatalf("stshub serve exited with code %d before it was ready", s.cmd.ProcessState.ExitCode())
		}
		resp, err := s.client.Get(s.base + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			last = fmt.Sprintf("%d %s", resp.StatusCode, body)
		} else {
			last = err.Error()
		}
		time.Sleep(pollInterval)
	}
	s.t.Fatalf("stshub serve on %s not ready after %v; last answer: %s", s.addr, readyTimeout, last)
}

// stop sends sig and returns the exit code, failing the test unless the process exits
// within exitTimeout.
func (s *server) stop(sig syscall.Signal) int {
	s.t.Helper()
	s.client.CloseIdleConnections()
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.t.Fatalf("send %v to stshub serve: %v", sig, err)
	}
	select {
	case <-s.done:
		return s.cmd.ProcessState.ExitCode()
	case <-time.After(exitTimeout):
		s.t.Fatalf("stshub serve still running %v after %v", exitTimeout, sig)
		return -1
	}
}

// stopCleanly sends sig and fails the test unless the process exits 0 in time.
func (s *server) stopCleanly(sig syscall.Signal) {
	s.t.Helper()
	if code := s.stop(sig); code != 0 {
		s.t.Fatalf("stshub serve exited with code %d after %v, want 0", code, sig)
	}
}

// response is one HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) String() string { return fmt.Sprintf("%d %s", r.status, bytes.TrimSpace(r.body)) }

// do sends one request to path (absolute, e.g. "/readyz" or "/api/v1/auth/me") with an
// optional bearer token and JSON body.
func (s *server) do(method, path, token string, body any) response {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			s.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.base+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// api is do under /api/v1, failing the test unless the status is want; it decodes a JSON
// answer into out when out is not nil.
func (s *server) api(method, path, token string, body any, want int, out any) response {
	s.t.Helper()
	r := s.do(method, "/api/v1"+path, token, body)
	if r.status != want {
		s.t.Fatalf("%s /api/v1%s: got %s, want status %d", method, path, r, want)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			s.t.Fatalf("%s /api/v1%s: decode %s: %v", method, path, r, err)
		}
	}
	return r
}

// loginAnswer is the body of POST /auth/login.
type loginAnswer struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      userBody  `json:"user"`
}

type userBody struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
}

type roomBody struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Location string    `json:"location"`
	STSETA   time.Time `json:"sts_eta"`
}

// login signs in as the admin and returns the token.
func (s *server) login() string {
	s.t.Helper()
	var l loginAnswer
	s.api(http.MethodPost, "/auth/login", "", map[string]string{"email": adminEmail, "password": adminPassword}, http.StatusOK, &l)
	if l.Token == "" || l.User.Email != adminEmail || l.User.Role != "admin" {
		s.t.Fatalf("login: unexpected answer %+v", l)
	}
	if !l.ExpiresAt.After(time.Now()) {
		s.t.Fatalf("login: token expires at %v, already in the past", l.ExpiresAt)
	}
	return l.Token
}

// addPartyUser creates a user (as the admin, token), adds it to room with role, bound to
// vesselIDs, and returns its token: a second person, since nobody reviews their own upload.
func (s *server) addPartyUser(token, roomID, email, role string, vesselIDs ...string) string {
	s.t.Helper()
	const password = "a long e2e password"
	s.api(http.MethodPost, "/users", token, map[string]string{"email": email, "name": email, "password": password, "role": "user"},
		http.StatusCreated, nil)
	s.api(http.MethodPost, "/rooms/"+roomID+"/parties", token, map[string]any{"email": email, "role": role, "vessel_ids": vesselIDs},
		http.StatusCreated, nil)
	var l loginAnswer
	s.api(http.MethodPost, "/auth/login", "", map[string]string{"email": email, "password": password}, http.StatusOK, &l)
	return l.Token
}

// createRoom opens a room and returns it.
func (s *server) createRoom(token, title string) roomBody {
	s.t.Helper()
	var r roomBody
	s.api(http.MethodPost, "/rooms", token, map[string]any{
		"title": title, "location": "Off Skaw, Denmark", "sts_eta": "2026-03-14T08:00:00Z",
	}, http.StatusCreated, &r)
	if r.ID == "" || r.Title != title {
		s.t.Fatalf("create room: unexpected answer %+v", r)
	}
	return r
}

// logRecords parses the server's stderr as JSON lines, failing on any line that is not JSON.
func (s *server) logRecords() []map[string]any {
	s.t.Helper()
	var recs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s.stderr.String()))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			s.t.Fatalf("stderr line is not JSON (%v): %s", err, line)
		}
		recs = append(recs, rec)
	}
	return recs
}

// logRecord returns the first log record whose msg is msg.
func (s *server) logRecord(msg string) map[string]any {
	s.t.Helper()
	for _, rec := range s.logRecords() {
		if rec["msg"] == msg {
			return rec
		}
	}
	s.t.Fatalf("no log record with msg %q", msg)
	return nil
}

// assertExists and assertMissing check a path on disk.
func assertExists(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("want %s to exist: %v", path, err)
	}
}

func assertMissing(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("want %s not to exist (stat error %v)", path, err)
	}
}

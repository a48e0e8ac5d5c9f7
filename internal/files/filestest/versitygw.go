package filestest

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/files"
)

const (
	versityInstall = "go install github.com/versity/versitygw/cmd/versitygw@v1.8.0"
	s3Access       = "stshubtestaccess"
	s3Secret       = "stshubtestsecret0123456789"
	s3Bucket       = "stshub-test"
)

// findVersityGW looks for the versitygw binary in PATH, then in $(go env GOPATH)/bin.
func findVersityGW(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
			p := filepath.Join(dir, "bin", "versitygw")
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p
			}
		}
	}
	msg := "versitygw not found in PATH or $(go env GOPATH)/bin; install it with: " + versityInstall
	if os.Getenv("STSHUB_REQUIRE_S3") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// syncBuffer collects the gateway's output; exec copies into it from its own goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// StartVersityGW runs an S3 gateway (versitygw) on a free local port over a fresh folder,
// stops it when the test ends (printing its output if the test failed), and returns the
// configuration of a bucket on it (prefix "t/") and the folder, which keeps object k of
// bucket B as DIR/B/k. Without versitygw the test is skipped (failed with
// STSHUB_REQUIRE_S3=1).
func StartVersityGW(t testing.TB) (cfg files.S3Config, dir string) {
	t.Helper()
	bin := findVersityGW(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir = t.TempDir()

	var out syncBuffer
	cmd := exec.Command(bin, "--access", s3Access, "--secret", s3Secret, "--port", addr, "posix", dir)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("versitygw %s output:\n%s", cmd.Args[1:], out.String())
		}
	})

	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-exited:
			t.Fatalf("versitygw exited early: %v\n%s", waitErr, out.String())
		default:
		}
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("versitygw did not listen on %s within 20s: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return files.S3Config{Endpoint: "http://" + addr, Region: "us-east-1", Bucket: s3Bucket, AccessKey: s3Access,
		SecretKey: s3Secret, Prefix: "t/", PathStyle: true}, dir
}

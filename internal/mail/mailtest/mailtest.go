// Package mailtest runs a real SMTP server for tests: Mailpit, started per test on free
// loopback ports with its own database, and read back through its HTTP API. Under CI=true a
// missing mailpit binary fails the test (CI installs it); elsewhere the test is skipped.
package mailtest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/config"
	"github.com/stshub/stshub/internal/mail"
)

// Server is one running Mailpit.
type Server struct {
	smtpPort int
	api      string // http://127.0.0.1:port
}

// Message is a message Mailpit received.
type Message struct {
	ID      string
	To      []string
	Subject string
	Text    string
	HTML    string
}

// Start runs Mailpit for the rest of t.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := binary()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("mailpit is not installed (go install github.com/axllent/mailpit@v1.33.1)")
		}
		t.Skip("mailpit is not installed (go install github.com/axllent/mailpit@v1.33.1)")
	}
	var lastErr error
	for range 3 { // a free port may be taken between choosing and binding
		s, err := start(t, bin)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("start mailpit: %v", lastErr)
	return nil
}

func binary() string {
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	if err != nil {
		return ""
	}
	p := filepath.Join(strings.TrimSpace(string(out)), "bin", "mailpit")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

func start(t testing.TB, bin string) (*Server, error) {
	smtpPort, apiPort := freePort(t), freePort(t)
	dir := t.TempDir()
	cmd := exec.Command(bin,
		"--smtp", fmt.Sprintf("127.0.0.1:%d", smtpPort),
		"--listen", fmt.Sprintf("127.0.0.1:%d", apiPort),
		"--database", filepath.Join(dir, "mailpit.db"),
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--smtp-disable-rdns")
	logFile, err := os.Create(filepath.Join(dir, "mailpit.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
		logFile.Close()
	}
	s := &Server{smtpPort: smtpPort, api: fmt.Sprintf("http://127.0.0.1:%d", apiPort)}
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-exited:
			logFile.Close()
			log, _ := os.ReadFile(logFile.Name())
			return nil, fmt.Errorf("mailpit exited: %s", log)
		default:
		}
		if resp, err := http.Get(s.api + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Cleanup(stop)
				return s, nil
			}
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("mailpit not ready within 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Config is the SMTP configuration that sends to this server.
func (s *Server) Config() mail.Config {
	return mail.Config{Host: "127.0.0.1", Port: s.smtpPort, From: "STS Clearance Hub <noreply@stshub.test>", TLS: mail.TLSNone}
}

// Use points an application's configuration at this server; pass it to apptest.New:
// apptest.New(t, engine, srv.Use).
func (s *Server) Use(c *config.Config) { c.SMTP = s.Config() }

// URL is the configuration as STSHUB_SMTP_URL.
func (s *Server) URL() string {
	return "smtp://127.0.0.1:" + strconv.Itoa(s.smtpPort) + "?tls=none&from=noreply%40stshub.test"
}

// Messages returns every message received so far, newest first.
func (s *Server) Messages(t testing.TB) []Message {
	t.Helper()
	var list struct {
		Messages []struct {
			ID string
		}
	}
	s.get(t, "/api/v1/messages?limit=1000", &list)
	out := make([]Message, 0, len(list.Messages))
	for _, m := range list.Messages {
		out = append(out, s.message(t, m.ID))
	}
	return out
}

func (s *Server) message(t testing.TB, id string) Message {
	t.Helper()
	var m struct {
		ID      string
		To      []struct{ Address string }
		Subject string
		Text    string
		HTML    string
	}
	s.get(t, "/api/v1/message/"+id, &m)
	out := Message{ID: m.ID, Subject: m.Subject, Text: m.Text, HTML: m.HTML}
	for _, a := range m.To {
		out.To = append(out.To, a.Address)
	}
	return out
}

// To returns the messages received so far for address, newest first.
func (s *Server) To(t testing.TB, address string) []Message {
	t.Helper()
	var out []Message
	for _, m := range s.Messages(t) {
		for _, a := range m.To {
			if strings.EqualFold(a, address) {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// WaitFor waits (up to 15 s: the queue sends after commit, with retries) for a message to
// address whose subject contains subject, and returns the newest such.
func (s *Server) WaitFor(t testing.TB, address, subject string) Message {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		for _, m := range s.To(t, address) {
			if strings.Contains(m.Subject, subject) {
				return m
			}
		}
		if time.Now().After(deadline) {
			var got []string
			for _, m := range s.Messages(t) {
				got = append(got, fmt.Sprintf("%v %q", m.To, m.Subject))
			}
			t.Fatalf("no message to %s with subject containing %q within 15 s; received: %v", address, subject, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *Server) get(t testing.TB, path string, into any) {
	t.Helper()
	resp, err := http.Get(s.api + path)
	if err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
}

package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/app"
	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/config"
	"github.com/stshub/stshub/internal/files"
)

// TestShutdownWithStalledUpload: with an upload whose client stopped sending mid-file,
// cancelling Serve's context (what SIGTERM does in `stshub serve`) returns nil — exit 0 —
// within the shutdown timeout, and leaves no temp file behind.
func TestShutdownWithStalledUpload(t *testing.T) {
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.ShutdownTimeout = 2 * time.Second
	a, err := app.New(t.Context(), cfg, slog.New(slog.DiscardHandler), app.WithPasswordParams(apptest.FastPasswords))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := app.LoadDemo(t.Context(), a.Service(), io.Discard, time.Now()); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- a.ServeListener(ctx, ln) }()

	login, err := a.Service().Login(t.Context(), "ops@aegean-tankers.demo", app.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string, v any) {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set("Authorization", "Bearer "+login.Token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if err := json.NewDecoder(res.Body).Decode(v); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
		}
	}
	var rooms, vessels struct{ Items []struct{ ID, Name string } }
	get("/api/v1/rooms", &rooms)
	get("/api/v1/rooms/"+rooms.Items[0].ID+"/vessels", &vessels)
	vessel := ""
	for _, v := range vessels.Items {
		if v.Name == "MT AEGEAN SERENITY" {
			vessel = v.ID
		}
	}

	// The upload: fields, the start of a 5 MiB file, then silence (the connection stays open).
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const boundary = "stalled"
	head := fmt.Sprintf("--%s\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nQ88\r\n"+
		"--%s\r\nContent-Disposition: form-data; name=\"vessel_id\"\r\n\r\n%s\r\n"+
		"--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"q88.pdf\"\r\nContent-Type: application/pdf\r\n\r\n",
		boundary, boundary, vessel, boundary)
	fmt.Fprintf(conn, "POST /api/v1/rooms/%s/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n%s",
		rooms.Items[0].ID, login.Token, boundary, len(head)+5<<20, head)
	pdf := apptest.PDF("stalled")
	if _, err := conn.Write(append(pdf, make([]byte, 256<<10)...)); err != nil {
		t.Fatal(err)
	}
	tmpDir := filepath.Join(cfg.FilesDir(), "tmp")
	deadline := time.Now().Add(5 * time.Second)
	for len(tempFiles(t, tmpDir)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the upload never reached the file store")
		}
		time.Sleep(10 * time.Millisecond)
	}

	start := time.Now()
	cancel() // SIGTERM
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve returned %v after SIGTERM, want nil (exit 0)", err)
		}
	case <-time.After(cfg.ShutdownTimeout + 2*time.Second):
		t.Fatalf("Serve still running %v after SIGTERM", time.Since(start))
	}
	if d := time.Since(start); d > cfg.ShutdownTimeout+500*time.Millisecond {
		t.Fatalf("Serve returned %v after SIGTERM, want within the shutdown timeout (%v)", d, cfg.ShutdownTimeout)
	}
	if left := tempFiles(t, tmpDir); len(left) > 0 {
		t.Fatalf("temp files left: %v", left)
	}
}

// tempFiles lists dir, which must exist.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") && !files.IsSpoolOwner(e.Name()) { // the live store's lock is no leftover
			names = append(names, e.Name())
		}
	}
	return names
}

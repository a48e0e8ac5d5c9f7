package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stshub/stshub/internal/app"
	"github.com/stshub/stshub/internal/apptest"
	"github.com/stshub/stshub/internal/config"
)

// scrape GETs url with an optional bearer token and returns the status and body.
func scrape(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// TestMetricsToken: by default /metrics is open; with STSHUB_METRICS_TOKEN it is 401
// without that bearer token (or with another) and 200 with it.
func TestMetricsToken(t *testing.T) {
	open := apptest.New(t, "sqlite")
	if status, body := scrape(t, open.Server.URL+"/metrics", ""); status != http.StatusOK || !strings.Contains(body, "stshub_http_reads_waiting") {
		t.Fatalf("default /metrics: %d", status)
	}
	const token = "scrape-me-0123456789"
	env := apptest.New(t, "sqlite", func(c *config.Config) { c.MetricsToken = token })
	for _, bad := range []string{"", "scrape-me", token + "x"} {
		if status, _ := scrape(t, env.Server.URL+"/metrics", bad); status != http.StatusUnauthorized {
			t.Fatalf("token %q: %d, want 401", bad, status)
		}
	}
	if status, body := scrape(t, env.Server.URL+"/metrics", token); status != http.StatusOK || !strings.Contains(body, "stshub_db_statements_total") {
		t.Fatalf("with the token: %d", status)
	}
}

// TestMetricsAddr: with STSHUB_METRICS_ADDR the metrics are served there and not on the
// main listener, which still serves everything else.
func TestMetricsAddr(t *testing.T) {
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := free.Addr().String()
	free.Close()
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.MetricsAddr = metricsAddr
	a, err := app.New(t.Context(), cfg, slog.New(slog.DiscardHandler), app.WithPasswordParams(apptest.FastPasswords))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.ServeListener(ctx, ln) }()
	main := "http://" + ln.Addr().String()

	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := http.Get("http://" + metricsAddr + "/metrics"); err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if status, body := scrape(t, "http://"+metricsAddr+"/metrics", ""); status != http.StatusOK || !strings.Contains(body, "stshub_http_reads_working") {
		t.Fatalf("metrics address: %d", status)
	}
	if status, _ := scrape(t, main+"/metrics", ""); status != http.StatusNotFound {
		t.Fatalf("main listener's /metrics: %d, want 404", status)
	}
	if status, _ := scrape(t, main+"/healthz", ""); status != http.StatusOK {
		t.Fatalf("main listener's /healthz: %d", status)
	}
	if status, _ := scrape(t, "http://"+metricsAddr+"/healthz", ""); status != http.StatusNotFound {
		t.Fatalf("metrics listener serves more than /metrics: %d", status)
	}
	cancel()
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get("http://" + metricsAddr + "/metrics"); err == nil {
		t.Fatal("the metrics listener outlived Serve")
	}
}

package app

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/stshub/stshub/internal/httpx"
)

// protectMetrics asks for the bearer token when one is configured; without one /metrics is
// open, as the probes are.
func protectMetrics(h http.Handler, token string) http.Handler {
	if token == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="stshub-metrics"`)
			httpx.WriteProblem(w, httpx.NewProblem(r.Context(), http.StatusUnauthorized, "the metrics ask for their bearer token (STSHUB_METRICS_TOKEN)"))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// serveMetrics serves /metrics alone on the configured metrics address, when there is one,
// until stop is called; without one it does nothing.
func (a *App) serveMetrics() (stop func(), err error) {
	if a.cfg.MetricsAddr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", a.cfg.MetricsAddr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics)
	srv := &http.Server{Handler: httpx.Chain(mux, httpx.RequestInfo(nil)), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("metrics listener", "err", err)
		}
	}()
	a.log.Info("serving metrics", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx) // a scrape takes milliseconds; one still running is cut off
		_ = srv.Close()
		<-done
	}, nil
}

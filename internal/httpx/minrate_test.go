package httpx

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// rateServer serves bodies under 1 KiB per 200 ms: each request's body is read whole and
// its length answered, or its read error mapped; the handler's read error is sent on errs.
func rateServer(t *testing.T) (srv *httptest.Server, errs <-chan error) {
	t.Helper()
	ch := make(chan error, 10)
	h := MinBodyRate(BodyRate{Bytes: 1 << 10, Window: 200 * time.Millisecond})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		ch <- err
		if err != nil {
			WriteProblem(w, FromError(r.Context(), slog.New(slog.DiscardHandler), err))
			return
		}
		if r.URL.Query().Get("linger") != "" { // a slow answer after the body is not cut off
			time.Sleep(500 * time.Millisecond)
		}
		fmt.Fprint(w, len(body))
	}))
	srv = httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, ch
}

// rawPost sends a POST announcing length bytes and writes the body with send.
func rawPost(t *testing.T, srv *httptest.Server, length int, send func(io.Writer)) (status int) {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n\r\n", length)
	send(conn)
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read the answer: %v", err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestMinBodyRate: a body that stalls mid-way is cut off one window after its last
// progress with 408; one sent slowly but above the rate, for far longer than a window,
// arrives whole; after the body, neither a slow answer nor an idle keep-alive connection
// is cut.
func TestMinBodyRate(t *testing.T) {
	srv, errs := rateServer(t)

	start := time.Now()
	status := rawPost(t, srv, 10<<10, func(w io.Writer) { _, _ = w.Write(make([]byte, 100)) }) // then nothing
	if err := <-errs; !errors.Is(err, ErrBodyTooSlow) {
		t.Fatalf("stalled body: read error %v, want ErrBodyTooSlow", err)
	}
	if status != http.StatusRequestTimeout {
		t.Fatalf("stalled body: %d, want 408", status)
	}
	if d := time.Since(start); d < 200*time.Millisecond || d > 2*time.Second {
		t.Fatalf("stalled body cut off after %v, want one window (200 ms)", d)
	}

	// A trickle: 600 bytes per 200 ms is under the rate although it never stops.
	status = rawPost(t, srv, 6000, func(w io.Writer) {
		for range 10 {
			if _, err := w.Write(make([]byte, 600)); err != nil {
				return
			}
			time.Sleep(200 * time.Millisecond)
		}
	})
	if err := <-errs; !errors.Is(err, ErrBodyTooSlow) || status != http.StatusRequestTimeout {
		t.Fatalf("trickled body: %d, %v", status, err)
	}

	// Slow but above the rate: 2 KiB per 100 ms for 1.2 s, six windows.
	status = rawPost(t, srv, 24<<10, func(w io.Writer) {
		for range 12 {
			_, _ = w.Write(make([]byte, 2<<10))
			time.Sleep(100 * time.Millisecond)
		}
	})
	if err := <-errs; err != nil || status != http.StatusOK {
		t.Fatalf("slow upload above the rate: %d, %v", status, err)
	}

	client := srv.Client()
	for i, path := range []string{"/?linger=1", "/", "/"} {
		if i > 0 {
			time.Sleep(300 * time.Millisecond) // idle on the kept-alive connection
		}
		res, err := client.Post(srv.URL+path, "text/plain", strings.NewReader(strings.Repeat("x", 3000)))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || string(body) != "3000" {
			t.Fatalf("request %d: %d %q", i, res.StatusCode, body)
		}
		if err := <-errs; err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
}

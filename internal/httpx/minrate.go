package httpx

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// BodyRate is the slowest a request body may arrive: at least Bytes in every Window, the
// first window starting when the handler first reads. It cuts off a client that stops
// sending (or trickles) mid-body — which would otherwise hold its connection, its handler
// and any temp file for ever — without a total deadline, so a large upload over a slow link
// still arrives.
type BodyRate struct {
	Bytes  int64
	Window time.Duration
}

// DefaultBodyRate is 16 KiB in every 30 s (about 4.4 kbit/s): far below any link a browser
// uploads over, and a stalled body is cut off within 30 s of its last progress.
var DefaultBodyRate = BodyRate{Bytes: 16 << 10, Window: 30 * time.Second}

// ErrBodyTooSlow is the read error of a body that arrived slower than its BodyRate; the
// problem mapper answers it with 408.
var ErrBodyTooSlow = errors.New("the request body arrived too slowly")

// MinBodyRate makes every request body fail with ErrBodyTooSlow once it arrives slower
// than rate, by read deadlines on the connection (http.ResponseController; where the
// response writer cannot set one, as in a test recorder, the body is read as it is).
func MinBodyRate(rate BodyRate) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0 {
				r.Body = &minRateBody{body: r.Body, rc: http.NewResponseController(w), rate: rate}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// minRateBody is a request body read under a BodyRate.
type minRateBody struct {
	body    io.ReadCloser
	rc      *http.ResponseController
	rate    BodyRate
	started bool
	timed   bool  // the connection takes read deadlines
	got     int64 // bytes read in the current window
	err     error // sticky: ErrBodyTooSlow, or a deadline that could not be set
}

func (b *minRateBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if !b.started {
		b.started = true
		b.timed = b.nextWindow()
	}
	if !b.timed {
		return b.body.Read(p) // no deadlines here: read as it comes
	}
	n, err := b.body.Read(p)
	b.got += int64(n)
	switch {
	case err == nil && b.got >= b.rate.Bytes:
		// The window's quota arrived: the next window starts now. (At the end of the body
		// the server itself clears the deadline, so none is set after io.EOF.)
		b.got = 0
		if !b.nextWindow() {
			b.err = errors.New("the request body's read deadline could not be set")
		}
	case errors.Is(err, os.ErrDeadlineExceeded):
		b.err = fmt.Errorf("%w: fewer than %d bytes in %v", ErrBodyTooSlow, b.rate.Bytes, b.rate.Window)
		return n, b.err
	}
	return n, err
}

// nextWindow sets the read deadline at the end of a window starting now; false when the
// connection takes no deadline.
func (b *minRateBody) nextWindow() bool {
	return b.rc.SetReadDeadline(time.Now().Add(b.rate.Window)) == nil
}

func (b *minRateBody) Close() error { return b.body.Close() }

package httpx

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stshub/stshub/internal/apperr"
)

// TestOutageProblems: a database outage is a 503 that says to retry (Retry-After), a full
// disk a 507 that says nothing was kept; neither is the 500 of a bug.
func TestOutageProblems(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cases := []struct {
		err        error
		status     int
		retryAfter string
	}{
		{fmt.Errorf("list rooms: %w", apperr.ErrUnavailable), http.StatusServiceUnavailable, "5"},
		{fmt.Errorf("upload: %w", apperr.ErrStorageFull), http.StatusInsufficientStorage, ""},
		{fmt.Errorf("a bug"), http.StatusInternalServerError, ""},
	}
	for _, c := range cases {
		p := FromError(context.Background(), log, c.err)
		if p.Status != c.status || p.headers.Get("Retry-After") != c.retryAfter {
			t.Errorf("%v: %d Retry-After %q, want %d %q", c.err, p.Status, p.headers.Get("Retry-After"), c.status, c.retryAfter)
		}
	}
}

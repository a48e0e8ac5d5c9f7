package httpx

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/reqinfo"
)

func TestRequestInfoTrustsOnlyItsProxies(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32")}
	const sane = "req-0123456789abcdef"
	tests := []struct {
		name, peer, xff, id string
		wantIP              string
		keepsID             bool
	}{
		{name: "a caller without a proxy", peer: "203.0.113.9:5000", wantIP: "203.0.113.9"},
		{name: "a caller's own X-Forwarded-For and ID are ignored", peer: "203.0.113.9:5000", xff: "1.2.3.4", id: sane, wantIP: "203.0.113.9"},
		{name: "through the proxy", peer: "10.0.0.2:443", xff: "198.51.100.20", id: sane, wantIP: "198.51.100.20", keepsID: true},
		{name: "a spoofed hop before the real one", peer: "10.0.0.2:443", xff: "6.6.6.6, 198.51.100.20", wantIP: "198.51.100.20"},
		{name: "two trusted proxies", peer: "192.0.2.7:443", xff: "198.51.100.20, 10.1.2.3", wantIP: "198.51.100.20"},
		{name: "split over two headers", peer: "10.0.0.2:443", xff: "198.51.100.20\n10.1.2.3", wantIP: "198.51.100.20"},
		{name: "a malformed hop", peer: "10.0.0.2:443", xff: "198.51.100.20, not-an-ip", wantIP: "10.0.0.2"},
		{name: "only proxies", peer: "10.0.0.2:443", xff: "10.0.0.3", wantIP: "10.0.0.2"},
		{name: "an insane ID from the proxy", peer: "10.0.0.2:443", id: "x\"; drop table", wantIP: "10.0.0.2"},
		{name: "an IPv4-mapped proxy address", peer: "[::ffff:10.0.0.2]:443", xff: "198.51.100.20", wantIP: "198.51.100.20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *reqinfo.Info
			h := RequestInfo(trusted)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = reqinfo.From(r.Context()) }))
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.peer
			for _, v := range strings.FieldsFunc(tt.xff, func(c rune) bool { return c == '\n' }) {
				r.Header.Add("X-Forwarded-For", v)
			}
			if tt.id != "" {
				r.Header.Set("X-Request-ID", tt.id)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if got.IP != tt.wantIP {
				t.Errorf("IP = %s, want %s", got.IP, tt.wantIP)
			}
			if (got.RequestID == tt.id) != tt.keepsID || len(got.RequestID) < 8 || w.Header().Get("X-Request-ID") != got.RequestID {
				t.Errorf("request ID %q (sent %q): want it kept %v", got.RequestID, tt.id, tt.keepsID)
			}
		})
	}
}

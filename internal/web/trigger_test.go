package web

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
)

// TestTriggerHeaderIsASCII: a toast quoting a title with a dash, curly quotes, Greek and an
// emoji reaches the browser as the same text: the header carries only ASCII, which
// JSON.parse (as htmx does) reads back exactly.
func TestTriggerHeaderIsASCII(t *testing.T) {
	msg := "Approved “Q88” — MT Ελληνική 🚢"
	rec := httptest.NewRecorder()
	setTrigger(rec, map[string]any{"stshub:toast": map[string]string{"message": msg}})
	h := rec.Header().Get("HX-Trigger")
	for i := 0; i < len(h); i++ {
		if h[i] >= 0x80 {
			t.Fatalf("byte %d of %q is not ASCII", i, h)
		}
	}
	var got map[string]map[string]string
	if err := json.Unmarshal([]byte(h), &got); err != nil || got["stshub:toast"]["message"] != msg {
		t.Fatalf("read back %q (%v) from %s", got["stshub:toast"]["message"], err, h)
	}
}

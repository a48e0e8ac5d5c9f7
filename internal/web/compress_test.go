package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apptest"
)

// TestPagesAreCompressed: the demo room page, its stylesheet and script, and the API's JSON
// reach a browser that accepts gzip compressed, and decompress to what an identity request
// gets. (The room page was sent uncompressed: 243 KB.)
func TestPagesAreCompressed(t *testing.T) {
	env := apptest.New(t, "sqlite")
	env.StopBackground()
	roomID := loadDemoRoom(t, env)
	b := signedInDemo(t, env, "broker@valletta-shipbrokers.demo")
	room := b.get("/rooms/"+roomID, "Accept-Encoding", "identity")
	assets := regexp.MustCompile(`/static/[^"]+\.(?:css|js)`).FindAllString(room.Body, -1)
	if len(assets) < 2 {
		t.Fatalf("the room page names %d static assets", len(assets))
	}
	for _, path := range append([]string{"/rooms/" + roomID, "/"}, assets...) {
		plain := b.get(path, "Accept-Encoding", "identity")
		packed := b.get(path, "Accept-Encoding", "gzip, deflate, br")
		if plain.Status != http.StatusOK || packed.Status != http.StatusOK || packed.Header.Get("Content-Encoding") != "gzip" ||
			plain.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s: %d %q / %d %q", path, plain.Status, plain.Header.Get("Content-Encoding"), packed.Status, packed.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(bytes.NewReader([]byte(packed.Body)))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		got, err := io.ReadAll(zr)
		// A page carries a fresh CSRF token each time; a static file is the same bytes.
		page := !strings.HasPrefix(path, "/static/")
		if err != nil || (page && !strings.HasPrefix(string(got), "<!doctype html>")) || (!page && string(got) != plain.Body) {
			t.Fatalf("%s: the gzipped body reads back differently (%v)", path, err)
		}
		t.Logf("%s: %d bytes, %d gzipped (%.0f%%)", path, len(plain.Body), len(packed.Body), 100*float64(len(packed.Body))/float64(len(plain.Body)))
		if len(packed.Body)*2 > len(plain.Body) {
			t.Errorf("%s: %d bytes compressed only to %d", path, len(plain.Body), len(packed.Body))
		}
	}
}

// Package filestest is the conformance suite every files.Store implementation must pass.
package filestest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/files"
)

// failingReader yields some bytes, then fails: an upload cut off half-way.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	k := min(len(p), f.n)
	for i := range k {
		p[i] = 'x'
	}
	f.n -= k
	return k, nil
}

// Run checks s against the contract of files.Store.
func Run(t *testing.T, s files.Store) {
	ctx := context.Background()
	t.Run("round trip", func(t *testing.T) {
		data := bytes.Repeat([]byte("Q88 tanker questionnaire\n"), 4000)
		sum := sha256.Sum256(data)
		blob, err := s.Put(ctx, bytes.NewReader(data), 0)
		if err != nil {
			t.Fatal(err)
		}
		if blob.SHA256 != hex.EncodeToString(sum[:]) || blob.Size != int64(len(data)) {
			t.Fatalf("blob %+v", blob)
		}
		again, err := s.Put(ctx, bytes.NewReader(data), 0)
		if err != nil || again != blob {
			t.Fatalf("same bytes again: %+v %v", again, err)
		}
		if ok, err := s.Exists(ctx, blob.SHA256); !ok || err != nil {
			t.Fatalf("exists: %v %v", ok, err)
		}
		obj, err := s.Open(ctx, blob.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		defer obj.Close()
		if obj.Size() != blob.Size {
			t.Fatalf("size %d", obj.Size())
		}
		got, err := io.ReadAll(obj)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read back %d bytes, %v", len(got), err)
		}
		// Seek for Range requests.
		if _, err := obj.Seek(25, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		part := make([]byte, 24)
		if _, err := io.ReadFull(obj, part); err != nil || string(part) != "Q88 tanker questionnaire" {
			t.Fatalf("after seek: %q %v", part, err)
		}
		if end, err := obj.Seek(0, io.SeekEnd); err != nil || end != blob.Size {
			t.Fatalf("seek end: %d %v", end, err)
		}
	})
	t.Run("empty", func(t *testing.T) {
		blob, err := s.Put(ctx, strings.NewReader(""), 0)
		if err != nil || blob.Size != 0 || blob.SHA256 != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
			t.Fatalf("empty blob: %+v %v", blob, err)
		}
	})
	t.Run("too large stores nothing", func(t *testing.T) {
		data := bytes.Repeat([]byte("a"), 1001)
		sum := sha256.Sum256(data)
		_, err := s.Put(ctx, bytes.NewReader(data), 1000)
		if !errors.Is(err, apperr.ErrTooLarge) {
			t.Fatalf("over the limit: %v", err)
		}
		if ok, _ := s.Exists(ctx, hex.EncodeToString(sum[:])); ok {
			t.Fatal("an oversized blob was stored")
		}
		if _, err := s.Put(ctx, bytes.NewReader(data[:1000]), 1000); err != nil {
			t.Fatalf("exactly at the limit: %v", err)
		}
	})
	t.Run("interrupted stores nothing", func(t *testing.T) {
		_, err := s.Put(ctx, &failingReader{n: 70000}, 0)
		if err == nil {
			t.Fatal("an interrupted upload succeeded")
		}
		sum := sha256.Sum256(bytes.Repeat([]byte("x"), 70000))
		if ok, _ := s.Exists(ctx, hex.EncodeToString(sum[:])); ok {
			t.Fatal("a partial blob is visible")
		}
	})
	t.Run("unknown and bad names", func(t *testing.T) {
		if _, err := s.Open(ctx, strings.Repeat("0", 64)); !errors.Is(err, files.ErrNotExist) {
			t.Fatalf("unknown: %v", err)
		}
		for _, bad := range []string{"", "../../etc/passwd", strings.Repeat("G", 64), strings.Repeat("A", 64)} {
			if _, err := s.Open(ctx, bad); !errors.Is(err, files.ErrBadHash) {
				t.Errorf("Open(%q): %v", bad, err)
			}
		}
	})
	t.Run("delete", func(t *testing.T) {
		blob, err := s.Put(ctx, strings.NewReader("to be deleted"), 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, blob.SHA256); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.Exists(ctx, blob.SHA256); ok {
			t.Fatal("still there")
		}
		if err := s.Delete(ctx, blob.SHA256); err != nil {
			t.Fatalf("second delete: %v", err)
		}
	})
}

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
	"time"

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
	t.Run("held", func(t *testing.T) {
		data := []byte("held before it is published")
		sum := sha256.Sum256(data)
		var held files.Blob
		blob, err := s.PutHeld(ctx, bytes.NewReader(data), 0, func(b files.Blob) error {
			held = b
			if ok, err := s.Exists(ctx, b.SHA256); ok || err != nil {
				t.Errorf("visible before the hold returned: %v %v", ok, err)
			}
			return nil
		})
		if err != nil || held != blob || blob.SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("held %+v, stored %+v, %v", held, blob, err)
		}
		if ok, err := s.Exists(ctx, blob.SHA256); !ok || err != nil {
			t.Fatalf("not stored after the hold: %v %v", ok, err)
		}
		refused := errors.New("no hold")
		other := []byte("refused by its hold")
		if _, err := s.PutHeld(ctx, bytes.NewReader(other), 0, func(files.Blob) error { return refused }); !errors.Is(err, refused) {
			t.Fatalf("a refused hold: %v", err)
		}
		sum = sha256.Sum256(other)
		if ok, _ := s.Exists(ctx, hex.EncodeToString(sum[:])); ok {
			t.Fatal("a blob whose hold was refused is stored")
		}
	})
	t.Run("list", func(t *testing.T) {
		before := time.Now().Add(-time.Minute)
		want := map[string]int64{}
		for _, text := range []string{"listed one", "listed two, a little longer"} {
			b, err := s.Put(ctx, strings.NewReader(text), 0)
			if err != nil {
				t.Fatal(err)
			}
			want[b.SHA256] = b.Size
		}
		seen := map[string]bool{}
		err := s.List(ctx, func(b files.Stored) error {
			if seen[b.SHA256] {
				t.Errorf("listed twice: %s", b.SHA256)
			}
			seen[b.SHA256] = true
			if size, ok := want[b.SHA256]; ok {
				if b.Size != size || b.ModTime.Before(before) || b.ModTime.After(time.Now().Add(time.Minute)) {
					t.Errorf("listed %+v, want size %d written just now", b, size)
				}
				delete(want, b.SHA256)
			}
			return nil
		})
		if err != nil || len(want) != 0 {
			t.Fatalf("not listed: %v, %v", want, err)
		}
		stop := errors.New("stop")
		calls := 0
		if err := s.List(ctx, func(files.Stored) error { calls++; return stop }); !errors.Is(err, stop) || calls != 1 {
			t.Fatalf("an error from fn: %v after %d calls", err, calls)
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

package files_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stshub/stshub/internal/apperr"
	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/files/filestest"
)

func TestS3(t *testing.T) {
	cfg, dir := filestest.StartVersityGW(t)
	ctx := context.Background()
	s, err := files.NewS3(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	filestest.Run(t, s)

	t.Run("existing bucket", func(t *testing.T) {
		if _, err := files.NewS3(ctx, cfg); err != nil {
			t.Fatalf("second NewS3 on the now existing bucket: %v", err)
		}
	})

	t.Run("key layout", func(t *testing.T) {
		blob, err := s.Put(ctx, strings.NewReader("where does it go"), 0)
		if err != nil {
			t.Fatal(err)
		}
		// The posix backend keeps object a/b/c of bucket B as DIR/B/a/b/c.
		p := filepath.Join(dir, cfg.Bucket, "t", "blobs", blob.SHA256[:2], blob.SHA256)
		if got, err := os.ReadFile(p); err != nil || string(got) != "where does it go" {
			t.Fatalf("object not at t/blobs/ab/<sha>: %q %v", got, err)
		}
	})

	t.Run("ranged reads", func(t *testing.T) {
		data := make([]byte, 3<<20+12345)
		for i := range data {
			data[i] = byte(i*7 + i>>11)
		}
		blob, err := s.Put(ctx, bytes.NewReader(data), 0)
		if err != nil {
			t.Fatal(err)
		}
		obj, err := s.Open(ctx, blob.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		defer obj.Close()
		mid := int64(len(data) / 2)
		if pos, err := obj.Seek(mid, io.SeekStart); err != nil || pos != mid {
			t.Fatalf("seek middle: %d %v", pos, err)
		}
		part := make([]byte, 1000)
		if _, err := io.ReadFull(obj, part); err != nil || !bytes.Equal(part, data[mid:mid+1000]) {
			t.Fatalf("read at middle: %v", err)
		}
		// Seeking back while a body is open, then relative, then from the end.
		if _, err := obj.Seek(-2000, io.SeekCurrent); err != nil {
			t.Fatal(err)
		}
		rest, err := io.ReadAll(obj)
		if err != nil || !bytes.Equal(rest, data[mid-1000:]) {
			t.Fatalf("read rest after seek back: %d bytes, %v", len(rest), err)
		}
		if _, err := obj.Seek(-10, io.SeekEnd); err != nil {
			t.Fatal(err)
		}
		tail, err := io.ReadAll(obj)
		if err != nil || !bytes.Equal(tail, data[len(data)-10:]) {
			t.Fatalf("tail: %x %v", tail, err)
		}
		if n, err := obj.Read(make([]byte, 1)); n != 0 || err != io.EOF {
			t.Fatalf("read at end: %d %v", n, err)
		}
		if _, err := obj.Seek(-1, io.SeekStart); err == nil {
			t.Fatal("seek before the start succeeded")
		}
	})

	t.Run("empty blob opens", func(t *testing.T) {
		blob, err := s.Put(ctx, strings.NewReader(""), 0)
		if err != nil {
			t.Fatal(err)
		}
		obj, err := s.Open(ctx, blob.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		defer obj.Close()
		if got, err := io.ReadAll(obj); err != nil || len(got) != 0 || obj.Size() != 0 {
			t.Fatalf("empty: %q %v size %d", got, err, obj.Size())
		}
	})

	t.Run("too large leaves no spool file", func(t *testing.T) {
		t.Setenv("TMPDIR", t.TempDir()) // os.TempDir() follows $TMPDIR: watch a folder of our own
		data := bytes.Repeat([]byte("0123456789abcdef"), 5<<20/16)
		_, err := s.Put(ctx, bytes.NewReader(data), 1<<20)
		if !errors.Is(err, apperr.ErrTooLarge) {
			t.Fatalf("5 MiB over a 1 MiB limit: %v", err)
		}
		left, err := filepath.Glob(filepath.Join(os.TempDir(), "stshub-s3-put-*"))
		if err != nil || len(left) != 0 {
			t.Fatalf("spool files left in %s: %v %v", os.TempDir(), left, err)
		}
		sum := sha256.Sum256(data)
		if ok, err := s.Exists(ctx, hex.EncodeToString(sum[:])); ok || err != nil {
			t.Fatalf("oversized blob stored: %v %v", ok, err)
		}
		// A successful Put cleans up too.
		if _, err := s.Put(ctx, bytes.NewReader(data[:1<<20]), 1<<20); err != nil {
			t.Fatal(err)
		}
		if left, _ := filepath.Glob(filepath.Join(os.TempDir(), "stshub-s3-put-*")); len(left) != 0 {
			t.Fatalf("spool files left after a successful Put: %v", left)
		}
	})
}

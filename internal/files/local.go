package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Local keeps blobs in a folder as root/ab/abcdef… (the first two hex digits fan out the
// folder). Spool files live in root/tmp and are never served.
type Local struct {
	root  string
	spool *spooler
}

// NewLocal returns a store under root, creating the folders it needs.
func NewLocal(root string) (*Local, error) {
	if err := os.MkdirAll(filepath.Join(root, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("local files: %w", err)
	}
	return &Local{root: root, spool: newSpooler("")}, nil
}

func (l *Local) path(sha string) string {
	return filepath.Join(l.root, sha[:2], sha)
}

// Put writes r to a temp file while hashing it, fsyncs it, drops it from the page cache
// and renames it under its hash.
func (l *Local) Put(ctx context.Context, r io.Reader, maxBytes int64) (Blob, error) {
	return l.PutHeld(ctx, r, maxBytes, nil)
}

// PutHeld is Put calling hold just before the rename. The rename publishes the bytes
// afresh even when the blob is already stored. A disk without space for the file fails it
// with apperr.ErrStorageFull, and nothing is left of it.
func (l *Local) PutHeld(ctx context.Context, r io.Reader, maxBytes int64, hold func(Blob) error) (Blob, error) {
	blob, err := l.putHeld(ctx, r, maxBytes, hold)
	return blob, diskFull(err)
}

func (l *Local) putHeld(ctx context.Context, r io.Reader, maxBytes int64, hold func(Blob) error) (Blob, error) {
	tmp, err := l.spool.create(filepath.Join(l.root, "tmp"))
	if err != nil {
		return Blob{}, fmt.Errorf("put: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	blob, err := copyHashed(tmp, contextReader{ctx, r}, maxBytes)
	if err != nil {
		return Blob{}, err
	}
	if err := tmp.Sync(); err != nil {
		return Blob{}, fmt.Errorf("put: sync: %w", err)
	}
	_ = DropFromCache(tmp) // advice only: the blob is on disk whether or not it is heeded
	if err := tmp.Close(); err != nil {
		return Blob{}, fmt.Errorf("put: close: %w", err)
	}
	if hold != nil {
		if err := hold(blob); err != nil {
			return Blob{}, err
		}
	}
	final := l.path(blob.SHA256)
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return Blob{}, fmt.Errorf("put: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return Blob{}, fmt.Errorf("put: rename: %w", err)
	}
	committed = true
	if err := syncDir(filepath.Dir(final)); err != nil {
		return Blob{}, fmt.Errorf("put: sync folder: %w", err)
	}
	return blob, nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

type localObject struct {
	*os.File
	size int64
}

func (o localObject) Size() int64 { return o.size }

// Open opens a stored blob.
func (l *Local) Open(_ context.Context, sha string) (Object, error) {
	if err := checkHash(sha); err != nil {
		return nil, err
	}
	f, err := os.Open(l.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotExist
	}
	if err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open blob: %w", err)
	}
	return localObject{File: f, size: st.Size()}, nil
}

// Delete removes a blob.
func (l *Local) Delete(_ context.Context, sha string) error {
	if err := checkHash(sha); err != nil {
		return err
	}
	if err := os.Remove(l.path(sha)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete blob: %w", err)
	}
	return nil
}

// Exists reports whether a blob is stored.
func (l *Local) Exists(_ context.Context, sha string) (bool, error) {
	if err := checkHash(sha); err != nil {
		return false, err
	}
	_, err := os.Stat(l.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// List walks the fan-out folders, a batch of names at a time.
func (l *Local) List(ctx context.Context, fn func(Stored) error) error {
	top, err := os.ReadDir(l.root)
	if err != nil {
		return fmt.Errorf("list blobs: %w", err)
	}
	for _, d := range top {
		if !d.IsDir() || len(d.Name()) != 2 {
			continue
		}
		if err := l.listFolder(ctx, filepath.Join(l.root, d.Name()), fn); err != nil {
			return err
		}
	}
	return nil
}

func (l *Local) listFolder(ctx context.Context, dir string, fn func(Stored) error) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("list blobs: %w", err)
	}
	defer f.Close()
	for {
		batch, err := f.ReadDir(1000)
		for _, e := range batch {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if !e.Type().IsRegular() || checkHash(e.Name()) != nil {
				continue
			}
			info, err := e.Info()
			if errors.Is(err, fs.ErrNotExist) {
				continue // deleted meanwhile
			}
			if err != nil {
				return fmt.Errorf("list blobs: %w", err)
			}
			if err := fn(Stored{SHA256: e.Name(), Size: info.Size(), ModTime: info.ModTime()}); err != nil {
				return err
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("list blobs: %w", err)
		}
	}
}

// RemoveStaleSpool removes the leftovers of dead processes from root/tmp.
func (l *Local) RemoveStaleSpool(context.Context) (int, error) {
	return l.spool.removeStale(filepath.Join(l.root, "tmp"), time.Now())
}

var _ Store = (*Local)(nil)

// contextReader stops a copy when its context ends (a client that hung up mid-upload).
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Package files stores blobs: uploaded document versions and rendered snapshots.
//
// Blobs are immutable and addressed by the SHA-256 of their content, so writing the same
// bytes twice stores them once and a blob can never change under a name. A Put streams in
// constant memory, hashes while it writes, and makes the blob visible only when it is
// complete and durable (temp file, fsync, rename); an interrupted Put leaves nothing
// visible. Two implementations: Local (a folder) and S3 (any S3-compatible store).
package files

import (
	"context"
	"errors"
	"io"
	"regexp"
	"time"
)

// Blob names stored content.
type Blob struct {
	SHA256 string // lowercase hex
	Size   int64
}

// Object is an open blob: readable, seekable (for HTTP Range requests) and closable.
type Object interface {
	io.ReadSeekCloser
	Size() int64
}

// Stored is a blob as a listing shows it.
type Stored struct {
	SHA256  string
	Size    int64
	ModTime time.Time // when it was last written
}

// Store keeps blobs.
type Store interface {
	// Put reads r to its end and stores it. More than maxBytes (when > 0) fails with an
	// error wrapping apperr.ErrTooLarge and stores nothing.
	Put(ctx context.Context, r io.Reader, maxBytes int64) (Blob, error)
	// PutHeld is Put that calls hold (when not nil) once the bytes are read, hashed and
	// safe, and before the blob is published: made visible, or taken as stored when the
	// same bytes already are. An error from hold stores nothing and is returned. (The
	// service takes its hold on the blob there; see store/blobs.go.)
	PutHeld(ctx context.Context, r io.Reader, maxBytes int64, hold func(Blob) error) (Blob, error)
	// List calls fn with every stored blob, in no given order, in memory that does not
	// grow with their number; an error from fn stops it and is returned.
	List(ctx context.Context, fn func(Stored) error) error
	// RemoveStaleSpool removes the spool files that Puts of dead processes left behind
	// (see spool.go) and returns how many.
	RemoveStaleSpool(ctx context.Context) (int, error)
	// Open returns the blob with this hash; an unknown one is ErrNotExist.
	Open(ctx context.Context, sha256 string) (Object, error)
	// Delete removes a blob; deleting an unknown one is not an error.
	Delete(ctx context.Context, sha256 string) error
	// Exists reports whether the blob is stored.
	Exists(ctx context.Context, sha256 string) (bool, error)
}

// ErrNotExist is returned by Open for an unknown blob.
var ErrNotExist = errors.New("blob does not exist")

// validHash guards every path and key built from a hash.
var validHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ErrBadHash is returned for anything that is not a lowercase hex SHA-256.
var ErrBadHash = errors.New("not a sha256 hex digest")

func checkHash(h string) error {
	if !validHash.MatchString(h) {
		return ErrBadHash
	}
	return nil
}

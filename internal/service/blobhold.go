package service

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/store"
)

// Blob holds: how a use case stores a blob without the sweep taking it before the row that
// refers to it commits (the ordering is in store/blobs.go). A use case calls storeHeld,
// runs hold.handOver inside the transaction that commits its row, and defers release,
// which gives up a hold that no committed row took over. A failed use case deletes nothing: its blob, unreferenced
// once the hold is gone, is the sweep's.
const (
	// holdTTL bounds how long a hold keeps a blob: from the moment the blob's bytes are hashed
	// to the commit of its row, which takes well under a second unless the database is
	// failing. It exceeds BlobGrace, so the grace period never ends while a hold lasts.
	holdTTL = 4 * time.Hour
	// holdRetry is how often a use case asks again for a hold the sweep refused while it
	// deletes the same bytes (for at most deletionTTL).
	holdRetry = 100 * time.Millisecond
)

// blobHold is a use case's hold on the blob it stored.
type blobHold struct {
	id, sha string
	taken   bool
}

// storeHeld stores r as a blob, holding it from the moment its bytes are hashed (before it
// is published). The caller must call release, also when storeHeld fails.
func (s *Service) storeHeld(ctx context.Context, r io.Reader, maxBytes int64) (files.Blob, *blobHold, error) {
	h := &blobHold{id: newID()}
	blob, err := s.files.PutHeld(ctx, r, maxBytes, func(b files.Blob) error {
		h.sha = b.SHA256
		return s.takeHold(ctx, h)
	})
	if err != nil {
		return files.Blob{}, h, err
	}
	s.blobStored(ctx, blob.SHA256)
	return blob, h, nil
}

// takeHold commits the hold, waiting while the sweep deletes the same bytes: once it has,
// the caller publishes them afresh.
func (s *Service) takeHold(ctx context.Context, h *blobHold) error {
	for {
		now := s.now()
		err := s.db.InTx(ctx, func(tx store.Q) error { return tx.HoldBlob(ctx, h.id, h.sha, now, now.Add(holdTTL)) })
		if err == nil {
			h.taken = true
			return nil
		}
		if !errors.Is(err, store.ErrBlobDeleting) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(holdRetry):
		}
	}
}

// handOver, inside the transaction that commits the row referring to the blob, makes sure
// the hold still keeps it and removes it: from the commit on, the row keeps the blob.
func (h *blobHold) handOver(ctx context.Context, tx store.Q, now time.Time) error {
	if err := tx.CheckHold(ctx, h.id, h.sha, now); err != nil {
		return err
	}
	if err := tx.ReleaseHold(ctx, h.id); err != nil {
		return err
	}
	tx.AfterCommit(func() { h.taken = false })
	return nil
}

// release gives up a hold that no committed row took over, on its own context: the
// request's may be gone. A hold that cannot be released expires.
func (s *Service) release(h *blobHold) {
	if !h.taken {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.db.InTx(ctx, func(tx store.Q) error { return tx.ReleaseHold(ctx, h.id) }); err != nil {
		s.log.Warn("could not release a blob hold; it expires by itself", "sha256", h.sha, "err", err)
	}
}

// blobStored runs the test seam, if one is set, between storing a blob and committing the
// row that refers to it.
func (s *Service) blobStored(ctx context.Context, sha string) {
	if hook := s.afterBlobStored.Load(); hook != nil {
		(*hook)(ctx, sha)
	}
}

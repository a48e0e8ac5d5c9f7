package service

import (
	"context"
	"fmt"
	"time"

	"github.com/stshub/stshub/internal/files"
	"github.com/stshub/stshub/internal/store"
)

// The sweep's settings (the ordering that makes it safe is in store/blobs.go).
const (
	// BlobGrace is the age below which the sweep leaves a blob alone whatever refers to it:
	// a margin for writers that take no hold (an older version during a rolling upgrade).
	BlobGrace = time.Hour
	// deletionTTL is how long a deletion mark lasts; a sweep that dies mid-way blocks
	// uploads of the same bytes for at most this long.
	deletionTTL = 5 * time.Minute
	// deleteTimeout bounds one file deletion, well inside deletionTTL, so no deletion can
	// land after its mark expired.
	deleteTimeout = time.Minute
	// sweepLease is how long one node holds the sweep; it renews the lease as it goes.
	sweepLease = 10 * time.Minute
	// sweepLeaseName names the sweep's lease in task_leases.
	sweepLeaseName = "blob_sweep"
)

// SweepReport is what one sweep did.
type SweepReport struct {
	Ran     bool  // false when another node holds the sweep
	Listed  int   // blobs in the file store
	Deleted int   // blobs that nothing kept, deleted
	Expired int64 // holds and deletion marks past their expiry, purged
}

// SweepBlobs deletes the blobs that nothing keeps and that are older than BlobGrace, and
// the expired holds and deletion marks. One node at a time sweeps (a lease in the
// database); on the others it returns at once with Ran false. Memory does not grow with
// the number of blobs: they are judged as the store lists them.
func (s *Service) SweepBlobs(ctx context.Context) (SweepReport, error) {
	var rep SweepReport
	claimed, err := s.claimSweep(ctx)
	if err != nil || !claimed {
		return rep, err
	}
	rep.Ran = true
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := s.db.InTx(ctx, func(tx store.Q) error { return tx.ReleaseLease(ctx, sweepLeaseName, s.node) }); err != nil {
			s.log.Warn("could not release the sweep's lease; it expires by itself", "err", err)
		}
	}()
	if err := s.db.InTx(ctx, func(tx store.Q) error {
		rep.Expired, err = tx.PurgeExpiredBlobMarks(ctx, s.now())
		return err
	}); err != nil {
		return rep, err
	}
	renewed := time.Now()
	err = s.files.List(ctx, func(b files.Stored) error {
		rep.Listed++
		if time.Since(renewed) > sweepLease/3 {
			if ok, err := s.claimSweep(ctx); err != nil || !ok {
				return fmt.Errorf("the sweep lost its lease: %w", err)
			}
			renewed = time.Now()
		}
		if s.now().Sub(b.ModTime) <= BlobGrace {
			return nil
		}
		deleted, err := s.sweepBlob(ctx, b.SHA256)
		if deleted {
			rep.Deleted++
		}
		return err
	})
	return rep, err
}

// claimSweep takes or renews this node's lease on the sweep.
func (s *Service) claimSweep(ctx context.Context) (bool, error) {
	var claimed bool
	err := s.db.InTx(ctx, func(tx store.Q) error {
		now := s.now()
		var err error
		claimed, err = tx.ClaimLease(ctx, sweepLeaseName, s.node, now, now.Add(sweepLease))
		return err
	})
	return claimed, err
}

// sweepBlob deletes one blob unless something keeps it: a cheap look on a reader first,
// then the mark (BeginBlobDeletion decides), the deletion, and the mark's removal.
func (s *Service) sweepBlob(ctx context.Context, sha string) (bool, error) {
	if kept, err := s.db.Read().BlobKept(ctx, sha, s.now()); err != nil || kept {
		return false, err
	}
	var marked bool
	err := s.db.InTx(ctx, func(tx store.Q) error {
		now := s.now()
		var err error
		marked, err = tx.BeginBlobDeletion(ctx, sha, now, now.Add(deletionTTL))
		return err
	})
	if err != nil || !marked {
		return false, err
	}
	delCtx, cancel := context.WithTimeout(ctx, deleteTimeout)
	defer cancel()
	if err := s.files.Delete(delCtx, sha); err != nil {
		// The mark stays until it expires: a deletion that timed out might still land.
		return false, fmt.Errorf("sweep blob %s: %w", sha, err)
	}
	endCtx, cancelEnd := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancelEnd()
	if err := s.db.InTx(endCtx, func(tx store.Q) error { return tx.EndBlobDeletion(endCtx, sha) }); err != nil {
		s.log.Warn("could not remove a deletion mark; it expires by itself", "sha256", sha, "err", err)
	}
	return true, nil
}

// RemoveStaleSpool removes the spool files of uploads that a dead process left behind (on
// every node: spool files are local to each).
func (s *Service) RemoveStaleSpool(ctx context.Context) (int, error) {
	return s.files.RemoveStaleSpool(ctx)
}
